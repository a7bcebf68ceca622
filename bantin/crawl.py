"""Run the Scrapy spider in-process over a list of sites (one reactor per process)."""
from __future__ import annotations

from datetime import date
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from scraper.registry import Site
from scraper.spiders.portal import PortalSpider


def scrapy_settings(db_path: str, overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("BANTIN_DB", db_path, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(sites: list[Site], db_path: str, overrides: dict[str, Any] | None = None,
              since: date | None = None) -> dict[str, Any]:
    """Crawl `sites` into `db_path`, skipping articles listed before `since`; returns Scrapy's stats."""
    process = CrawlerProcess(scrapy_settings(db_path, overrides))
    crawler = process.create_crawler(PortalSpider)
    process.crawl(crawler, sites=sites, since=since)
    process.start()
    return dict(crawler.stats.get_stats())


LOOPBACK_OVERRIDES = {
    # Our own demo server on loopback: no need to wait between requests.
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
}
