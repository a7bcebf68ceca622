"""robots.txt the way RFC 9309 reads it, with Crawl-delay, in place of Scrapy's RobotsTxtMiddleware.

Scrapy's middleware treats a robots.txt that answers 5xx, or cannot be fetched at all, as
"allow all"; RFC 9309 §2.3.1.4 says the opposite: a server that cannot say what it allows
gets nothing fetched from it. Per scheme, host and port, once per run:

- 2xx: the file is parsed (Protego, as Scrapy does) and obeyed, and its Crawl-delay for our
  user agent becomes the host's download delay (capped by BANTIN_MAX_CRAWL_DELAY, never below
  our own DOWNLOAD_DELAY);
- 4xx, or more redirects than REDIRECT_MAX_TIMES (5, RFC 9309 §2.3.1.2): "unavailable",
  everything is allowed;
- 5xx, any other status, or unreachable (timeout, DNS, refused, reset): nothing is fetched
  from the host this run, and each site that asked is recorded once as robots-unavailable.

Requests the rules forbid are dropped with IgnoreRequest("... robots.txt ..."), which
scraper.runs.fault_kind calls 'robots-disallowed'. They are not faults of the site (it asked
us not to come), so they are only counted (stats robots/disallowed) and logged at DEBUG; the
site-level 'robots-unavailable' record is the one fault written.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from protego import Protego
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from scraper.politeness import HostDelays

log = logging.getLogger(__name__)

ROBOTS_PRIORITY = 1000  # ahead of every page of the host, which waits for it anyway
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least the first 500 KiB, ignore the rest

ALLOW_ALL, OBEY, DISALLOW_ALL = "allow-all", "obey", "disallow-all"


@dataclass(frozen=True)
class Rules:
    """What one host's robots.txt said this run."""
    robots_url: str
    verdict: str  # ALLOW_ALL, OBEY or DISALLOW_ALL
    detail: str
    parser: Protego | None = None
    crawl_delay: float | None = None

    def allows(self, url: str, user_agent: str) -> bool:
        if self.verdict == OBEY and self.parser is not None:
            return self.parser.can_fetch(url, user_agent)
        return self.verdict == ALLOW_ALL


def verdict_for_status(status: int) -> str:
    """RFC 9309 §2.3.1: 2xx is obeyed, 4xx means no rules, anything else means stay away."""
    if 200 <= status < 300:
        return OBEY
    if 400 <= status < 500:
        return ALLOW_ALL
    return DISALLOW_ALL


def rules_from_response(response: Response, user_agent: str) -> Rules:
    verdict = verdict_for_status(response.status)
    detail = f"robots.txt answered {response.status}"
    if verdict != OBEY:
        return Rules(response.url, verdict, detail)
    text = response.body[:MAX_ROBOTS_BYTES].decode("utf-8-sig", errors="ignore")
    parser = Protego.parse(text)
    return Rules(response.url, OBEY, detail, parser, parser.crawl_delay(user_agent))


def rules_from_error(robots_url: str, exc: BaseException) -> Rules:
    """A robots.txt that could not be fetched: a redirect loop counts as unavailable (allow all,
    RFC 9309 §2.3.1.2); a timeout, refusal, reset or DNS failure as unreachable (disallow all)."""
    detail = f"robots.txt unreachable: {type(exc).__name__}: {exc}"
    if isinstance(exc, IgnoreRequest) and "redirect" in str(exc).lower():
        return Rules(robots_url, ALLOW_ALL, f"robots.txt redirects too often ({exc})")
    return Rules(robots_url, DISALLOW_ALL, detail)


