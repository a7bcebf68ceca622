"""One generic spider for every portal in the registry.

For each site it discovers articles the ways the registry entry allows (list pages and
their pagination, RSS/Atom feeds, sitemaps, the WordPress API), follows the links its
platform profile recognises as articles, and yields raw pages; extraction and storage
happen in the pipeline, so a page that fails to extract is still kept. An article split
over several pages is yielded once, with its continuation pages attached.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from urllib.parse import urljoin

import scrapy
from scrapy.http import FormRequest, Response

from db import connect, crawlstate
from extract import layouts
from scraper import discovery, registry
from scraper.platforms import Profile, profile_for
from scraper.registry import Site
from scraper.runs import fault_kind

MAX_PARTS = 10  # continuation pages of one article at the most


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, sites: list[Site] | None = None, site: str | None = None,
                 registry_path: str | None = None, since: date | str | None = None, refresh: bool | str = False,
                 **kwargs):
        super().__init__(**kwargs)
        if sites is None:  # `scrapy crawl portal -a site=ID[,ID]` from the command line
            loaded = registry.load(registry_path or registry.DEFAULT_REGISTRY)
            sites = registry.select(loaded, [s for s in (site or "").split(",") if s])
        self.sites = {s.id: s for s in sites}
        self.since = date.fromisoformat(since) if isinstance(since, str) else since
        self._refresh = refresh in (True, "1", "true", "yes")
        self._state = None

    @property
    def refresh(self) -> bool:
        """Fetch stored articles again (their edits become new revisions) and lists unconditionally."""
        return self._refresh or self.settings.getbool("BANTIN_REFRESH")

    @property
    def state(self):
        """What the database already holds: read there, not kept in memory, so it is never stale."""
        if self._state is None:
            self._state = connect(self.settings.get("BANTIN_DB"), readonly=True)
        return self._state

    def closed(self, reason):
        if self._state is not None:
            self._state.conn.close()

    @property
    def run(self):
        return getattr(self.crawler, "bantin_run", None)

    async def start(self):
        for site in self.sites.values():
            profile = profile_for(site.platform)
            meta = {"site_id": site.id}
            if "list" in site.discovery:
                for url in site.start_urls:
                    yield self._list_request(url, site, list_page=1)
            if "feed" in site.discovery:
                for url in site.feeds or [urljoin(site.home_url, f) for f in profile.feeds]:
                    yield self._request(url, self.parse_feed, meta)
            if "sitemap" in site.discovery:
                for url in site.sitemaps or [urljoin(site.home_url, s) for s in profile.sitemaps]:
                    yield self._request(url, self.parse_sitemap, meta)
            if "api" in site.discovery and profile.api == "wordpress":
                yield self._request(self._wp_page(site, profile, 1), self.parse_wp_api, meta, api_page=1)

    # --- listings ---

    def parse_list(self, response: Response):
        site = self.sites[response.meta["site_id"]]
        profile = profile_for(site.platform)
        if response.status == 304:  # unchanged since the last run: nothing new was listed on it
            self._count(site, list_pages=1, not_modified=1)
            return
        if not self._is_html(response):
            return
        yield self._page_item(response, site, "list")
        dates = self._item_dates(response, profile)
        offered = profile.article_links(response.url, response.text)
        fresh = [url for url in offered if not self._too_old(dates.get(url))]
        requests = self._listed(site, fresh, found=len(offered))
        yield from requests
        if offered and not fresh and self.since:
            self.logger.info("%s: list page %s holds only articles before %s; paging stops", site.id, response.url,
                             self.since)
            return
        settled = not requests and self._all_settled(offered)
        known_pages = response.meta.get("known_pages", 0) + 1 if settled else 0
        if not self.refresh and known_pages >= self.settings.getint("BANTIN_KNOWN_LIST_PAGES", 1):
            self.logger.info("%s: list page %s holds only stored articles; paging stops", site.id, response.url)
            return
        page = response.meta.get("list_page", 1)
        if page >= self.settings.getint("BANTIN_MAX_LIST_PAGES", 50):
            return
        next_url = profile.next_page(response.url, response.text)
        if next_url and site.owns(next_url):
            yield self._list_request(next_url, site, list_page=page + 1, known_pages=known_pages)
        elif profile.postback_next:
            target = discovery.postback(response.xpath(profile.postback_next).get())
            if target:
                yield self._postback(response, target, {"site_id": site.id, "list_page": page + 1,
                                                        "known_pages": known_pages,
                                                        "storage_url": f"{response.url.split('#')[0]}#postback={target[1]}"})

    def parse_feed(self, response: Response):
        site = self.sites[response.meta["site_id"]]
        items = discovery.feed_items(response.body)
        yield from self._listed(site, [urljoin(response.url, i.url) for i in items if not self._too_old(i.published)],
                                found=len(items))

    def parse_sitemap(self, response: Response):
        site = self.sites[response.meta["site_id"]]
        children, pages = discovery.sitemap_entries(response.body)
        for child in children:
            child = urljoin(response.url, child)
            if site.owns(child):
                yield self._request(child, self.parse_sitemap, {"site_id": site.id})
        yield from self._listed(site, [urljoin(response.url, p.url) for p in pages if not self._too_old(p.published)],
                                found=len(pages))

    def parse_wp_api(self, response: Response):
        site = self.sites[response.meta["site_id"]]
        profile = profile_for(site.platform)
        posts = discovery.wordpress_posts(response.body)
        urls = [urljoin(response.url, p.url) for p in posts]
        requests = self._listed(site, [u for u, p in zip(urls, posts) if not self._too_old(p.published)],
                                found=len(posts))
        yield from requests
        page = response.meta["api_page"]
        total = int(response.headers.get("X-WP-TotalPages", b"0").decode("latin-1") or 0)
        if not requests and self._all_settled(urls) and not self.refresh:
            return  # every post on this page was stored by an earlier run: older pages hold nothing new
        if posts and page < total and not all(self._too_old(p.published) for p in posts):
            yield self._request(self._wp_page(site, profile, page + 1), self.parse_wp_api, {"site_id": site.id},
                                api_page=page + 1)

    # --- articles ---

    def parse_article(self, response: Response):
        if not self._is_html(response):
            return
        site = self.sites[response.meta["site_id"]]
        item = self._page_item(response, site, "article")
        next_part = self._continuation(site, response)
        if next_part:
            yield self._request(next_part, self.parse_part, {"site_id": site.id, "item": item})
        else:
            yield item

    def parse_part(self, response: Response):
        """A later page of an article split over pages: attach it, then the next, then yield."""
        site = self.sites[response.meta["site_id"]]
        item = response.meta["item"]
        item["parts"] = [*item.get("parts", []), self._page_item(response, site, "part")]
        next_part = self._continuation(site, response)
        if next_part and len(item["parts"]) < MAX_PARTS:
            yield self._request(next_part, self.parse_part, {"site_id": site.id, "item": item})
        else:
            yield item

    def on_error(self, failure):
        request = failure.request
        kind = fault_kind(failure)
        self.crawler.stats.inc_value(f"bantin/errors/{kind}")
        if kind == "robots-disallowed":  # the site's wish, not a fault
            self.logger.debug("forbidden by robots.txt: %s", request.url)
        else:
            self.logger.warning("fetch failed: %s (%s: %s)", request.url, kind, failure.value)
            if self.run is not None:
                self.run.fault(request.meta.get("site_id"), request.url, kind,
                               f"{type(failure.value).__name__}: {failure.value}")
        item = request.meta.get("item")
        if item is not None:  # a continuation page failed: keep what we have of the article
            return [item]
        return None

    # --- helpers ---

    def _request(self, url: str, callback, meta: dict, **extra) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta={**meta, **extra})

    def _postback(self, response: Response, target: tuple[str, str], meta: dict) -> FormRequest:
        """Page an ASP.NET list the way its pager link would: post the page's form back with
        the hidden state fields and the event target and argument."""
        form = (response.xpath("//form[@id='aspnetForm']") or response.xpath("//form"))[:1]
        fields = {i.attrib["name"]: i.attrib.get("value", "")
                  for i in form.xpath(".//input[@type='hidden'][@name]")} if form else {}
        fields.update({"__EVENTTARGET": target[0], "__EVENTARGUMENT": target[1]})
        action = urljoin(response.url, form.attrib.get("action") or response.url) if form else response.url
        return FormRequest(action, formdata=fields, callback=self.parse_list, errback=self.on_error, meta=meta)

    def _listed(self, site: Site, urls: list[str], found: int) -> list[scrapy.Request]:
        """Requests for the listed articles not stored yet; the listing goes into the run record
        in one count (a list page, the links it offered, the stored ones skipped)."""
        profile = profile_for(site.platform)
        articles = [url for url in urls if site.owns(url) and profile.is_article(url)]
        new = articles if self.refresh else [url for url in articles
                                             if not crawlstate.known_article(self.state, url)]
        self._count(site, list_pages=1, links_found=found, known_skipped=len(articles) - len(new))
        return [self._request(url, self.parse_article, {"site_id": site.id}) for url in new]

    def _all_settled(self, urls: list[str]) -> bool:
        """Every URL stored by a finished run: older listings hold nothing new."""
        return bool(urls) and all(crawlstate.known_article(self.state, url, settled=True) for url in urls)

    def _list_request(self, url: str, site: Site, **meta) -> scrapy.Request:
        """A list page, asked "changed since?" when it was fetched before (ETag, Last-Modified)."""
        headers = {} if self.refresh else crawlstate.validators(self.state, url)
        request = self._request(url, self.parse_list, {"site_id": site.id, "handle_httpstatus_list": [304], **meta})
        request.headers.update(headers)
        return request

    def _count(self, site: Site, **increments: int) -> None:
        if self.run is not None:
            self.run.count(site.id, **increments)

    def _continuation(self, site: Site, response: Response) -> str | None:
        layout = layouts.get(site.platform) or layouts.detect(response.text, response.url)
        for selector in layout.continuation:
            href = response.css(selector).attrib.get("href") if response.css(selector) else None
            if href:
                url = urljoin(response.url, href)
                if site.owns(url) and url != response.url:
                    return url
        return None

    def _item_dates(self, response: Response, profile: Profile) -> dict[str, date]:
        """Article URL -> the date its list item shows, for the --since cut-off."""
        if not self.since:
            return {}
        dates: dict[str, date] = {}
        for css in profile.item_selectors or ("li", "div.item", "article"):
            for item in response.css(css):
                day = discovery.item_date(" ".join(item.css("::text").getall()))
                for href in item.css("a::attr(href)").getall():
                    dates.setdefault(urljoin(response.url, href.strip()), day) if day else None
        return dates

    def _too_old(self, day: date | None) -> bool:
        return bool(self.since and day and day < self.since)

    @staticmethod
    def _wp_page(site: Site, profile: Profile, page: int) -> str:
        return urljoin(site.home_url, f"wp-json/wp/v2/posts?page={page}&per_page={profile.api_page_size}")

    def _is_html(self, response: Response) -> bool:
        kind = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if kind and "html" not in kind and "xml" not in kind:
            self.logger.info("skipping non-HTML %s (%s)", response.url, kind)
            if self.run is not None:
                self.run.fault(response.meta.get("site_id"), response.url, "not-html", kind)
            return False
        return True

    @staticmethod
    def _page_item(response: Response, site: Site, kind: str) -> dict:
        redirects = response.meta.get("redirect_urls") or []
        return {
            "url": response.meta.get("storage_url") or (redirects[0] if redirects else response.url),
            "final_url": response.url,
            "site_id": site.id,
            "kind": kind,
            "status": response.status,
            "headers": {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()},
            "body": response.body,
            "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
