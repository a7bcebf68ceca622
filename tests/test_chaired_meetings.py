"""chaired_meetings: who-chaired's rows kept together by name give the rows the events give.

Facts are built by hand (the writer's side is what is tested): Lâm Quang Vỹ chairs two meetings
of xã Tân Hội, one with Kha Thị Nguyệt as second chair; a namesake-free meeting of Nguyệt's in
xã Mỹ Lợi has no date.
"""
from __future__ import annotations

from datetime import datetime

import pytest

from db import connect
from db.queries import who_chaired
from db.schema import SCHEMA_VERSION
from db.store import RawPage, save_article, save_page, upsert_site
from extract.model import Article, Event, Facts
from extract.text import fold

SITES = {"tan-hoi": "xã Tân Hội", "my-loi": "xã Mỹ Lợi"}


def _meeting(kind: str, date: str | None, organizer: str, chairs: list[str], sentence: str) -> Event:
    return Event(kind, date, organizer, chairs, [], sentence, 0, len(sentence), "chair")


ITEMS = [
    ("tan-hoi", "Họp Ban Chỉ đạo chuyển đổi số", datetime(2024, 3, 2), [
        _meeting("meeting", "2024-03-02", "UBND xã Tân Hội", ["Lâm Quang Vỹ"],
                 "Sáng 2/3, UBND xã Tân Hội họp Ban Chỉ đạo, do ông Lâm Quang Vỹ chủ trì.")]),
    ("tan-hoi", "Hội nghị sơ kết và kiểm tra", datetime(2024, 7, 9), [
        _meeting("conference", "2024-07-09", "UBND xã Tân Hội", ["Lâm Quang Vỹ", "Kha Thị Nguyệt"],
                 "Hội nghị do ông Lâm Quang Vỹ và bà Kha Thị Nguyệt đồng chủ trì."),
        _meeting("inspection", "2024-07-10", "UBND xã Tân Hội", ["Lâm Quang Vỹ"],
                 "Hôm sau, đoàn kiểm tra do ông Lâm Quang Vỹ làm trưởng đoàn.")]),
    ("my-loi", "Ra quân vệ sinh môi trường", None, [
        _meeting("campaign", None, "UBND xã Mỹ Lợi", ["Kha Thị Nguyệt"],
                 "Bà Kha Thị Nguyệt phát lệnh ra quân.")]),
]


def _store(db, number: int, site_id: str, title: str, published, events: list[Event]) -> None:
    url = f"http://127.0.0.2/{site_id}/{number}.html"
    page = RawPage(url, url, site_id, "article", 200, {}, title.encode(), "2025-01-01T00:00:00+00:00")
    with db.conn:
        save_article(db, save_page(db, page), site_id, Article(url, title, published, None, title),
                     Facts(events=events))


@pytest.fixture
def db(tmp_path):
    db = connect(tmp_path / "chairs.db")
    with db.conn:
        for site_id, unit in SITES.items():
            upsert_site(db, {"id": site_id, "name": f"Cổng TTĐT {unit}", "unit": unit})
    for number, item in enumerate(ITEMS):
        _store(db, number, *item)
    return db


def _from_events(db, name: str, **filters) -> list[dict]:
    """who_chaired's rows for a whole name as the events give them (the path without a name)."""
    return [row for row in who_chaired(db, **filters)
            if fold(name) in {fold(chair) for chair in row["chairs"].split("; ")}]


@pytest.mark.parametrize("name", ["Lâm Quang Vỹ", "lam quang vy", "Kha Thị Nguyệt"])
def test_a_names_rows_are_the_events_rows(db, name):
    rows = who_chaired(db, name)
    assert rows and rows == _from_events(db, name)


def test_filters_apply_as_on_the_events(db):
    assert who_chaired(db, "lam quang vy", since="2024-07-01") == _from_events(db, "lam quang vy", since="2024-07-01")
    assert who_chaired(db, "kha thi nguyet", unit="my loi") == _from_events(db, "kha thi nguyet", unit="my loi")
    assert [r["date"] for r in who_chaired(db, "kha thi nguyet", until="2024-12-31")] == ["2024-07-09"]  # undated: out


def test_an_event_with_two_matching_chairs_is_one_row(db):
    rows = who_chaired(db, "thi nguyet")  # nobody's whole name: a part of names
    assert [(r["date"], r["chairs"]) for r in rows] == [("2024-07-09", "Lâm Quang Vỹ; Kha Thị Nguyệt"),
                                                        (None, "Kha Thị Nguyệt")]
    both = who_chaired(db, "quang vy")
    assert [r["chairs"] for r in both] == ["Lâm Quang Vỹ", "Lâm Quang Vỹ; Kha Thị Nguyệt", "Lâm Quang Vỹ"]


def test_re_extraction_replaces_the_rows_and_deleting_an_article_drops_them(db):
    site_id, title, published, _ = ITEMS[1]
    _store(db, 1, site_id, "Hội nghị sơ kết (đã sửa)", published, [
        _meeting("conference", "2024-07-09", "UBND xã Tân Hội", ["Kha Thị Nguyệt"], "Bà Kha Thị Nguyệt chủ trì.")])
    assert [r["date"] for r in who_chaired(db, "Lâm Quang Vỹ")] == ["2024-03-02"]
    assert [r["title"] for r in who_chaired(db, "Kha Thị Nguyệt")] == ["Hội nghị sơ kết (đã sửa)",
                                                                       "Ra quân vệ sinh môi trường"]
    with db.conn:
        db.execute("DELETE FROM articles WHERE url = 'http://127.0.0.2/my-loi/2.html'")
    assert [r["title"] for r in who_chaired(db, "Kha Thị Nguyệt")] == ["Hội nghị sơ kết (đã sửa)"]
    assert db.execute("SELECT count(*) FROM chaired_meetings").fetchone()[0] == 2


def test_a_version_12_file_gets_its_meetings_copied(db, tmp_path):
    before = {name: who_chaired(db, name) for name in ("Lâm Quang Vỹ", "Kha Thị Nguyệt", "quang")}
    db.conn.executescript("DROP TABLE chaired_meetings; PRAGMA user_version = 12;")
    db.conn.close()
    upgraded = connect(tmp_path / "chairs.db")
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert upgraded.execute("SELECT count(*) FROM chaired_meetings").fetchone()[0] == 5
    assert {name: who_chaired(upgraded, name) for name in before} == before
