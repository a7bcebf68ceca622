"""Store every fetched page raw, an article page with its place in the extraction queue: one
transaction per page, with the run's counters, so a killed crawl leaves each page whole or
absent and its record accurate. When the spider closes, the extraction pass
(scraper.extraction) turns the queue into articles and facts, then the run is finished."""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from db import connect, crawlstate, runs
from db.store import RawPage, now, save_page, save_parts, upsert_site
from scraper.extraction import ExtractionPass
from scraper.runs import RunLog


@contextmanager
def stop_signals() -> Iterator[list[int]]:
    """While the extraction pass runs, SIGTERM and SIGINT are noted instead of handled: the pass
    runs in the reactor's thread, so Scrapy's own handler (which asks the reactor to stop) would
    wait for the whole pass. Noted, they end the pass after the page being written; the run is
    then finished and recorded, and the rest stays queued for the next run."""
    noted: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield noted  # signals reach only the main thread: nothing to take over here
        return
    def note(signum, frame):
        noted.append(signum)
    previous = {signum: signal.signal(signum, note) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield noted
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.db_path = crawler.settings.get("BANTIN_DB")
        self.stats = crawler.stats
        self.db = None
        self.run: RunLog | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        self.db = connect(self.db_path, cache_mib=self.crawler.settings.getint("BANTIN_DB_CACHE_MIB", 64))
        sites = getattr(spider or self.crawler.spider, "sites", {})
        with self.db.conn:
            for site in sites.values():
                upsert_site(self.db, site.as_row())
        self.sites = sites
        self.run = RunLog.start(self.crawler, self.db, list(sites))
        self.opened = time.monotonic()

    def close_spider(self, spider=None):
        if self.db is None:
            return
        if self.run is not None:
            with self.db.conn:
                self.run.write_responses()  # the fetching's counts, before the pass and its progress lines
            self._extract()
            self.crawler.bantin_run_summary = self.run.finish()
        self.db.conn.close()

    def _extract(self) -> None:
        """The queued pages of this run's sites, then the stats the crawl's summary reports."""
        settings = self.crawler.settings
        self.stats.set_value("bantin/fetch_seconds", round(time.monotonic() - self.opened, 3))
        processes = settings.get("BANTIN_EXTRACT_PROCESSES")
        display = getattr(self.crawler, "bantin_progress", None)
        with stop_signals() as stopping:
            tally = ExtractionPass(self.db, self.run.run_id, self.sites,
                                   int(processes) if processes not in (None, "") else None,
                                   settings.getfloat("BANTIN_EXTRACT_TIMEOUT", 120.0),
                                   display.extracting if display else None, stop=lambda: bool(stopping)).run()
        for key, value in (("articles_new", tally.new), ("articles_updated", tally.updated),
                           ("extract_errors", tally.errors), ("extract_processes", tally.processes),
                           ("extract_left", tally.left)):
            if value:
                self.stats.set_value(f"bantin/{key}", value)
        self.stats.set_value("bantin/extract_seconds", round(tally.seconds, 3))

    def process_item(self, item, spider=None):
        parts = [RawPage(**part) for part in item.get("parts", [])]
        page = RawPage(**{k: v for k, v in item.items() if k != "parts"})
        with self.db.conn:
            self.run.write_responses()
            page_id = save_page(self.db, page, self.run.run_id)
            save_parts(self.db, page_id, parts, self.run.run_id)
            if page.kind == "article":
                crawlstate.enqueue(self.db, page_id, self.run.run_id, page.site_id, now())
                self._count(page.site_id, article_pages=1)
        self.stats.inc_value(f"bantin/pages/{page.kind}")
        return {"url": page.url, "kind": page.kind, "site_id": page.site_id}

    def _count(self, site_id: str, **increments: int) -> None:
        runs.count(self.db, self.run.run_id, site_id, **increments)
