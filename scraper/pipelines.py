"""Store every fetched page, extract articles, write facts: one transaction per page."""
from __future__ import annotations

import logging
import traceback

from w3lib.encoding import html_body_declared_encoding, html_to_unicode

import extract
from db import connect
from db.store import RawPage, mark_error, save_article, save_page, save_parts, upsert_site

log = logging.getLogger(__name__)


_LATIN = ("windows-1252", "cp1252", "iso-8859-1", "latin-1", "latin1")


def decode_html(body: bytes, content_type: str | None) -> str:
    """Bytes to text the way browsers do: BOM, then header, then <meta charset>, then guess;
    except that a header claiming a Latin charset loses to a page that declares UTF-8 and
    is valid UTF-8 (servers of .gov.vn portals send windows-1252 for UTF-8 pages)."""
    if content_type and any(name in content_type.lower() for name in _LATIN):
        declared = (html_body_declared_encoding(body) or "").lower().replace("_", "-")
        if declared in ("utf-8", "utf8"):
            try:
                return body.decode("utf-8")
            except UnicodeDecodeError:
                pass
    _, text = html_to_unicode(content_type, body)
    return text


def extract_page(page: RawPage, site_unit: str | None, site_province: str | None, platform: str | None = None,
                 parts: list[RawPage] = ()):
    html = decode_html(page.body, page.headers.get("Content-Type"))
    later = tuple(decode_html(p.body, p.headers.get("Content-Type")) for p in parts)
    article = extract.article(html, page.final_url, platform, later)
    return article, extract.extract_all(article, site_unit, site_province)


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.db_path = crawler.settings.get("BANTIN_DB")
        self.stats = crawler.stats
        self.db = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        self.db = connect(self.db_path)
        sites = getattr(spider or self.crawler.spider, "sites", {})
        with self.db.conn:
            for site in sites.values():
                upsert_site(self.db, site.as_row())
        self.sites = sites

    def close_spider(self, spider=None):
        if self.db is not None:
            self.db.conn.close()

    def process_item(self, item, spider=None):
        parts = [RawPage(**part) for part in item.get("parts", [])]
        page = RawPage(**{k: v for k, v in item.items() if k != "parts"})
        site = self.sites.get(page.site_id)
        article = facts = None
        error = None
        if page.kind == "article":
            try:
                article, facts = extract_page(page, site.unit if site else None, site.province if site else None,
                                              site.platform if site else None, parts)
            except Exception as exc:  # one bad page never stops the crawl
                error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
                log.error("extraction failed for %s: %s", page.url, exc)
        with self.db.conn:
            page_id = save_page(self.db, page)
            save_parts(self.db, page_id, parts)
            if error:
                mark_error(self.db, page_id, error)
                self.stats.inc_value("bantin/extract_errors")
            elif article is not None:
                new = not self.db.execute("SELECT 1 FROM articles WHERE url = ?", [article.url]).fetchone()
                save_article(self.db, page_id, page.site_id, article, facts)
                self.stats.inc_value("bantin/articles_new" if new else "bantin/articles_updated")
        self.stats.inc_value(f"bantin/pages/{page.kind}")
        return {"url": page.url, "kind": page.kind, "site_id": page.site_id}
