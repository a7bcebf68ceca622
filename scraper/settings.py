"""Scrapy settings for bantin: polite by default, tuned for small government servers."""
import os

BOT_NAME = "bantin"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

# Who we are and how to reach the operator: set BANTIN_CONTACT to a URL or e-mail
# before crawling real portals (`bantin crawl` warns when it is unset).
BANTIN_CONTACT = os.environ.get("BANTIN_CONTACT", "")
USER_AGENT = "bantin/0.1 (research crawler of public government bulletins; contact: {})".format(
    BANTIN_CONTACT or "not set by the operator")

ROBOTSTXT_OBEY = True  # the switch for scraper.robots (RFC 9309: a robots.txt answering 5xx means stay away)
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,  # reads 5xx as allow-all
    "scraper.robots.RobotsTxtMiddleware": 100,
    "scraper.redirects.RedirectLoopMiddleware": 610,  # before RedirectMiddleware (600) sees a response
    "scraper.politeness.RetryAfterMiddleware": 560,  # before RetryMiddleware (550) sees a 503 or 429
}
# A robots.txt Crawl-delay is honoured up to this many seconds (a portal asking for an hour
# between pages would never be crawled); never below DOWNLOAD_DELAY.
BANTIN_MAX_CRAWL_DELAY = float(os.environ.get("BANTIN_MAX_CRAWL_DELAY", "30"))
# A 503 or 429 with Retry-After slows its host to that many seconds between requests for the
# rest of the run, up to this cap; asked to wait longer, the page is not retried this run.
BANTIN_MAX_RETRY_AFTER = float(os.environ.get("BANTIN_MAX_RETRY_AFTER", "60"))
CONCURRENT_REQUESTS = 16
# Scrapy (2.13+) starts this many asyncio tasks for every response's output, however few
# requests and items it yields. The pipeline writes each item synchronously to SQLite, so
# running items side by side gains nothing; Scrapy's default of 100 cost about a seventh of the
# crawl's CPU (benchmarks/bench_crawl.py --profile).
CONCURRENT_ITEMS = 4
# Scrapy checks every response's callback for a generator that returns a value by reading and
# parsing the callback's source; its cache is keyed weakly on the bound method, which dies at
# once, so the source was parsed again for every page: about a millisecond of CPU a page, a
# fifth of the crawl's (bench_crawl --profile). tests/test_spider_callbacks.py makes the same
# check once over PortalSpider's callbacks instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
CONCURRENT_REQUESTS_PER_DOMAIN = 1
# Scrapy's own downloader lets every queued request of a host leave at once when the host has
# no delay (`--delay 0`): ours keeps the one-at-a-time above (scraper/downloader.py).
DOWNLOADER = "scraper.downloader.OneSlotDownloader"
DOWNLOAD_DELAY = 2.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50% (older Scrapy: RANDOMIZE_DOWNLOAD_DELAY, on by default)
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Seconds before a silent server is given up on (then retried RETRY_TIMES); tests shorten it.
DOWNLOAD_TIMEOUT = float(os.environ.get("BANTIN_DOWNLOAD_TIMEOUT", "30"))
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5  # also robots.txt's redirect limit (RFC 9309 §2.3.1.2)
# Many .gov.vn portals send incomplete or expired certificate chains; we read public pages
# and send nothing secret, so certificates are not verified (Scrapy's default, made explicit).
DOWNLOAD_VERIFY_CERTIFICATES = False
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

ITEM_PIPELINES = {"scraper.pipelines.StorePipeline": 300}

# Where the pipeline writes; `bantin crawl --db` overrides it.
BANTIN_DB = os.environ.get("BANTIN_DB", "bantin.db")
# How many list pages per start URL at the most (a pager that never ends cannot trap us).
BANTIN_MAX_LIST_PAGES = 50
# Incremental crawls: stop paging after this many list pages in a row that hold only stored
# articles (a page answered 304 Not Modified stops paging at once).
BANTIN_KNOWN_LIST_PAGES = 1
# SQLite page cache of the crawl's writer connection, MiB: a crawl writes one page at a time,
# so a small cache costs little and keeps a long crawl's memory bounded (bulk loads use 256).
BANTIN_DB_CACHE_MIB = 64
# True (`bantin crawl --refresh`): fetch stored articles again, their edits kept as revisions.
BANTIN_REFRESH = False
# Extraction runs after fetching, over the pages this run queued (scraper.extraction): in this
# many worker processes at the most (unset: one per core but one, at least one; 0: in the
# crawl's own process), each page given this many seconds before its worker is killed and the
# page recorded as a fault.
BANTIN_EXTRACT_PROCESSES = os.environ.get("BANTIN_EXTRACT_PROCESSES") or None
BANTIN_EXTRACT_TIMEOUT = float(os.environ.get("BANTIN_EXTRACT_TIMEOUT", "120"))

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("BANTIN_LOG_LEVEL", "INFO")
