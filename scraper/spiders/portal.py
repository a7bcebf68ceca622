"""One generic spider for every portal in the registry.

It walks each site's list pages and their pagination, follows article links the
site's platform profile recognises, and yields raw pages; extraction and storage
happen in the pipeline, so a page that fails to extract is still kept.
"""
from __future__ import annotations

from datetime import datetime, timezone

import scrapy
from scrapy.http import Response

from scraper import registry
from scraper.platforms import profile_for
from scraper.registry import Site


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, sites: list[Site] | None = None, site: str | None = None,
                 registry_path: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if sites is None:  # `scrapy crawl portal -a site=ID[,ID]` from the command line
            loaded = registry.load(registry_path or registry.DEFAULT_REGISTRY)
            sites = registry.select(loaded, [s for s in (site or "").split(",") if s])
        self.sites = {s.id: s for s in sites}

    async def start(self):
        for site in self.sites.values():
            for url in site.start_urls:
                yield scrapy.Request(url, callback=self.parse_list, errback=self.on_error,
                                     meta={"site_id": site.id, "list_page": 1})

    def parse_list(self, response: Response):
        site = self.sites[response.meta["site_id"]]
        profile = profile_for(site.platform)
        if not self._is_html(response):
            return
        yield self._page_item(response, site, "list")
        for url in profile.article_links(response.url, response.text):
            if site.owns(url):
                yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error,
                                     meta={"site_id": site.id})
        page = response.meta.get("list_page", 1)
        limit = self.settings.getint("BANTIN_MAX_LIST_PAGES", 50)
        next_url = profile.next_page(response.url, response.text)
        if next_url and site.owns(next_url) and page < limit:
            yield scrapy.Request(next_url, callback=self.parse_list, errback=self.on_error,
                                 meta={"site_id": site.id, "list_page": page + 1})

    def parse_article(self, response: Response):
        if not self._is_html(response):
            return
        yield self._page_item(response, self.sites[response.meta["site_id"]], "article")

    def on_error(self, failure):
        request = failure.request
        self.crawler.stats.inc_value(f"bantin/errors/{type(failure.value).__name__}")
        self.logger.warning("fetch failed: %s (%s: %s)", request.url, type(failure.value).__name__, failure.value)

    def _is_html(self, response: Response) -> bool:
        kind = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if kind and "html" not in kind and "xml" not in kind:
            self.logger.info("skipping non-HTML %s (%s)", response.url, kind)
            return False
        return True

    @staticmethod
    def _page_item(response: Response, site: Site, kind: str) -> dict:
        redirects = response.meta.get("redirect_urls") or []
        return {
            "url": redirects[0] if redirects else response.url,
            "final_url": response.url,
            "site_id": site.id,
            "kind": kind,
            "status": response.status,
            "headers": {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()},
            "body": response.body,
            "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
