"""The questions users ask, as small functions returning plain rows."""
from __future__ import annotations

import sqlite_utils

from extract.model import EXTRACTOR_VERSION
from extract.text import fold


def _like(term: str) -> str:
    """A LIKE pattern for a folded user string; % and _ in it are matched literally."""
    escaped = fold(term).strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def who_chaired(db: sqlite_utils.Database, name: str | None = None, unit: str | None = None,
                since: str | None = None, until: str | None = None, limit: int | None = None) -> list[dict]:
    """Meetings and their chairs, newest first (the newest `limit` of them when given). Names
    match with or without diacritics.

    A name is first matched whole (folded name equal); only when no chair anywhere has exactly
    that name is it matched as a part of names (LIKE '%…%' over `participant_names`, one row per
    distinct name). So "Nguyễn Văn Hùng" does not also list "Nguyễn Văn Hùng Anh"; type part of
    a name that is nobody's whole name to see everyone containing it. A name's meetings are read
    from `chaired_meetings`, where they lie together; without a name, from the events."""
    params: list = []
    if name:
        exact = _chairs_named(db, name)
        sql = """SELECT date, kind, organizer, chairs, title, url, site_id, sentence, article_id, event_id
                 FROM chaired_meetings e WHERE """ + (
            "name_folded = ?" if exact else
            "name_folded IN (SELECT name_folded FROM participant_names WHERE name_folded LIKE ? ESCAPE '\\')")
        params.append(fold(name).strip() if exact else _like(name))
    else:
        sql = """SELECT e.date, e.kind, e.organizer, group_concat(p.name, '; ') AS chairs,
                        a.title, a.url, a.site_id, e.sentence, a.id AS article_id, e.id AS event_id
                 FROM events e
                 JOIN articles a ON a.id = e.article_id
                 JOIN event_participants p ON p.event_id = e.id AND p.role = 'chair'
                 WHERE 1 = 1"""
    if unit:  # site_id unqualified: chaired_meetings' or articles', the one table of either query that has it
        sql += (" AND (bantin_fold(e.organizer) LIKE ? ESCAPE '\\'"
                " OR site_id IN (SELECT id FROM sites WHERE bantin_fold(unit) LIKE ? ESCAPE '\\'))")
        params += [_like(unit), _like(unit)]
    if since:
        sql += " AND e.date >= ?"
        params.append(since)
    if until:
        sql += " AND e.date <= ?"
        params.append(until)
    sql += " GROUP BY event_id ORDER BY e.date DESC, article_id, event_id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(max(0, int(limit)))
    found = rows(db, sql, params)
    for row in found:
        del row["article_id"], row["event_id"]
    return found


def _chairs_named(db: sqlite_utils.Database, name: str) -> bool:
    """Whether some chair's folded name is exactly the folded `name`."""
    return db.execute("SELECT 1 FROM chaired_meetings WHERE name_folded = ? LIMIT 1",
                      [fold(name).strip()]).fetchone() is not None


def rows(db: sqlite_utils.Database, sql: str, params: list | tuple = ()) -> list[dict]:
    """A query's rows as dicts keyed by column name: what every reader of the database wants."""
    cursor = db.execute(sql, params)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, values)) for values in cursor.fetchall()]


def articles_per_site(db: sqlite_utils.Database) -> list[dict]:
    sql = """SELECT s.id AS site, s.name, count(a.id) AS articles,
                    substr(min(a.published), 1, 10) AS oldest, substr(max(a.published), 1, 10) AS newest
             FROM sites s LEFT JOIN articles a ON a.site_id = s.id GROUP BY s.id ORDER BY s.id"""
    return rows(db, sql)


def raw_pages(db: sqlite_utils.Database, kind: str = "article"):
    return rows(db, "SELECT id, url, final_url, site_id FROM pages WHERE kind = ? ORDER BY id", [kind])


def rankings(db: sqlite_utils.Database, index: str | None = None, unit: str | None = None,
             province: str | None = None, year: int | None = None) -> list[dict]:
    """Index results, newest year first; unit and province match with or without diacritics."""
    sql = """
        SELECT r.index_name AS "index", r.year, r.unit, r.rank, r.of_total AS "of", r.scope, r.score, r.grade,
               r.progress_percent, a.title, a.url, a.published, s.province, r.sentence
        FROM rankings r JOIN articles a ON a.id = r.article_id LEFT JOIN sites s ON s.id = a.site_id
        WHERE 1 = 1
    """
    params: list = []
    if index:
        sql += " AND upper(r.index_name) = upper(?)"
        params.append(index)
    if unit:
        sql += " AND bantin_fold(r.unit) LIKE ? ESCAPE '\\'"
        params.append(_like(unit))
    if province:
        sql += (" AND (bantin_fold(s.province) LIKE ? ESCAPE '\\' OR r.article_id IN (SELECT article_id FROM"
                " article_units WHERE level = 'tỉnh' AND bantin_fold(name) LIKE ? ESCAPE '\\'))")
        params += [_like(province), _like(province)]
    if year:
        sql += " AND r.year = ?"
        params.append(year)
    sql += " ORDER BY r.year DESC, r.index_name, r.unit, r.rank"
    return rows(db, sql, params)


def stats(db: sqlite_utils.Database) -> list[dict]:
    """What the database holds: rows per table, and the span of publication dates."""
    tables = ("sites", "pages", "articles", "events", "event_participants", "officials", "people", "posts",
              "article_units", "rankings", "documents", "periods", "mentions")
    out = [{"what": table, "count": db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]}
           for table in tables if table in db.table_names()]
    oldest, newest = db.execute("SELECT min(published), max(published) FROM articles").fetchone()
    out.append({"what": "articles published from", "count": (oldest or "")[:10]})
    out.append({"what": "articles published until", "count": (newest or "")[:10]})
    failed = db.execute("SELECT count(*) FROM pages WHERE error IS NOT NULL").fetchone()[0]
    out.append({"what": "pages whose extraction failed", "count": failed})
    older = db.execute("SELECT count(*) FROM articles WHERE extractor_version IS NOT ?", [EXTRACTOR_VERSION]).fetchone()[0]
    out.append({"what": f"articles read by rules other than {EXTRACTOR_VERSION} (bantin reextract)", "count": older})
    return out


def export_rows(db: sqlite_utils.Database, table_or_query: str):
    """Rows of a table, or of a read-only SELECT, for `bantin export`."""
    if table_or_query in db.table_names():
        cursor = db.execute(f"SELECT * FROM [{table_or_query}]")
    else:
        if not table_or_query.lstrip().lower().startswith(("select", "with")):
            raise ValueError(f"{table_or_query!r} is neither a table nor a SELECT query; tables: "
                             + ", ".join(t for t in db.table_names() if not t.startswith("articles_fts")))
        cursor = db.execute(table_or_query)
    columns = [c[0] for c in cursor.description]
    for values in cursor:
        yield dict(zip(columns, values))
