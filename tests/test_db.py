"""Storage on real SQLite files: schema, idempotent writes, atomic fact replacement, queries."""
from __future__ import annotations

import sqlite3

import pytest

import extract
from db import SCHEMA_VERSION, connect
from db.queries import who_chaired
from db.schema import DatabaseError
from db.store import RawPage, load_page, save_article, save_page, upsert_site

ARTICLE = """UBND XÃ HÒA PHÚ HỌP BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH
Chiều ngày 5/4/2024, UBND xã Hòa Phú tổ chức họp Ban Chỉ đạo cải cách hành chính xã, do đồng chí Đặng Văn Lực - Chủ tịch UBND xã chủ trì.
Tham dự có ông Trương Minh Quân - Phó Chủ tịch UBND xã.
"""


def _page(url="http://127.0.0.2/a-1.html", body=ARTICLE.encode()):
    return RawPage(url, url, "site-a", "article", 200, {"Content-Type": "text/plain"}, body, "2024-04-06T00:00:00+00:00")


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "t.db")
    with database.conn:
        upsert_site(database, {"id": "site-a", "name": "Cổng TTĐT xã Hòa Phú", "unit": "xã Hòa Phú"})
    yield database
    database.conn.close()


def _store(db, page=None):
    page = page or _page()
    art = extract.article_from_text(page.body.decode(), page.url)
    with db.conn:
        page_id = save_page(db, page)
        return save_article(db, page_id, page.site_id, art, extract.extract_all(art, "xã Hòa Phú"))


