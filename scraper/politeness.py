"""Slowing a host down for the rest of a run, when it asks: a robots.txt Crawl-delay
(scraper.robots), or a 503/429 answer with Retry-After (RetryAfterMiddleware below).

Scrapy keeps one download slot per host with its own delay; AutoThrottle lowers that delay
after every fast response, so a delay a host asked for is kept as a floor and raised back
after each response. Scrapy frees the slot for the host's next request as soon as a response
is downloaded, before any middleware reads it: a Retry-After is therefore applied on the
`response_downloaded` signal, which comes first, so not one more request leaves without it.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy import signals
from scrapy.http import Request, Response

log = logging.getLogger(__name__)

SLOW_DOWN = (429, 503)  # the answers whose Retry-After asks us to come back later


class HostDelays:
    """Per download slot, the least delay between requests a host asked for; one per crawler."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("BANTIN_MAX_RETRY_AFTER", 60.0)
        self.floors: dict[str, float] = {}
        crawler.signals.connect(self._keep_floor, signal=signals.response_downloaded)

    @classmethod
    def of(cls, crawler) -> "HostDelays":
        if getattr(crawler, "bantin_host_delays", None) is None:
            crawler.bantin_host_delays = cls(crawler)
        return crawler.bantin_host_delays

    def at_least(self, request: Request, delay: float) -> float:
        """Wait at least `delay` seconds between this host's requests from now on, exactly (no
        jitter below it); returns the host's floor."""
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        self.floors[key] = max(self.floors.get(key, 0.0), delay)
        downloader.per_slot_settings.setdefault(key, {}).update(delay=self.floors[key], jitter=0.0)  # slots made later
        self.raise_to_floor(request)
        return self.floors[key]

    def raise_to_floor(self, request: Request) -> None:
        if not self.floors:
            return
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        floor = self.floors.get(key)
        slot = downloader.slots.get(key)
        if floor is not None and slot is not None and (slot.delay < floor or slot.jitter):
            slot.delay, slot.jitter = max(slot.delay, floor), 0.0

    def _keep_floor(self, response: Response, request: Request, spider=None) -> None:
        """A 503 or 429's Retry-After (capped) raises the floor; AutoThrottle may lower a slot's
        delay after each response: never below the floor."""
        if response.status in SLOW_DOWN:
            seconds = retry_after_seconds(response.headers.get(b"Retry-After"))
            if seconds is not None:
                self.at_least(request, min(seconds, self.cap))
                return
        self.raise_to_floor(request)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); None when absent
    or unreadable."""
    if not value:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware:
    """Downloader middleware, placed after RetryMiddleware (a higher number) so that it sees a
    503 or 429 first. Its Retry-After becomes the host's delay for the rest of the run, capped
    by BANTIN_MAX_RETRY_AFTER (HostDelays has set it already, when the response was downloaded);
    the page's retries then wait that long. A host asking for longer than the cap is not asked
    again for that page this run (it is recorded as its HTTP fault)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.delays = HostDelays.of(crawler)
        self.cap = self.delays.cap

    @classmethod
    def from_crawler(cls, crawler) -> "RetryAfterMiddleware":
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if response.status not in SLOW_DOWN:
            return response
        seconds = retry_after_seconds(response.headers.get(b"Retry-After"))
        if seconds is None:
            return response
        stats = self.crawler.stats
        stats.inc_value("bantin/retry_after")
        if seconds > self.cap:
            request.meta["dont_retry"] = True
            stats.inc_value("bantin/retry_after_too_long")
        delay = self.delays.at_least(request, min(seconds, self.cap))
        log.info("%s answered %s with Retry-After %s: %s s between its requests from now on%s", request.url,
                 response.status, f"{seconds:.0f} s", f"{delay:g}",
                 "; this page is not asked again this run" if seconds > self.cap else "")
        return response
