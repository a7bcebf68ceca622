"""Reading the ways a portal lists its articles: feeds, sitemaps, JSON APIs, list items,
ASP.NET postback pagers. Pure functions of a response body, so each is tested alone."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from parsel import Selector

from extract.dates import VN_TZ, parse_datetime_line

_POSTBACK = re.compile(r"__doPostBack\(\s*'([^']*)'\s*,\s*'([^']*)'\s*\)")
_ITEM_DATE = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2})?")


@dataclass(frozen=True)
class Listed:
    """An article URL a listing offers, and its date when the listing says."""

    url: str
    published: date | None = None


def _day(value: datetime | None) -> date | None:
    return value.astimezone(VN_TZ).date() if value else None


def _iso(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VN_TZ)


def feed_items(body: bytes) -> list[Listed]:
    """RSS 2.0 <item> or Atom <entry> links with their dates."""
    sel = Selector(body=body, type="xml")
    sel.remove_namespaces()
    out = []
    for item in sel.xpath("//item"):
        link = (item.xpath("link/text()").get() or item.xpath("guid/text()").get() or "").strip()
        stamp = (item.xpath("pubDate/text()").get() or "").strip()
        try:
            published = parsedate_to_datetime(stamp) if stamp else None
        except (TypeError, ValueError):
            published = None
        if link:
            out.append(Listed(link, _day(published)))
    for entry in sel.xpath("//entry"):
        link = entry.xpath("link[@rel='alternate']/@href").get() or entry.xpath("link/@href").get()
        stamp = entry.xpath("published/text()").get() or entry.xpath("updated/text()").get() or ""
        if link:
            out.append(Listed(link.strip(), _day(_iso(stamp))))
    return out


def sitemap_entries(body: bytes) -> tuple[list[str], list[Listed]]:
    """(child sitemaps, page URLs with lastmod) of a sitemap or sitemap index."""
    sel = Selector(body=body, type="xml")
    sel.remove_namespaces()
    children = [s.strip() for s in sel.xpath("//sitemap/loc/text()").getall()]
    pages = [Listed(u.xpath("loc/text()").get("").strip(), _day(_iso(u.xpath("lastmod/text()").get("") or "")))
             for u in sel.xpath("//url")]
    return children, [p for p in pages if p.url]


def wordpress_posts(body: bytes) -> list[Listed]:
    """The WordPress REST API's /wp-json/wp/v2/posts: each post's link and date."""
    try:
        posts = json.loads(body)
    except ValueError:
        return []
    out = []
    for post in posts if isinstance(posts, list) else []:
        if isinstance(post, dict) and post.get("link"):
            out.append(Listed(post["link"], _day(_iso(post.get("date_gmt", "") + "+00:00") if post.get("date_gmt")
                                                 else _iso(post.get("date", "")))))
    return out


def postback(href: str | None) -> tuple[str, str] | None:
    """'javascript:__doPostBack('ctl00$…$gvNews','Page$2')' -> ('ctl00$…$gvNews', 'Page$2')."""
    m = _POSTBACK.search(href or "")
    return (m.group(1), m.group(2)) if m else None


def item_date(text: str) -> date | None:
    """The date a list item prints beside its link ("15/03/2024", "(15/03/2024)")."""
    m = _ITEM_DATE.search(text)
    parsed = parse_datetime_line(m.group()) if m else None
    return parsed.date() if parsed else None
