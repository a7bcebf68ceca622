"""Writes. A page and its article's facts land in one transaction, so a killed
crawl leaves either the whole article or nothing; re-extraction replaces facts."""
from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import sqlite_utils

from db import people, search
from extract.model import EXTRACTOR_VERSION, Article, Facts
from extract.text import fold



@dataclass
class RawPage:
    url: str
    final_url: str
    site_id: str
    kind: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def upsert_site(db: sqlite_utils.Database, site: dict) -> None:
    row = {k: site.get(k) for k in ("id", "name", "unit", "province", "platform")}
    row["home_url"] = site.get("home_url")
    db["sites"].upsert(row, pk="id")


def save_page(db: sqlite_utils.Database, page: RawPage, run_id: int | None = None) -> int:
    """Insert or refresh a page by URL, with the run that fetched it and the validators (ETag,
    Last-Modified) to send next time; returns its id. Commits nothing itself."""
    headers = {k.lower(): v for k, v in page.headers.items()}
    row = {
        "url": page.url, "final_url": page.final_url, "site_id": page.site_id, "kind": page.kind,
        "status": page.status, "headers": json.dumps(page.headers, ensure_ascii=False),
        "body": zlib.compress(page.body, 6), "content_hash": sha256(page.body), "fetched_at": page.fetched_at,
        "error": None, "etag": headers.get("etag"), "last_modified": headers.get("last-modified"), "run_id": run_id,
    }
    existing = db.execute("SELECT id FROM pages WHERE url = ?", [page.url]).fetchone()
    if existing:
        _update(db, "pages", existing[0], row)
        return existing[0]
    return _insert(db, "pages", row)


def save_parts(db: sqlite_utils.Database, page_id: int, parts: list[RawPage], run_id: int | None = None) -> None:
    """The continuation pages of an article, kept raw and tied to its first page."""
    for part in parts:
        part_id = save_page(db, part, run_id)
        _update(db, "pages", part_id, {"part_of": page_id})


@lru_cache(maxsize=None)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


@lru_cache(maxsize=None)
def _update_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?"


def _insert(db: sqlite_utils.Database, table: str, row: dict) -> int:
    """One prepared INSERT (sqlite3 caches the statement): sqlite-utils' insert re-reads the
    table's schema on every call, which halved the writer's rate."""
    return db.conn.execute(_insert_sql(table, tuple(row)), tuple(row.values())).lastrowid


