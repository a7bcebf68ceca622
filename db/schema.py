"""The database schema, versioned with PRAGMA user_version and migrated in place.

WAL mode so a researcher's reader never blocks the nightly writer; foreign keys
on so no fact outlives its article.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from extract.text import fold

SCHEMA_VERSION = 14
READER_CACHE_MIB = 64  # page cache of a read-only connection (search, queries, Datasette)

_V1 = """
CREATE TABLE IF NOT EXISTS sites (
    id TEXT PRIMARY KEY,            -- registry id, e.g. 'nukeviet-demo'
    name TEXT, unit TEXT, province TEXT, platform TEXT, home_url TEXT
);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,       -- the URL as requested
    final_url TEXT,                 -- after redirects
    site_id TEXT REFERENCES sites(id),
    kind TEXT,                      -- 'article' or 'list'
    status INTEGER,
    headers TEXT,                   -- JSON object of response headers
    body BLOB,                      -- zlib-compressed raw bytes, for re-extraction
    content_hash TEXT,              -- sha256 of the raw bytes
    fetched_at TEXT,                -- ISO 8601 UTC
    error TEXT                      -- why extraction failed, if it did
);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL UNIQUE REFERENCES pages(id) ON DELETE CASCADE,
    site_id TEXT REFERENCES sites(id),
    url TEXT NOT NULL UNIQUE,
    title TEXT, published TEXT, author TEXT, text TEXT,
    content_hash TEXT,              -- sha256 of the extracted text
    extractor_version TEXT, extracted_at TEXT
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT, date TEXT, organizer TEXT,
    sentence TEXT, char_start INTEGER, char_end INTEGER, rule TEXT
);
CREATE TABLE IF NOT EXISTS event_participants (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    name TEXT NOT NULL, name_folded TEXT NOT NULL, role TEXT NOT NULL   -- 'chair' | 'attendee'
);
CREATE TABLE IF NOT EXISTS officials (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name TEXT NOT NULL, name_folded TEXT NOT NULL,
    titles TEXT, roles TEXT,        -- JSON arrays
    unit TEXT
);
CREATE TABLE IF NOT EXISTS article_units (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name TEXT NOT NULL, level TEXT, code TEXT, parent TEXT
);
CREATE TABLE IF NOT EXISTS rankings (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    index_name TEXT, year INTEGER, unit TEXT, rank INTEGER, of_total INTEGER, scope TEXT,
    score REAL, grade TEXT, progress_percent REAL, change INTEGER,
    sentence TEXT, char_start INTEGER, char_end INTEGER, rule TEXT
);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    number TEXT NOT NULL, kind TEXT, date TEXT, issuer TEXT,
    sentence TEXT, char_start INTEGER, char_end INTEGER, rule TEXT
);
CREATE TABLE IF NOT EXISTS mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    fact_table TEXT NOT NULL, fact_id INTEGER NOT NULL,
    sentence TEXT, char_start INTEGER, char_end INTEGER, rule TEXT
);
CREATE TABLE IF NOT EXISTS crawl_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT, finished_at TEXT, sites TEXT,
    pages INTEGER DEFAULT 0, new_articles INTEGER DEFAULT 0, errors INTEGER DEFAULT 0, status TEXT
);
CREATE INDEX IF NOT EXISTS idx_pages_site ON pages(site_id);
CREATE INDEX IF NOT EXISTS idx_articles_site ON articles(site_id, published);
CREATE INDEX IF NOT EXISTS idx_events_article ON events(article_id);
CREATE INDEX IF NOT EXISTS idx_events_date ON events(date);
CREATE INDEX IF NOT EXISTS idx_participants_event ON event_participants(event_id);
CREATE INDEX IF NOT EXISTS idx_participants_name ON event_participants(name_folded, role);
CREATE INDEX IF NOT EXISTS idx_officials_article ON officials(article_id);
CREATE INDEX IF NOT EXISTS idx_officials_name ON officials(name_folded);
CREATE INDEX IF NOT EXISTS idx_units_article ON article_units(article_id);
CREATE INDEX IF NOT EXISTS idx_rankings_article ON rankings(article_id);
CREATE INDEX IF NOT EXISTS idx_documents_article ON documents(article_id);
CREATE INDEX IF NOT EXISTS idx_mentions_fact ON mentions(fact_table, fact_id);
CREATE INDEX IF NOT EXISTS idx_mentions_article ON mentions(article_id);
"""

# Version 2: the periods an article reports on ("9 tháng đầu năm 2023", "quý III/2024").
_V2 = """
CREATE TABLE IF NOT EXISTS periods (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT, first_day TEXT, last_day TEXT, text TEXT,
    sentence TEXT, char_start INTEGER, char_end INTEGER, rule TEXT
);
CREATE INDEX IF NOT EXISTS idx_periods_article ON periods(article_id);
"""

# Version 3: how each unit was linked to the gazetteer, the codes left when it could not be,
# and the post-2025 units it became.
_V3 = """
ALTER TABLE article_units ADD COLUMN linked_by TEXT;
ALTER TABLE article_units ADD COLUMN candidates TEXT;
ALTER TABLE article_units ADD COLUMN successors TEXT;
CREATE INDEX IF NOT EXISTS idx_units_code ON article_units(code);
"""

# Version 4: the later pages of an article split over several pages point at its first page.
_V4 = """
ALTER TABLE pages ADD COLUMN part_of INTEGER REFERENCES pages(id) ON DELETE CASCADE;
CREATE INDEX IF NOT EXISTS idx_pages_part_of ON pages(part_of);
"""

# Version 5: the gazetteer for researchers, people resolved across articles with their posts
# over time (merges explainable and reversible through person_mentions), full-text search.
_V5 = """
CREATE TABLE IF NOT EXISTS units (
    era TEXT NOT NULL,              -- 'pre2025' or 'post2025': codes are reused across eras
    code TEXT NOT NULL,             -- statistics-office code, as written ('23254')
    level TEXT NOT NULL, name TEXT NOT NULL, full_name TEXT NOT NULL,
    parent_code TEXT, province_code TEXT,
    successors TEXT,                -- JSON list of post2025 codes (pre2025 units)
    abolished INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (era, code)
);
CREATE INDEX IF NOT EXISTS idx_units_name ON units(era, level, name);
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,             -- as most often written
    name_folded TEXT NOT NULL,      -- lower case, no diacritics, đ -> d: what search matches
    unit TEXT,                      -- the unit of their posts, when one
    first_seen TEXT, last_seen TEXT -- publication dates of the first and last article naming them
);
CREATE INDEX IF NOT EXISTS idx_people_name ON people(name_folded);
CREATE TABLE IF NOT EXISTS person_mentions (
    official_id INTEGER PRIMARY KEY REFERENCES officials(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,             -- why this mention is this person: 'new', 'same-name-same-unit', …
    decided_at TEXT
);
CREATE INDEX IF NOT EXISTS idx_person_mentions_person ON person_mentions(person_id);
CREATE TABLE IF NOT EXISTS posts (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    title TEXT NOT NULL, title_folded TEXT NOT NULL, unit TEXT,
    first_seen TEXT, last_seen TEXT, articles INTEGER NOT NULL DEFAULT 0,
    UNIQUE (person_id, title_folded, unit)
);
CREATE INDEX IF NOT EXISTS idx_posts_person ON posts(person_id);
-- Folded copies (extract.text.fold: lower case, no diacritics, đ -> d; same length as the
-- original, so a match's offsets are valid in articles.text): rowid = articles.id.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, tokenize='unicode61 remove_diacritics 2'
);
"""

# Version 6: nightly crawls. Conditional requests (etag, last_modified), the run that last
# fetched a page, duplicate keys and syndication (canonical_url, url_key, duplicate_of),
# earlier texts of edited articles, and per-run, per-site records with their faults.
_V6 = """
ALTER TABLE pages ADD COLUMN etag TEXT;
ALTER TABLE pages ADD COLUMN last_modified TEXT;
ALTER TABLE pages ADD COLUMN run_id INTEGER REFERENCES crawl_runs(id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN canonical_url TEXT;
ALTER TABLE articles ADD COLUMN url_key TEXT;
ALTER TABLE articles ADD COLUMN fingerprint TEXT;
ALTER TABLE articles ADD COLUMN duplicate_of INTEGER REFERENCES articles(id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN duplicate_rule TEXT;
ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE articles ADD COLUMN revised_at TEXT;
CREATE INDEX IF NOT EXISTS idx_articles_url_key ON articles(url_key);
CREATE INDEX IF NOT EXISTS idx_articles_canonical ON articles(canonical_url);
CREATE INDEX IF NOT EXISTS idx_articles_content_hash ON articles(content_hash);
CREATE INDEX IF NOT EXISTS idx_articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX IF NOT EXISTS idx_articles_published ON articles(published);
CREATE TABLE IF NOT EXISTS article_revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,      -- 1 = the first text stored; the article row holds the newest
    title TEXT, published TEXT, text TEXT, content_hash TEXT,
    seen_from TEXT, seen_until TEXT, -- when this text was first stored, and when a newer one replaced it
    UNIQUE (article_id, revision)
);
ALTER TABLE crawl_runs ADD COLUMN pid INTEGER;
ALTER TABLE crawl_runs ADD COLUMN options TEXT;
ALTER TABLE crawl_runs ADD COLUMN log_path TEXT;
CREATE TABLE IF NOT EXISTS crawl_run_sites (
    run_id INTEGER NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
    site_id TEXT NOT NULL REFERENCES sites(id),
    status TEXT,                    -- 'running', 'ok', 'errors', 'failed', 'robots-unavailable'
    pages INTEGER NOT NULL DEFAULT 0, list_pages INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0, links_found INTEGER NOT NULL DEFAULT 0,
    known_skipped INTEGER NOT NULL DEFAULT 0, article_pages INTEGER NOT NULL DEFAULT 0,
    new_articles INTEGER NOT NULL DEFAULT 0, changed_articles INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0,
    with_date INTEGER NOT NULL DEFAULT 0, with_body INTEGER NOT NULL DEFAULT 0,
    with_fact INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, site_id)
);
CREATE TABLE IF NOT EXISTS crawl_errors (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES crawl_runs(id) ON DELETE CASCADE,
    site_id TEXT, url TEXT,
    kind TEXT NOT NULL,             -- 'timeout', 'http-503', 'connection-reset', 'too-large', …
    detail TEXT, at TEXT
);
CREATE INDEX IF NOT EXISTS idx_crawl_errors_run ON crawl_errors(run_id, site_id);
"""

# Version 7: what people resolution reads instead of every namesake's mentions (person_facets,
# counted in by each link, recomputed when links are removed), and the units an article is
# about (its site's and those it names) in the full-text index, for search's unit filter.
_V7 = """
CREATE TABLE IF NOT EXISTS person_facets (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    facet TEXT NOT NULL,            -- 'name', 'unit', 'post-title', 'post-unit'; markers 'split', 'stale'
    key TEXT NOT NULL,              -- folded name; unit as written; folded title, tab, folded unit name
    value TEXT NOT NULL,            -- name or title as written; a unit's gazetteer codes ('a,b')
    mentions INTEGER NOT NULL,      -- how many of the person's mentions show it
    first_day TEXT, last_day TEXT,  -- publication days of the first and last of them
    first_official INTEGER NOT NULL, -- the earliest of them (officials.id): breaks ties
    PRIMARY KEY (person_id, facet, key, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_person_facets_name ON person_facets(key) WHERE facet = 'name';
CREATE TRIGGER IF NOT EXISTS person_mentions_unlinked AFTER DELETE ON person_mentions
WHEN EXISTS (SELECT 1 FROM people WHERE id = OLD.person_id)
BEGIN
    INSERT OR REPLACE INTO person_facets (person_id, facet, key, value, mentions, first_official)
    VALUES (OLD.person_id, 'stale', '', '', 1, 0);
END;
DROP TABLE IF EXISTS articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, units, tokenize='unicode61 remove_diacritics 2'
);
"""

# Schema 8: the distinct folded names of meeting participants, so a part of a name is looked
# for among names (tens of thousands) rather than among every chair row (millions).
_V8 = """
CREATE TABLE IF NOT EXISTS participant_names (
    name_folded TEXT PRIMARY KEY    -- a folded name some event_participants row has, or had
) WITHOUT ROWID;
INSERT OR IGNORE INTO participant_names (name_folded)
    SELECT DISTINCT name_folded FROM event_participants WHERE name_folded IS NOT NULL;
CREATE TRIGGER IF NOT EXISTS event_participant_named AFTER INSERT ON event_participants
WHEN NEW.name_folded IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO participant_names (name_folded) VALUES (NEW.name_folded);
END;
"""

# Schema 9: the crawl stores article pages raw and queues them; extraction is a pass of its own
# (scraper.extraction), so a queue row is an article page not yet read.
_V9 = """
CREATE TABLE IF NOT EXISTS extraction_queue (
    page_id INTEGER PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,
    run_id INTEGER REFERENCES crawl_runs(id),  -- the run that fetched the page
    site_id TEXT,
    queued_at TEXT                  -- ISO 8601 UTC
);
CREATE INDEX IF NOT EXISTS idx_extraction_queue_site ON extraction_queue(site_id, page_id);
"""

# Schema 10: a journalist's split or merge, kept by article and folded name, so that
# re-extracting the article (which replaces its officials rows) applies it again.
_V10 = """
CREATE TABLE IF NOT EXISTS person_decisions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name_folded TEXT NOT NULL,      -- the mention's folded name in that article
    person_id INTEGER NOT NULL,     -- the person the journalist said it is
    kind TEXT NOT NULL,             -- 'split' or 'merged'
    reason TEXT NOT NULL,
    decided_at TEXT,
    PRIMARY KEY (article_id, name_folded)
);
CREATE INDEX IF NOT EXISTS idx_person_decisions_person ON person_decisions(person_id);
INSERT OR REPLACE INTO person_decisions (article_id, name_folded, person_id, kind, reason, decided_at)
    SELECT o.article_id, o.name_folded, pm.person_id,
           CASE WHEN substr(pm.rule, 1, 7) = 'split: ' THEN 'split' ELSE 'merged' END,
           substr(pm.rule, CASE WHEN substr(pm.rule, 1, 7) = 'split: ' THEN 8 ELSE 9 END), pm.decided_at
    FROM person_mentions pm JOIN officials o ON o.id = pm.official_id
    WHERE substr(pm.rule, 1, 7) = 'split: ' OR substr(pm.rule, 1, 8) = 'merged: '
    ORDER BY pm.decided_at, pm.official_id;
"""

# Schema 11: search ranks up to 1,000 matches by their title and publication day; read from
# the articles rows, that is a random read of a large row each (60 ms for a cold query at a
# million articles); this index holds just those columns, in id order (19 ms).
_V11 = """
CREATE INDEX IF NOT EXISTS idx_articles_rank ON articles(id, published, title);
"""

# Schema 12: the full-text index's `units` column also holds each unit's words joined into
# tokens (db.search.unit_tokens); the index is rebuilt once by migrate().
_V12 = ""

# Schema 13: who-chaired's rows, copied per chair and kept together by the chair's folded name
# (WITHOUT ROWID, clustered on it): a name's meetings are a few adjacent pages instead of two
# random reads a meeting (event row, article row) from a file of many GiB. The writer fills it
# with the facts (db.store); deleting an event deletes its rows.
_V13 = """
CREATE TABLE IF NOT EXISTS chaired_meetings (
    name_folded TEXT NOT NULL,      -- one chair's folded name
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL,
    date TEXT, kind TEXT, organizer TEXT,
    chairs TEXT,                    -- every chair of the event as written, '; ' between them
    title TEXT, url TEXT, site_id TEXT, sentence TEXT,  -- the article's and the event's, as when written
    PRIMARY KEY (name_folded, event_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_chaired_meetings_event ON chaired_meetings(event_id);
INSERT OR IGNORE INTO chaired_meetings
    (name_folded, event_id, article_id, date, kind, organizer, chairs, title, url, site_id, sentence)
    SELECT p.name_folded, e.id, e.article_id, e.date, e.kind, e.organizer,
           (SELECT group_concat(name, '; ') FROM (SELECT name FROM event_participants
                                                  WHERE event_id = e.id AND role = 'chair' ORDER BY id)),
           a.title, a.url, a.site_id, e.sentence
    FROM event_participants p JOIN events e ON e.id = p.event_id JOIN articles a ON a.id = e.article_id
    WHERE p.role = 'chair' ORDER BY p.name_folded, e.id;
"""

# Schema 14: deleting an article (directly, or with its page) deletes its full-text row. Without
# it a deleted article's row stayed (search skipped it: no articles row), and a new article given the freed id
# could not be indexed (the writer inserts a new article's row without a prior removal).
_V14 = """
DELETE FROM articles_fts WHERE rowid IN (  -- FTS5's small docsize table, not its copy of the texts
    SELECT id FROM articles_fts_docsize WHERE id NOT IN (SELECT id FROM articles));
CREATE TRIGGER IF NOT EXISTS article_unindexed AFTER DELETE ON articles
BEGIN
    DELETE FROM articles_fts WHERE rowid = OLD.id;
END;
"""

MIGRATIONS = {1: _V1, 2: _V2, 3: _V3, 4: _V4, 5: _V5, 6: _V6, 7: _V7, 8: _V8, 9: _V9, 10: _V10, 11: _V11,
              12: _V12, 13: _V13, 14: _V14}


def _unit_tokens(value):
    from db.search import unit_tokens

    return unit_tokens(value) if isinstance(value, str) else value


class DatabaseError(Exception):
    """The file is not a bantin database we can use (clear message for the CLI)."""


def connect(path: str | Path, readonly: bool = False, cache_mib: int = 256) -> sqlite_utils.Database:
    """Open (and, for writing, migrate) a bantin database. `cache_mib` is the writer's page cache:
    large for bulk loads; a crawl, which writes a page at a time, asks for less (memory bound)."""
    path = str(path)
    if readonly:
        if not Path(path).exists():
            raise DatabaseError(f"no database at {path}: run 'bantin demo' or 'bantin crawl' first")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    else:
        conn = sqlite3.connect(path, timeout=30)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if readonly:
            # A search reads the same full-text pages twice (its window, then the words-together
            # check); SQLite's default 2 MiB cache lets the first pass evict them.
            conn.execute(f"PRAGMA cache_size = -{READER_CACHE_MIB * 1024}")
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # The writer's indexes outgrow SQLite's default 2 MiB page cache early; measured on the
            # synthetic bulletins (benchmarks/bench_db.py), 256 MiB cut its SQL time by about 40%.
            conn.execute(f"PRAGMA cache_size = -{int(cache_mib) * 1024}")
        conn.create_function("bantin_fold", 1, lambda v: fold(v) if isinstance(v, str) else v, deterministic=True)
        conn.create_function("bantin_unit_tokens", 1, _unit_tokens, deterministic=True)
        db = sqlite_utils.Database(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"{path} is not a SQLite database: {exc}") from exc
    if version > SCHEMA_VERSION:
        raise DatabaseError(f"{path} has schema version {version}; this bantin knows up to {SCHEMA_VERSION}: upgrade bantin")
    if not readonly:
        migrate(conn, version)
    return db


def migrate(conn: sqlite3.Connection, version: int) -> None:
    for target in range(version + 1, SCHEMA_VERSION + 1):
        with conn:
            conn.executescript(MIGRATIONS[target])
            conn.execute(f"PRAGMA user_version = {target}")
    if version < 5:
        fill_units(conn)
    if 0 < version < 12:  # an older file's articles enter the full-text index (with their unit tokens) once
        from db import search

        search.rebuild(sqlite_utils.Database(conn))
    if 5 <= version < 7:  # an older file's people get the facets resolution now reads
        from db import people

        people.recompute_everyone(sqlite_utils.Database(conn))


def fill_units(conn: sqlite3.Connection) -> None:
    """The gazetteer bantin links units to, as a table researchers can join on."""
    import json

    from extract import gazetteer

    with conn:
        conn.execute("DELETE FROM units")
        conn.executemany(
            "INSERT INTO units (era, code, level, name, full_name, parent_code, province_code, successors, abolished)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(u.era, u.code, u.level, u.name, u.full_name, u.parent_code, u.province_code,
              json.dumps(list(u.successors)) if u.successors else None, int(u.abolished))
             for u in gazetteer.all_units()])
