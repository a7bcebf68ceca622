"""Writes. A page and its article's facts land in one transaction, so a killed
crawl leaves either the whole article or nothing; re-extraction replaces facts."""
from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone

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


def save_page(db: sqlite_utils.Database, page: RawPage) -> int:
    """Insert or refresh a page by URL; returns its id. Commits nothing itself."""
    row = {
        "url": page.url, "final_url": page.final_url, "site_id": page.site_id, "kind": page.kind,
        "status": page.status, "headers": json.dumps(page.headers, ensure_ascii=False),
        "body": zlib.compress(page.body, 6), "content_hash": sha256(page.body), "fetched_at": page.fetched_at,
        "error": None,
    }
    existing = db.execute("SELECT id FROM pages WHERE url = ?", [page.url]).fetchone()
    if existing:
        db["pages"].update(existing[0], row)
        return existing[0]
    return db["pages"].insert(row).last_pk


def save_parts(db: sqlite_utils.Database, page_id: int, parts: list[RawPage]) -> None:
    """The continuation pages of an article, kept raw and tied to its first page."""
    for part in parts:
        part_id = save_page(db, part)
        db["pages"].update(part_id, {"part_of": page_id})


def part_bodies(db: sqlite_utils.Database, page_id: int) -> list[bytes]:
    rows = db.execute("SELECT id FROM pages WHERE part_of = ? ORDER BY id", [page_id]).fetchall()
    return [page_body(db, row[0]) for row in rows]


def page_body(db: sqlite_utils.Database, page_id: int) -> bytes:
    row = db.execute("SELECT body FROM pages WHERE id = ?", [page_id]).fetchone()
    return zlib.decompress(row[0]) if row and row[0] is not None else b""


def mark_error(db: sqlite_utils.Database, page_id: int, error: str) -> None:
    db["pages"].update(page_id, {"error": error[:2000]})


def save_article(db: sqlite_utils.Database, page_id: int, site_id: str, article: Article, facts: Facts) -> int:
    """Upsert the article and replace all its facts. Call inside a transaction."""
    row = {
        "page_id": page_id, "site_id": site_id, "url": article.url, "title": article.title,
        "published": article.published_iso, "author": article.author, "text": article.text,
        "content_hash": sha256(article.text), "extractor_version": EXTRACTOR_VERSION, "extracted_at": now(),
    }
    existing = db.execute("SELECT id FROM articles WHERE url = ? OR page_id = ?", [article.url, page_id]).fetchone()
    named_before: set[int] = set()
    if existing:
        article_id = existing[0]
        named_before = people.people_of_article(db, article_id)
        db["articles"].update(article_id, row)
        delete_facts(db, article_id)
    else:
        article_id = db["articles"].insert(row).last_pk
    _insert_facts(db, article_id, facts)
    search.index_article(db, article_id, article.title, article.text)
    people.resolve_article(db, article_id, also=named_before)  # people and posts follow their mentions
    return article_id


def delete_facts(db: sqlite_utils.Database, article_id: int) -> None:
    for table in ("mentions", "officials", "article_units", "rankings", "documents", "periods"):
        db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
    db.execute("DELETE FROM event_participants WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)",
               [article_id])
    db.execute("DELETE FROM events WHERE article_id = ?", [article_id])


def _mention(db, article_id: int, table: str, fact_id: int, sentence: str, start: int, end: int, rule: str) -> None:
    db["mentions"].insert({"article_id": article_id, "fact_table": table, "fact_id": fact_id, "sentence": sentence,
                           "char_start": start, "char_end": end, "rule": rule})


def _insert_facts(db: sqlite_utils.Database, article_id: int, facts: Facts) -> None:
    for e in facts.events:
        event_id = db["events"].insert({
            "article_id": article_id, "kind": e.kind, "date": e.date, "organizer": e.organizer,
            "sentence": e.sentence, "char_start": e.start, "char_end": e.end, "rule": e.rule}).last_pk
        for role, names in (("chair", e.chairs), ("attendee", e.attendees)):
            for name in names:
                db["event_participants"].insert({"event_id": event_id, "name": name, "name_folded": fold(name),
                                                 "role": role})
    for o in facts.officials:
        official_id = db["officials"].insert({
            "article_id": article_id, "name": o.name, "name_folded": fold(o.name),
            "titles": json.dumps(o.titles, ensure_ascii=False), "roles": json.dumps(o.roles), "unit": o.unit}).last_pk
        for ev in o.evidence:
            _mention(db, article_id, "officials", official_id, ev.sentence, ev.start, ev.end, ev.rule)
    for u in facts.units:
        unit_id = db["article_units"].insert({
            "article_id": article_id, "name": u.name, "level": u.level, "code": u.code, "parent": u.parent,
            "linked_by": u.linked_by, "candidates": json.dumps(u.candidates) if u.candidates else None,
            "successors": json.dumps(u.successors, ensure_ascii=False) if u.successors else None}).last_pk
        for ev in u.evidence:
            _mention(db, article_id, "article_units", unit_id, ev.sentence, ev.start, ev.end, ev.rule)
    for r in facts.rankings:
        db["rankings"].insert({
            "article_id": article_id, "index_name": r.index, "year": r.year, "unit": r.unit, "rank": r.rank,
            "of_total": r.of, "scope": r.scope, "score": r.score, "grade": r.grade,
            "progress_percent": r.progress_percent, "change": r.change, "sentence": r.sentence,
            "char_start": r.start, "char_end": r.end, "rule": r.rule})
    for p in facts.periods:
        db["periods"].insert({
            "article_id": article_id, "kind": p.kind, "first_day": p.first_day, "last_day": p.last_day,
            "text": p.text, "sentence": p.sentence, "char_start": p.start, "char_end": p.end, "rule": p.rule})
    for d in facts.documents:
        db["documents"].insert({
            "article_id": article_id, "number": d.number, "kind": d.kind, "date": d.date, "issuer": d.issuer,
            "sentence": d.sentence, "char_start": d.start, "char_end": d.end, "rule": d.rule})
