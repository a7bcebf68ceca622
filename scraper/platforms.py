"""Portal platforms: how to find article links and the next list page.

One small profile per CMS family, chosen by the registry's `platform` field.
Each profile is declarative where it can be: URL patterns and CSS selectors.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from parsel import Selector

_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "#")


@dataclass(frozen=True)
class Profile:
    name: str
    article_url: re.Pattern[str]  # matched against the URL path (and query)
    skip_url: re.Pattern[str] | None
    next_selectors: tuple[str, ...]  # XPath/CSS for the next list page's href
    list_selectors: tuple[str, ...] = ()  # where list items live; empty = whole page

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


_NEXT_BY_TEXT = (
    "//link[@rel='next']/@href",
    "//a[@rel='next']/@href",
    "//a[normalize-space(.)='Trang sau' or normalize-space(.)='Tiếp' or normalize-space(.)='»' "
    "or normalize-space(.)='›' or normalize-space(.)='Sau']/@href",
)

NUKEVIET = Profile(
    name="nukeviet4",
    # /vi/news/<cat>/<alias>-<id>.html, also without /vi/ or /news/
    article_url=re.compile(r"^/(?:[a-z]{2}/)?(?:news/)?[\w-]+/[\w-]+-\d+\.html$"),
    skip_url=re.compile(r"/(?:print|savefile|sendmail|rss|tag|topic|admin)/"),
    next_selectors=("//link[@rel='next']/@href", "ul.pagination li.page-item a.page-link[rel=next]::attr(href)",
                    *_NEXT_BY_TEXT[1:]),
    list_selectors=("div.panel-body", ".news_column", "#main"),
)

COMMUNE_PORTAL = Profile(
    name="commune-portal",
    article_url=re.compile(r"^/[\w/-]+/[\w-]+-\d+\.html?$"),
    skip_url=re.compile(r"/(?:dang-nhap|quan-tri|in-bai|print)"),
    next_selectors=_NEXT_BY_TEXT,
)

GENERIC = Profile(
    name="generic",
    article_url=re.compile(r"[\w-]+-\d{2,}\.(?:html?|aspx)$|[?&](?:id|ItemID|newsid)=\d+"),
    skip_url=re.compile(r"/(?:print|savefile|sendmail|login|dang-nhap|admin|rss)\b", re.I),
    next_selectors=_NEXT_BY_TEXT,
)

PROFILES = {p.name: p for p in (NUKEVIET, COMMUNE_PORTAL, GENERIC)}


def profile_for(platform: str) -> Profile:
    """The site's declared platform, or the generic profile for the long tail."""
    return PROFILES.get(platform, GENERIC)
