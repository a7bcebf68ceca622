"""Store every fetched page, extract articles, write facts: one transaction per page, with the
run's counters, so a killed crawl leaves each page whole or absent and its record accurate."""
from __future__ import annotations

import logging
import traceback

from w3lib.encoding import html_body_declared_encoding, html_to_unicode

import extract
from db import connect, crawlstate, runs
from db.store import RawPage, mark_error, now, save_article, save_page, save_parts, sha256, upsert_site
from extract import identity
from extract.model import Facts
from scraper.runs import RunLog

log = logging.getLogger(__name__)

MIN_BODY = 200  # characters: shorter is a caption or a failed extraction, for the run's yield

_LATIN = ("windows-1252", "cp1252", "iso-8859-1", "latin-1", "latin1")


def decode_html(body: bytes, content_type: str | None) -> str:
    """Bytes to text the way browsers do: BOM, then header, then <meta charset>, then guess;
    except that a header claiming a Latin charset loses to a page that declares UTF-8 and
    is valid UTF-8 (servers of .gov.vn portals send windows-1252 for UTF-8 pages), and a
    header claiming UTF-8 loses to the page's own charset when the bytes are not UTF-8 (an old
    windows-1258 page behind a server that says utf-8)."""
    if content_type and "utf-8" in content_type.lower() and html_body_declared_encoding(body):
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            content_type = None  # the header lies: read the page by its <meta charset>
    if content_type and any(name in content_type.lower() for name in _LATIN):
        declared = (html_body_declared_encoding(body) or "").lower().replace("_", "-")
        if declared in ("utf-8", "utf8"):
            try:
                return body.decode("utf-8")
            except UnicodeDecodeError:
                pass
    _, text = html_to_unicode(content_type, body)
    return text


def read_page(page: RawPage, site_unit: str | None, site_province: str | None, platform: str | None = None,
              parts: list[RawPage] = ()):
    """The article, its facts and its canonical URL: everything taken from the page, no I/O."""
    html = decode_html(page.body, page.headers.get("Content-Type"))
    later = tuple(decode_html(p.body, p.headers.get("Content-Type")) for p in parts)
    article = extract.article(html, page.final_url, platform, later)
    return article, extract.extract_all(article, site_unit, site_province), identity.canonical_url(html, page.final_url)


def has_fact(facts: Facts) -> bool:
    return any((facts.events, facts.officials, facts.units, facts.rankings, facts.documents))


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

    def close_spider(self, spider=None):
        if self.db is None:
            return
        if self.run is not None:
            self.crawler.bantin_run_summary = self.run.finish()
        self.db.conn.close()

    def process_item(self, item, spider=None):
        parts = [RawPage(**part) for part in item.get("parts", [])]
        page = RawPage(**{k: v for k, v in item.items() if k != "parts"})
        site = self.sites.get(page.site_id)
        read = error = None
        if page.kind == "article":
            try:
                read = read_page(page, site.unit if site else None, site.province if site else None,
                                 site.platform if site else None, parts)
            except Exception as exc:  # one bad page never stops the crawl
                error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
                log.error("extraction failed for %s: %s", page.url, exc)
        with self.db.conn:
            page_id = save_page(self.db, page, self.run.run_id)
            save_parts(self.db, page_id, parts, self.run.run_id)
            if page.kind == "article":
                self._count(page.site_id, article_pages=1)
            if error:
                mark_error(self.db, page_id, error)
                runs.record_error(self.db, self.run.run_id, page.site_id, page.url, "extraction-error",
                                  error.splitlines()[0])
                self.stats.inc_value("bantin/extract_errors")
            elif read is not None:
                self._store_article(page_id, page, *read)
        self.stats.inc_value(f"bantin/pages/{page.kind}")
        return {"url": page.url, "kind": page.kind, "site_id": page.site_id}

    def _store_article(self, page_id: int, page: RawPage, article, facts: Facts, canonical: str | None) -> None:
        """The article as new, as a new revision of itself, or as a copy of another (facts kept once)."""
        when = now()
        content_hash, fingerprint = sha256(article.text), identity.fingerprint(article.text)
        key = identity.url_key(article.url or page.url)
        old = crawlstate.stored_article(self.db, article.url)
        revision, revised_at, copy = 1, when, None
        if old is not None:
            revision, revised_at = old.revision, old.revised_at or old.extracted_at or when
            if old.content_hash != content_hash:
                revision, revised_at = crawlstate.keep_revision(self.db, old, when), when
            if old.duplicate_of:
                copy = crawlstate.Copy(old.duplicate_of, old.duplicate_rule)
        else:
            copy = crawlstate.find_original(self.db, article.url, canonical, key, article.text, content_hash,
                                            fingerprint, article.published_iso)
        save_article(self.db, page_id, page.site_id, article, Facts() if copy else facts,
                     crawlstate.identity_columns(canonical, key, fingerprint, copy, revision, revised_at))
        stored = {"new_articles": int(old is None), "changed_articles": int(old is not None and revision != old.revision)}
        if any(stored.values()):
            self._count(page.site_id, **stored, duplicates=int(copy is not None and old is None),
                        with_date=int(bool(article.published_iso)), with_body=int(len(article.text) >= MIN_BODY),
                        with_fact=int(has_fact(facts)))
        self.stats.inc_value("bantin/articles_new" if old is None else "bantin/articles_updated")

    def _count(self, site_id: str, **increments: int) -> None:
        runs.count(self.db, self.run.run_id, site_id, **increments)
