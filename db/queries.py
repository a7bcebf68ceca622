"""The questions users ask, as small functions returning plain rows."""
from __future__ import annotations

import sqlite_utils

from extract.text import fold


def _like(term: str) -> str:
    """A LIKE pattern for a folded user string; % and _ in it are matched literally."""
    escaped = fold(term).strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def who_chaired(db: sqlite_utils.Database, name: str | None = None, unit: str | None = None,
                since: str | None = None) -> list[dict]:
    """Meetings and their chairs, newest first. Names match with or without diacritics."""
    sql = """
        SELECT e.date, e.kind, e.organizer, group_concat(p.name, '; ') AS chairs,
               a.title, a.url, a.site_id, e.sentence
        FROM events e
        JOIN articles a ON a.id = e.article_id
        JOIN event_participants p ON p.event_id = e.id AND p.role = 'chair'
        WHERE 1 = 1
    """
    params: list = []
    if name:
        sql += " AND e.id IN (SELECT event_id FROM event_participants WHERE role = 'chair' AND name_folded LIKE ? ESCAPE '\\')"
        params.append(_like(name))
    if unit:
        sql += (" AND (bantin_fold(e.organizer) LIKE ? ESCAPE '\\'"
                " OR a.site_id IN (SELECT id FROM sites WHERE bantin_fold(unit) LIKE ? ESCAPE '\\'))")
        params += [_like(unit), _like(unit)]
    if since:
        sql += " AND e.date >= ?"
        params.append(since)
    sql += " GROUP BY e.id ORDER BY e.date DESC, a.id"
    return [dict(row) for row in _rows(db, sql, params)]


def _rows(db: sqlite_utils.Database, sql: str, params: list):
    cursor = db.execute(sql, params)
    columns = [c[0] for c in cursor.description]
    for values in cursor.fetchall():
        yield dict(zip(columns, values))


def articles_per_site(db: sqlite_utils.Database) -> list[dict]:
    sql = """SELECT s.id AS site, s.name, count(a.id) AS articles,
                    substr(min(a.published), 1, 10) AS oldest, substr(max(a.published), 1, 10) AS newest
             FROM sites s LEFT JOIN articles a ON a.site_id = s.id GROUP BY s.id ORDER BY s.id"""
    return list(_rows(db, sql, []))


def raw_pages(db: sqlite_utils.Database, kind: str = "article"):
    return _rows(db, "SELECT id, url, final_url, site_id FROM pages WHERE kind = ? ORDER BY id", [kind])