def test_new_file_gets_schema_version_and_wal(tmp_path):
    db = connect(tmp_path / "new.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"sites", "pages", "articles", "events", "event_participants", "officials", "mentions"} <= set(db.table_names())


def test_storing_twice_adds_nothing_and_keeps_raw_page(db):
    first = _store(db)
    second = _store(db)
    assert first == second
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM event_participants").fetchone()[0] == 2
    assert load_page(db, 1).body == ARTICLE.encode()


def test_units_are_stored_with_their_codes(db):
    article_id = _store(db)
    row = db.execute("SELECT name, code, parent, linked_by FROM article_units WHERE article_id = ?",
                     [article_id]).fetchone()
    assert row[0] == "xã Hòa Phú" and row[3] in ("unique", "site-unit", "site-province", "ambiguous")


def test_every_official_has_provenance(db):
    article_id = _store(db)
    rows = db.execute("""SELECT o.name, m.sentence, m.char_start, m.char_end, m.rule, a.text
                         FROM officials o JOIN mentions m ON m.fact_table = 'officials' AND m.fact_id = o.id
                         JOIN articles a ON a.id = o.article_id WHERE o.article_id = ?""", [article_id]).fetchall()
    assert {r[0] for r in rows} == {"Đặng Văn Lực", "Trương Minh Quân"}
    for name, sentence, start, end, rule, text in rows:
        assert name in text[start:end] and text[start:end] in sentence and rule


def test_who_chaired_matches_without_diacritics(db):
    _store(db)
    for query in ("Đặng Văn Lực", "dang van luc", "DANG VAN", "luc"):
        rows = who_chaired(db, query)
        assert [r["chairs"] for r in rows] == ["Đặng Văn Lực"], query
    assert who_chaired(db, "Trương Minh Quân") == []  # an attendee, not a chair
    assert who_chaired(db, unit="xa hoa phu")[0]["date"] == "2024-04-05"
    assert who_chaired(db, since="2024-05-01") == []
    assert who_chaired(db, "%") == [] and who_chaired(db, "_") == []


def test_reading_a_file_that_is_not_sqlite(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DatabaseError, match="not a SQLite database"):
        connect(bad)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(DatabaseError, match="upgrade bantin"):
        connect(path)


def test_readonly_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(DatabaseError, match="no database"):
        connect(tmp_path / "missing.db", readonly=True)


def test_version_1_file_is_migrated_in_place(tmp_path):
    """A database written by schema version 1 gains the periods table and keeps its rows."""
    from db.schema import _V1

    path = tmp_path / "v1.db"
    con = sqlite3.connect(path)
    con.executescript(_V1)
    con.execute("INSERT INTO sites (id, name) VALUES ('old-site', 'Cổng cũ')")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    db = connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "periods" in db.table_names()
    assert {"linked_by", "candidates", "successors"} <= {c.name for c in db["article_units"].columns}
    assert db.execute("SELECT name FROM sites").fetchall() == [("Cổng cũ",)]
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_periods_are_stored(db):
    page = _page(body=(ARTICLE + "Kết quả 9 tháng đầu năm 2024 đạt khá.\n").encode())
    article_id = _store(db, page)
    rows = db.execute("SELECT kind, first_day, last_day FROM periods WHERE article_id = ?", [article_id]).fetchall()
    assert ("months", "2024-01-01", "2024-09-30") in rows


def test_who_chaired_matches_a_whole_name_before_parts_of_names(db):
    _store(db)
    longer = ARTICLE.replace("Đặng Văn Lực", "Đặng Văn Lực Anh").replace("5/4/2024", "6/4/2024")
    _store(db, _page("http://127.0.0.2/a-2.html", longer.encode()))
    assert [r["chairs"] for r in who_chaired(db, "dang van luc")] == ["Đặng Văn Lực"]  # whole name: by index
    assert [r["chairs"] for r in who_chaired(db, "Đặng Văn Lực Anh")] == ["Đặng Văn Lực Anh"]
    assert [r["chairs"] for r in who_chaired(db, "van luc")] == ["Đặng Văn Lực Anh", "Đặng Văn Lực"]  # nobody's name


def test_version_7_file_gains_participant_names_and_part_of_a_name_still_finds_the_chair(tmp_path):
    path = tmp_path / "v7.db"
    db = connect(path)
    with db.conn:
        upsert_site(db, {"id": "site-a", "name": "Cổng TTĐT xã Hòa Phú", "unit": "xã Hòa Phú"})
    _store(db)
    db.conn.executescript("DROP TRIGGER event_participant_named; DROP TABLE participant_names; PRAGMA user_version = 7;")
    db.conn.close()
    upgraded = connect(path)
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert upgraded.execute("SELECT name_folded FROM participant_names ORDER BY 1").fetchall() == [
        ("dang van luc",), ("truong minh quan",)]
    assert [row["chairs"] for row in who_chaired(upgraded, "van luc")] == ["Đặng Văn Lực"]
    upgraded.conn.close()


def test_participant_names_follow_new_participants(db):
    _store(db)
    _store(db, _page("http://127.0.0.2/a-2.html", ARTICLE.replace("Đặng Văn Lực", "Đặng Văn Lục").encode()))
    assert {name for (name,) in db.execute("SELECT name_folded FROM participant_names")} == {
        "dang van luc", "truong minh quan"}  # Lực and Lục fold alike: one name
    _store(db, _page("http://127.0.0.2/a-3.html", ARTICLE.replace("Đặng Văn Lực", "Hà Thị Mơ").encode()))
    assert ("ha thi mo",) in db.execute("SELECT name_folded FROM participant_names").fetchall()
    assert {row["chairs"] for row in who_chaired(db, "thi m")} == {"Hà Thị Mơ"}


def test_a_reader_keeps_more_pages_than_sqlites_default(db, tmp_path):
    """A search reads its full-text pages twice; the reader's cache keeps them (db.schema.READER_CACHE_MIB)."""
    from db.schema import READER_CACHE_MIB

    reader = connect(tmp_path / "t.db", readonly=True)
    assert reader.execute("PRAGMA cache_size").fetchone()[0] == -READER_CACHE_MIB * 1024
    assert READER_CACHE_MIB * 1024 > 2000  # SQLite's default: -2000 KiB
    reader.conn.close()
