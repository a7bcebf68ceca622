"""What a running crawl is doing, for the person or the cron mail watching it.

In a terminal one status line is rewritten in place (pages fetched, new articles, errors,
sites done); anywhere else (cron, systemd, a pipe) a plain timestamped line is written as
each site's fetching finishes ("fetched"), and one per site at the end, after the extraction
pass, with its new articles ("done"), because a rewritten line is noise in a mail or a journal.

A site is done when none of its requests is scheduled, downloading or being retried and that
has held for two ticks (a callback may still be about to yield the next request when the
last response arrives). Counters come from the run's records when the pipeline keeps them
(crawl_run_sites), else from the responses seen here."""
from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import IO, Any

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

TICK_SECONDS = 1.0
TRACKER = "bantin.progress.SiteTracker"
TRACKER_ORDER = 990  # next to the downloader: sees every response and every failure first


@dataclass
class SiteState:
    site_id: str
    pages: int = 0
    new_articles: int | None = None  # unknown until the run records say
    errors: int = 0
    inflight: set[int] = field(default_factory=set)
    seen: int = 0
    idle_ticks: int = 0
    done: bool = False
    status: str | None = None  # the run record's verdict, known at the end


class Progress:
    """Follows one crawler through its signals and the SiteTracker middleware."""

    def __init__(self, crawler, site_ids: list[str], stream: IO[str] | None = None, tty: bool | None = None,
                 tick: float = TICK_SECONDS) -> None:
        self.crawler = crawler
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.tick_seconds = tick
        self.sites = {site_id: SiteState(site_id) for site_id in site_ids}
        self.started = time.monotonic()
        self.extract_shown = 0.0  # when the extraction pass's line was last written
        self.loop = None
        crawler.bantin_progress = self
        crawler.signals.connect(self.scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self.left, signal=signals.request_dropped)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    # --- what happens to requests

    def _site(self, request: Request) -> SiteState | None:
        return self.sites.get(request.meta.get("site_id"))

    def scheduled(self, request: Request, spider=None) -> None:
        site = self._site(request)
        if site:
            site.inflight.add(id(request))
            site.seen += 1
            site.idle_ticks = 0

    def left(self, request: Request, spider=None, status: int | None = None, failed: bool = False) -> None:
        """The request is over (answered, failed, or dropped as a duplicate)."""
        site = self._site(request)
        if not site:
            return
        site.inflight.discard(id(request))
        if status is not None and (200 <= status < 300 or status == 304):
            site.pages += 1
        elif failed or (status is not None and status >= 400):
            site.errors += 1

    # --- the display

    def opened(self, spider=None) -> None:
        from twisted.internet import task

        if self.tty:  # a warning printed to the terminal starts on a clean line, not after the status
            for handler in logging.getLogger().handlers:
                if getattr(handler, "stream", None) is self.stream:
                    handler.addFilter(self._clear_line)

        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.tick_seconds, now=False)

    def closed(self, spider=None, reason: str | None = None) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self._refresh(final=True)
        for site in self.sites.values():  # whatever is left ended with the crawl
            if not site.done:
                self._finish(site)
        if not self.tty:  # new articles are known once the extraction pass has run
            when = datetime.now(timezone.utc)
            self.stream.write("".join(site_line(site, when) + "\n" for site in self.sites.values()))
            self.stream.flush()
        if self.tty:
            self._write_status()
            self.stream.write("\n")
            self.stream.flush()

    def tick(self) -> None:
        self._refresh()
        for site in self.sites.values():
            if site.done or not site.seen or site.inflight:
                continue
            site.idle_ticks += 1
            if site.idle_ticks >= 2:
                self._finish(site)
        if self.tty:
            self._write_status()

    def extracting(self, done: int, total: int, new: int) -> None:
        """The extraction pass's progress (the reactor, and so tick, waits while it runs): in a
        terminal the status line, at most twice a second; elsewhere one line as it starts."""
        now = time.monotonic()
        if self.tty:
            if done < total and now - self.extract_shown < 0.5:
                return
            self.extract_shown = now
            line = f"{_duration(now - self.started)}  extracting {done:,}/{total:,} pages  new articles {new:,}"
            self.stream.write("\r" + line + "\x1b[K")
        elif done == 0:
            when = datetime.now(timezone.utc)
            self.stream.write(f"{when:%Y-%m-%dT%H:%M:%SZ} extracting {total:,} pages\n")
        self.stream.flush()

    def _clear_line(self, record: logging.LogRecord) -> bool:
        self.stream.write("\r\x1b[K")
        return True

    def _finish(self, site: SiteState) -> None:
        site.done = True
        if not self.tty:
            self.stream.write(fetched_line(site, datetime.now(timezone.utc)) + "\n")
            self.stream.flush()

    def _refresh(self, final: bool = False) -> None:
        """Take the pipeline's own counts when it keeps run records (they know what was new).
        At the end the pipeline has closed its connection, so the finished run is read afresh."""
        run = getattr(self.crawler, "bantin_run", None)
        if run is None:
            return
        from db import runs
        from db.schema import connect

        try:
            if not final:
                self._take(runs.site_rows(run.db, run.run_id))
                return
            db = connect(self.crawler.settings.get("BANTIN_DB"), readonly=True)
            try:
                self._take(runs.site_rows(db, run.run_id))
            finally:
                db.conn.close()
        except Exception:  # the display must never break the crawl
            return

    def _take(self, rows: list[dict]) -> None:
        for row in rows:
            site = self.sites.get(row["site_id"])
            if site:
                site.pages, site.new_articles, site.errors = row["pages"], row["new_articles"], row["errors"]
                site.status = row["status"] if row["status"] != "running" else None

    def _write_status(self) -> None:
        try:
            width = os.get_terminal_size(self.stream.fileno()).columns  # the terminal we write to
        except (OSError, ValueError, AttributeError):
            width = 0
        if width < 20:  # unknown (a pty without a size says 0)
            width = shutil.get_terminal_size((100, 20)).columns
        line = status_line(list(self.sites.values()), time.monotonic() - self.started, self._stats(), width)
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()

    def _stats(self) -> dict[str, Any]:
        stats = getattr(self.crawler, "stats", None)
        return stats.get_stats() if stats else {}


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}h{rest // 60:02d}m" if hours else f"{rest // 60}m{rest % 60:02d}s"


def status_line(sites: list[SiteState], elapsed: float, stats: dict[str, Any] | None = None, width: int = 100) -> str:
    """The one line shown in a terminal, cut to its width."""
    stats = stats or {}
    pages = sum(s.pages for s in sites)
    known = [s.new_articles for s in sites if s.new_articles is not None]
    new = sum(known) if known else stats.get("bantin/articles_new", 0)
    errors = sum(s.errors for s in sites)
    done = sum(s.done for s in sites)
    running = [s.site_id for s in sites if not s.done and s.seen]
    line = (f"{_duration(elapsed)}  pages {pages:,}  new articles {new:,}  errors {errors:,}  "
            f"sites done {done}/{len(sites)}")
    if running:
        shown = ", ".join(running[:3]) + (f" +{len(running) - 3}" if len(running) > 3 else "")
        line += f"  running: {shown}"
    return line if len(line) <= width - 1 else line[: max(width - 2, 0)] + "…"


def fetched_line(site: SiteState, when: datetime) -> str:
    """The plain line written under cron when a site's last page is fetched."""
    return f"{when:%Y-%m-%dT%H:%M:%SZ} site {site.site_id} fetched: {site.pages} pages, {site.errors} errors"


def site_line(site: SiteState, when: datetime) -> str:
    """The plain line written under cron for each site at the end of the run."""
    new = "?" if site.new_articles is None else f"{site.new_articles}"
    line = (f"{when:%Y-%m-%dT%H:%M:%SZ} site {site.site_id} done: {site.pages} pages, {new} new articles, "
            f"{site.errors} errors")
    return line + (f" ({site.status})" if site.status else "")


class SiteTracker:
    """Downloader middleware telling Progress when each request is over, whatever the outcome."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    @classmethod
    def from_crawler(cls, crawler):
        progress = getattr(crawler, "bantin_progress", None)
        if progress is None:
            raise NotConfigured  # no display for this crawl (silently: an argument would be logged)
        return cls(progress)

    def process_response(self, request: Request, response):
        self.progress.left(request, status=response.status)
        return response

    def process_exception(self, request: Request, exception: Exception):
        # robots.txt and other deliberate skips are not faults of the site
        self.progress.left(request, failed=not isinstance(exception, IgnoreRequest))
        return None
