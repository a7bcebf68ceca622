"""Portal platforms: how a crawler finds a portal's articles.

One small module per CMS family defines `PROFILES`; the registry's `platform` field picks
one (the page layouts that read each article live in `extract/layouts/`). A profile is
declarative: URL patterns of articles and of pages to skip, where the next list page is
linked, where list items and their dates are, and which feeds and sitemaps the platform
publishes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import importlib
import pkgutil
from functools import lru_cache

from parsel import Selector

_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#")


@dataclass(frozen=True)
class Profile:
    name: str
    article_url: re.Pattern[str]  # matched against the URL path (and query)
    skip_url: re.Pattern[str] | None
    next_selectors: tuple[str, ...]  # XPath/CSS for the next list page's href
    list_selectors: tuple[str, ...] = ()  # where list items live; empty = whole page
    item_selectors: tuple[str, ...] = ()  # one list item (its link and its date), for --since
    feeds: tuple[str, ...] = ()  # RSS/Atom paths the platform publishes, relative to the home page
    sitemaps: tuple[str, ...] = ()  # sitemap paths, relative to the home page
    # ASP.NET lists paged by a form POST: XPath to the next page's "javascript:__doPostBack('…','…')" href
    postback_next: str | None = None
    # a JSON listing API: "wordpress" reads /wp-json/wp/v2/posts?page=N&per_page=20 and its "link" fields
    api: str | None = None
    api_page_size: int = 20

    def is_article(self, url: str) -> bool:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if self.skip_url and self.skip_url.search(path):
            return False
        return bool(self.article_url.search(path))

    def article_links(self, base_url: str, html: str) -> list[str]:
        sel = Selector(text=html)
        scopes = [s for css in self.list_selectors for s in sel.css(css)] or [sel]
        seen: dict[str, None] = {}
        for scope in scopes:
            for href in scope.css("a::attr(href)").getall():
                url = absolute(base_url, href)
                if url and self.is_article(url):
                    seen.setdefault(url, None)
        return list(seen)

    def next_page(self, base_url: str, html: str) -> str | None:
        sel = Selector(text=html)
        for query in self.next_selectors:
            found = sel.xpath(query).get() if query.startswith(("/", "(")) else sel.css(query).get()
            if found:
                url = absolute(base_url, found)
                if url and url.split("#")[0] != base_url.split("#")[0]:
                    return url
        return None


def absolute(base_url: str, href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    if href.lower().startswith(_SKIP_SCHEMES):
        return None
    url = urljoin(base_url, href).split("#")[0]
    return url if urlsplit(url).scheme in ("http", "https") else None



NEXT_BY_TEXT = (
    "//link[@rel='next']/@href",
    "//a[@rel='next']/@href",
    "//a[normalize-space(.)='Trang sau' or normalize-space(.)='Tiếp' or normalize-space(.)='»' "
    "or normalize-space(.)='›' or normalize-space(.)='Sau' or normalize-space(.)='Trang tiếp']/@href",
)


@lru_cache(maxsize=1)
def all_profiles() -> dict[str, Profile]:
    found: dict[str, Profile] = {}
    for module in pkgutil.iter_modules(__path__):
        for profile in importlib.import_module(f"{__name__}.{module.name}").PROFILES:
            found[profile.name] = profile
    return found


def profile_for(platform: str) -> Profile:
    """The site's declared platform, or the generic profile for the long tail."""
    profiles = all_profiles()
    return profiles.get(platform, profiles["generic"])