def _insert_many(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    if rows:
        db.conn.executemany(_insert_sql(table, tuple(rows[0])), [tuple(row.values()) for row in rows])


def _update(db: sqlite_utils.Database, table: str, row_id: int, row: dict) -> None:
    db.conn.execute(_update_sql(table, tuple(row)), (*row.values(), row_id))


def load_page(db: sqlite_utils.Database, page_id: int) -> RawPage:
    """A stored page as the crawl handed it over: raw bytes, headers as received."""
    url, final_url, site_id, kind, status, headers, body, fetched_at = db.execute(
        "SELECT url, final_url, site_id, kind, status, headers, body, fetched_at FROM pages WHERE id = ?",
        [page_id]).fetchone()
    return RawPage(url, final_url, site_id, kind, status, json.loads(headers or "{}"),
                   zlib.decompress(body) if body is not None else b"", fetched_at)


def load_parts(db: sqlite_utils.Database, page_id: int) -> list[RawPage]:
    """An article's continuation pages, in the order they were stored."""
    return [load_page(db, pid) for (pid,) in
            db.execute("SELECT id FROM pages WHERE part_of = ? ORDER BY id", [page_id]).fetchall()]


def mark_error(db: sqlite_utils.Database, page_id: int, error: str) -> None:
    _update(db, "pages", page_id, {"error": error[:2000]})


def save_article(db: sqlite_utils.Database, page_id: int, site_id: str, article: Article, facts: Facts,
                 identity: dict | None = None) -> int:
    """Upsert the article and replace all its facts. Call inside a transaction. `identity` holds
    the crawl's columns (db.crawlstate.identity_columns: URL key, copy of, revision, …), written in the
    same statement; without it they stay as they are (re-extraction)."""
    writer = Writer(db)
    article_id = writer.save_article(page_id, site_id, article, facts, identity)
    writer.flush()
    return article_id


class Writer:
    """Many articles in one transaction: people are resolved on one deferred resolver and written
    at flush(), once per person rather than once per mention. The file is the same as after one
    save_article per article (tests/test_writer.py compares them).

        with db.conn:
            writer = Writer(db)
            for ...: writer.save_article(...)
            writer.flush()  # before the commit: until then the batch's people are only in memory
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.resolver = people.Resolver(db, deferred=True)
        self.site_units: dict[str, str | None] = {}

    def _site_unit(self, site_id: str) -> str | None:
        if site_id not in self.site_units:
            row = self.db.execute("SELECT unit FROM sites WHERE id = ?", [site_id]).fetchone()
            self.site_units[site_id] = row[0] if row else None
        return self.site_units[site_id]

    def flush(self) -> None:
        self.resolver.flush()

    def save_article(self, page_id: int, site_id: str, article: Article, facts: Facts,
                     identity: dict | None = None) -> int:
        db = self.db
        existing = db.execute("SELECT id FROM articles WHERE url = ? OR page_id = ?", [article.url, page_id]).fetchone()
        row = _article_row(page_id, site_id, article, identity)
        named_before = None
        if existing is None:
            article_id = _insert(db, "articles", row)
        else:
            # Re-extraction: people are recomputed from the file, so the batch's links go in first
            # and the next articles start from what the recompute left.
            self.flush()
            article_id = existing[0]
            named_before = people.people_of_article(db, article_id)
            _update(db, "articles", article_id, row)
            delete_facts(db, article_id)
        _insert_facts(db, article_id, facts, (article.title, article.url, site_id))
        search.index_article(db, article_id, article.title, article.text,
                             [self._site_unit(site_id), *(u.name for u in facts.units)], new=existing is None)
        if named_before is None:
            people.resolve_article(db, article_id, resolver=self.resolver)
        else:
            people.resolve_article(db, article_id, also=named_before)  # people and posts follow their mentions
            self.resolver = people.Resolver(db, deferred=True)
        return article_id


def _article_row(page_id: int, site_id: str, article: Article, identity: dict | None) -> dict:
    return {
        "page_id": page_id, "site_id": site_id, "url": article.url, "title": article.title,
        "published": article.published_iso, "author": article.author, "text": article.text,
        "content_hash": sha256(article.text), "extractor_version": EXTRACTOR_VERSION, "extracted_at": now(),
        **(identity or {}),
    }


def delete_facts(db: sqlite_utils.Database, article_id: int) -> None:
    for table in ("mentions", "officials", "article_units", "rankings", "documents", "periods"):
        db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
    db.execute("DELETE FROM event_participants WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)",
               [article_id])
    db.execute("DELETE FROM events WHERE article_id = ?", [article_id])


def _mentions(article_id: int, table: str, fact_id: int, evidence: list) -> list[dict]:
    return [{"article_id": article_id, "fact_table": table, "fact_id": fact_id, "sentence": ev.sentence,
             "char_start": ev.start, "char_end": ev.end, "rule": ev.rule} for ev in evidence]


def _insert_facts(db: sqlite_utils.Database, article_id: int, facts: Facts,
                  article: tuple[str | None, str, str]) -> None:
    """`article`: its title, URL and site, which who-chaired's rows (chaired_meetings) repeat."""
    mentions: list[dict] = []
    title, url, site_id = article
    for e in facts.events:
        event_id = _insert(db, "events", {
            "article_id": article_id, "kind": e.kind, "date": e.date, "organizer": e.organizer,
            "sentence": e.sentence, "char_start": e.start, "char_end": e.end, "rule": e.rule})
        participants = [(role, name, fold(name)) for role, names in (("chair", e.chairs), ("attendee", e.attendees))
                        for name in names]
        _insert_many(db, "event_participants", [
            {"event_id": event_id, "name": name, "name_folded": folded, "role": role}
            for role, name, folded in participants])
        chairs = "; ".join(e.chairs) or None
        _insert_many(db, "chaired_meetings", [
            {"name_folded": folded, "event_id": event_id, "article_id": article_id, "date": e.date, "kind": e.kind,
             "organizer": e.organizer, "chairs": chairs, "title": title, "url": url, "site_id": site_id,
             "sentence": e.sentence}
            for folded in dict.fromkeys(folded for role, _, folded in participants if role == "chair")])
    for o in facts.officials:
        official_id = _insert(db, "officials", {
            "article_id": article_id, "name": o.name, "name_folded": fold(o.name),
            "titles": json.dumps(o.titles, ensure_ascii=False), "roles": json.dumps(o.roles), "unit": o.unit})
        mentions += _mentions(article_id, "officials", official_id, o.evidence)
    for u in facts.units:
        unit_id = _insert(db, "article_units", {
            "article_id": article_id, "name": u.name, "level": u.level,
            "code": u.code, "parent": u.parent, "linked_by": u.linked_by,
            "candidates": json.dumps(u.candidates) if u.candidates else None,
            "successors": json.dumps(u.successors, ensure_ascii=False) if u.successors else None})
        mentions += _mentions(article_id, "article_units", unit_id, u.evidence)
    _insert_many(db, "mentions", mentions)
    _insert_many(db, "rankings", [{
        "article_id": article_id, "index_name": r.index, "year": r.year, "unit": r.unit, "rank": r.rank,
        "of_total": r.of, "scope": r.scope, "score": r.score, "grade": r.grade,
        "progress_percent": r.progress_percent, "change": r.change, "sentence": r.sentence,
        "char_start": r.start, "char_end": r.end, "rule": r.rule} for r in facts.rankings])
    _insert_many(db, "periods", [{
        "article_id": article_id, "kind": p.kind, "first_day": p.first_day, "last_day": p.last_day,
        "text": p.text, "sentence": p.sentence, "char_start": p.start, "char_end": p.end, "rule": p.rule}
        for p in facts.periods])
    _insert_many(db, "documents", [{
        "article_id": article_id, "number": d.number, "kind": d.kind, "date": d.date, "issuer": d.issuer,
        "sentence": d.sentence, "char_start": d.start, "char_end": d.end, "rule": d.rule} for d in facts.documents])
