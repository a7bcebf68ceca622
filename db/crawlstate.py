"""What the crawl already has, kept in the database rather than in the crawler's memory: known
article URLs (so a nightly run fetches only what is new), list pages' validators (so they are
asked "changed since?"), copies of one article (so its facts count once) and earlier texts of
edited articles (so an edit never erases what was first published)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from extract import identity
from extract.model import Facts

MIN_TEXT_FOR_COPIES = 200  # shorter texts (a caption, an empty body) say too little to call two articles one
NEAR_DAYS = 3  # a copy is published within this many days of the first


def known_article(db: sqlite_utils.Database, url: str, settled: bool = False) -> bool:
    """Stored already: this URL, or an article whose canonical URL or URL key it shares.

    `settled`: stored by a run that finished. Only such articles may stop paging: one stored
    moments ago (from a feed of this run) or by a killed run says nothing of older list pages."""
    finished = " AND p.run_id IN (SELECT id FROM crawl_runs WHERE finished_at IS NOT NULL)" if settled else ""
    stored = "SELECT 1 FROM articles a JOIN pages p ON p.id = a.page_id WHERE "
    checks = (("SELECT 1 FROM pages p WHERE p.kind = 'article' AND p.url = ?", url),
              (stored + "a.canonical_url = ?", url),
              (stored + "a.url_key = ?", identity.url_key(url)))
    return any(value and db.execute(sql + finished + " LIMIT 1", [value]).fetchone() for sql, value in checks)


def validators(db: sqlite_utils.Database, url: str) -> dict[str, str]:
    """Conditional request headers for a page fetched before with an ETag or Last-Modified, by a
    run that finished: a run killed mid-way had not yet fetched every article its list pages
    offered, and a 304 for them now would hide those articles for good."""
    row = db.execute("""SELECT p.etag, p.last_modified FROM pages p LEFT JOIN crawl_runs r ON r.id = p.run_id
                        WHERE p.url = ? AND p.status = 200 AND (p.run_id IS NULL OR r.finished_at IS NOT NULL)""",
                     [url]).fetchone()
    if not row:
        return {}
    etag, modified = row
    return {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}


@dataclass
class Stored:
    """The article row as it was before this fetch."""
    id: int
    title: str | None
    published: str | None
    text: str | None
    content_hash: str | None
    revision: int
    revised_at: str | None
    extracted_at: str | None
    duplicate_of: int | None
    duplicate_rule: str | None


def stored_article(db: sqlite_utils.Database, url: str) -> Stored | None:
    row = db.execute("""SELECT id, title, published, text, content_hash, revision, revised_at, extracted_at,
                               duplicate_of, duplicate_rule FROM articles WHERE url = ?""", [url]).fetchone()
    return Stored(*row) if row else None


def keep_revision(db: sqlite_utils.Database, old: Stored, when: str) -> int:
    """Keep the text being replaced; returns the new text's revision number."""
    db.execute("""INSERT INTO article_revisions (article_id, revision, title, published, text, content_hash,
                                                 seen_from, seen_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
               [old.id, old.revision, old.title, old.published, old.text, old.content_hash,
                old.revised_at or old.extracted_at, when])
    return old.revision + 1


@dataclass
class Copy:
    article_id: int
    rule: str


def find_original(db: sqlite_utils.Database, url: str, canonical: str | None, key: str | None, text: str,
                  content_hash: str, fingerprint: str, published: str | None) -> Copy | None:
    """The article this one is a copy of, oldest first: the same page under another URL (canonical
    URL, URL key), or the same text published again (same hash, or a SimHash a few bits away)."""
    for rule, sql, value in (
            ("same-canonical", "SELECT id FROM articles WHERE (url = ? OR canonical_url = ?) AND url <> ?", canonical),
            ("same-url-key", "SELECT id FROM articles WHERE url_key = ? AND url <> ? AND ? IS NOT NULL", key)):
        if value:
            params = [value, value, url] if rule == "same-canonical" else [value, url, value]
            row = db.execute(sql + " ORDER BY id LIMIT 1", params).fetchone()
            if row:
                return Copy(_original(db, row[0]), rule)
    if len(text) < MIN_TEXT_FOR_COPIES:
        return None
    row = db.execute("SELECT id FROM articles WHERE content_hash = ? AND url <> ? ORDER BY id LIMIT 1",
                     [content_hash, url]).fetchone()
    if row:
        return Copy(_original(db, row[0]), "same-text")
    return _near(db, url, fingerprint, published)


def _near(db: sqlite_utils.Database, url: str, fingerprint: str, published: str | None) -> Copy | None:
    try:
        day = date.fromisoformat((published or "")[:10])
    except ValueError:
        return None  # without a date there is no small set of candidates to compare with
    first, last = (day - timedelta(days=NEAR_DAYS)).isoformat(), (day + timedelta(days=NEAR_DAYS + 1)).isoformat()
    best: tuple[int, int] | None = None
    for article_id, other in db.execute("""SELECT id, fingerprint FROM articles WHERE published >= ? AND published < ?
                                           AND fingerprint IS NOT NULL AND url <> ? AND length(text) >= ?""",
                                        [first, last, url, MIN_TEXT_FOR_COPIES]):
        bits = identity.distance(fingerprint, other)
        if bits <= identity.NEAR_DISTANCE and (best is None or (bits, article_id) < best):
            best = (bits, article_id)
    return Copy(_original(db, best[1]), f"near-text: {best[0]} bits") if best else None


def _original(db: sqlite_utils.Database, article_id: int) -> int:
    """Point copies at the first article, never at another copy."""
    row = db.execute("SELECT duplicate_of FROM articles WHERE id = ?", [article_id]).fetchone()
    return row[0] if row and row[0] else article_id


def identity_columns(canonical: str | None, key: str | None, fingerprint: str, copy: Copy | None, revision: int,
                     revised_at: str) -> dict:
    """The articles columns that say which article this is, for save_article(identity=…)."""
    return {"canonical_url": canonical, "url_key": key, "fingerprint": fingerprint,
            "duplicate_of": copy.article_id if copy else None, "duplicate_rule": copy.rule if copy else None,
            "revision": revision, "revised_at": revised_at}



def facts_to_keep(db: sqlite_utils.Database, page_id: int, facts: Facts) -> Facts:
    """None for a copy of another article (its original holds them), so re-extraction counts facts once."""
    row = db.execute("SELECT duplicate_of FROM articles WHERE page_id = ?", [page_id]).fetchone()
    return Facts() if row and row[0] else facts


# ---------------------------------------------------------------- pages waiting for extraction

def enqueue(db: sqlite_utils.Database, page_id: int, run_id: int | None, site_id: str, when: str) -> None:
    """An article page stored raw, to be read by the extraction pass. Commits nothing: call it in
    the page's transaction, so a page is never stored without being queued."""
    db.execute("INSERT OR REPLACE INTO extraction_queue (page_id, run_id, site_id, queued_at) VALUES (?, ?, ?, ?)",
               [page_id, run_id, site_id, when])


def queued(db: sqlite_utils.Database, site_ids: list[str]) -> list[int]:
    """Queued page ids of these sites, oldest first (a killed run's pages before this run's)."""
    if not site_ids:
        return []
    marks = ", ".join("?" * len(site_ids))
    return [pid for (pid,) in db.execute(
        f"SELECT page_id FROM extraction_queue WHERE site_id IN ({marks}) ORDER BY page_id", site_ids)]


def dequeue(db: sqlite_utils.Database, page_id: int) -> None:
    db.execute("DELETE FROM extraction_queue WHERE page_id = ?", [page_id])