class RobotsTxtMiddleware:
    """Downloader middleware: fetch each host's robots.txt once, hold the host's requests until
    it is read, then drop what it forbids and slow the host down to its Crawl-delay."""

    def __init__(self, crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.user_agent: str = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.max_crawl_delay = settings.getfloat("BANTIN_MAX_CRAWL_DELAY", 30.0)
        self.own_delay = settings.getfloat("DOWNLOAD_DELAY")
        self._rules: dict[str, Rules | Deferred] = {}
        self.delays = HostDelays.of(crawler)  # a host's Crawl-delay, kept as its slot's least delay
        self._reported: set[str] = set()  # site ids already recorded as robots-unavailable

    @classmethod
    def from_crawler(cls, crawler) -> "RobotsTxtMiddleware":
        return cls(crawler)

    async def process_request(self, request: Request, spider=None) -> None:
        if request.meta.get("dont_obey_robotstxt") or urlparse_cached(request).scheme not in ("http", "https"):
            return None
        rules = await self._rules_for(request)
        self._check(rules, request)
        self.delays.raise_to_floor(request)
        return None

    # --- fetching robots.txt, once per host ---

    async def _rules_for(self, request: Request) -> Rules:
        parts = urlparse_cached(request)
        origin = f"{parts.scheme}://{parts.netloc}"
        known = self._rules.get(origin)
        if isinstance(known, Rules):
            return known
        if isinstance(known, Deferred):  # being fetched for another request: wait for it, then read
            await maybe_deferred_to_future(known)  # it (a Deferred hands its result to the first waiter only)
            return self._rules[origin]
        waiting: Deferred = Deferred()
        self._rules[origin] = waiting
        rules = await self._fetch(f"{origin}/robots.txt")
        self._rules[origin] = rules
        self._apply_crawl_delay(rules, request)
        waiting.callback(rules)
        return rules

    async def _fetch(self, robots_url: str) -> Rules:
        stats = self.crawler.stats
        robots_request = Request(robots_url, priority=ROBOTS_PRIORITY, dont_filter=True, callback=NO_CALLBACK,
                                 meta={"dont_obey_robotstxt": True})
        stats.inc_value("robots/fetched")
        try:
            response = await self.crawler.engine.download_async(robots_request)
        except Exception as exc:  # noqa: BLE001 (every way of not getting it is an answer: see rules_from_error)
            rules = rules_from_error(robots_url, exc)
        else:
            stats.inc_value(f"robots/status/{response.status}")
            rules = rules_from_response(response, self.user_agent)
        if rules.verdict == DISALLOW_ALL:
            stats.inc_value("robots/unavailable_hosts")
            log.warning("%s: %s; nothing is fetched from this host this run", robots_url, rules.detail)
        return rules

    # --- obeying it ---

    def _check(self, rules: Rules, request: Request) -> None:
        if rules.verdict == DISALLOW_ALL:
            self._report_unavailable(rules, request)
        if rules.allows(request.url, self.user_agent):
            return
        self.crawler.stats.inc_value("robots/disallowed")
        log.debug("forbidden by robots.txt (%s): %s", rules.verdict, request.url)
        if rules.verdict == DISALLOW_ALL:
            raise IgnoreRequest(f"robots.txt unavailable ({rules.detail}): nothing fetched from this host")
        raise IgnoreRequest("Forbidden by robots.txt")

    def _report_unavailable(self, rules: Rules, request: Request) -> None:
        """One robots-unavailable record per site and run, however many of its requests wait."""
        site_id = request.meta.get("site_id")
        run = getattr(self.crawler, "bantin_run", None)
        if not site_id or site_id in self._reported or run is None:
            return
        self._reported.add(site_id)
        run.site_unavailable(site_id, rules.robots_url, rules.detail)

    # --- Crawl-delay ---

    def _apply_crawl_delay(self, rules: Rules, request: Request) -> None:
        """The host's slot waits its Crawl-delay between requests, exactly (no jitter below it)."""
        if not rules.crawl_delay:
            return
        wanted = min(rules.crawl_delay, self.max_crawl_delay)
        delay = self.delays.at_least(request, max(wanted, self.own_delay))
        log.info("%s asks for Crawl-delay %s s: waiting %s s between requests", rules.robots_url,
                 rules.crawl_delay, delay)
