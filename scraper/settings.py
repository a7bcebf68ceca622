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

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 2.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50% (older Scrapy: RANDOMIZE_DOWNLOAD_DELAY, on by default)
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

ITEM_PIPELINES = {"scraper.pipelines.StorePipeline": 300}

# Where the pipeline writes; `bantin crawl --db` overrides it.
BANTIN_DB = os.environ.get("BANTIN_DB", "bantin.db")
# How many list pages per start URL at the most (a pager that never ends cannot trap us).
BANTIN_MAX_LIST_PAGES = 50

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("BANTIN_LOG_LEVEL", "INFO")
