"""Run the Scrapy spider in-process over a list of sites (one reactor per process), with the
run's structured log and progress display attached."""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from bantin import progress, runlog
from scraper.registry import Site
from scraper.spiders.portal import PortalSpider

log = logging.getLogger("bantin.crawl")

EXIT_ALL_FAILED = 3  # every site failed: nothing was fetched from any of them


@dataclass
class CrawlResult:
    stats: dict[str, Any]
    run: dict | None  # the crawl_runs row, when the pipeline kept run records
    log_path: Path | None

    @property
    def all_failed(self) -> bool:
        return bool(self.run) and self.run.get("status") == "failed"


def scrapy_settings(db_path: str, overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("BANTIN_DB", db_path, priority="cmdline")
    middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES"), progress.TRACKER: progress.TRACKER_ORDER}
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="project")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(sites: list[Site], db_path: str, overrides: dict[str, Any] | None = None,
              since: date | None = None, log_path: Path | None = None, show_progress: bool = True) -> CrawlResult:
    """Crawl `sites` into `db_path`, skipping articles listed before `since`. With `log_path`,
    every log record of the run also goes there as a JSON line, and the run record points at it."""
    overrides = dict(overrides or {})
    if log_path:
        overrides["BANTIN_LOG_PATH"] = str(log_path)
    process = CrawlerProcess(scrapy_settings(db_path, overrides))
    crawler = process.create_crawler(PortalSpider)
    if show_progress:
        progress.Progress(crawler, [s.id for s in sites])
    if log_path:
        with runlog.attached(log_path, sites):
            _start(process, crawler, sites, since, log_path)
            run = getattr(crawler, "bantin_run_summary", None)
            log.info("run finished", extra={"event": "run-end", "run_id": (run or {}).get("id"),
                                            "status": (run or {}).get("status")})
    else:
        _start(process, crawler, sites, since, log_path)
    return CrawlResult(dict(crawler.stats.get_stats()), getattr(crawler, "bantin_run_summary", None), log_path)


def _start(process: CrawlerProcess, crawler, sites: list[Site], since: date | None, log_path: Path | None) -> None:
    log.info("run starting: %d sites", len(sites),
             extra={"event": "run-start", "detail": {"sites": [s.id for s in sites], "since": since,
                                                     "argv": sys.argv[1:], "log": str(log_path)}})
    process.crawl(crawler, sites=sites, since=since)
    process.start()


LOOPBACK_OVERRIDES = {
    # Our own demo server on loopback: no need to wait between requests.
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
}
