"""The batch writer (db.store.Writer) leaves the same file as one save_article per article.

Invented bulletins: Phạm Quốc Trung chairs in xã Trà Giang, then in huyện Kiến Xương, which holds
it (one person, three articles, two titles); a namesake chairs in huyện Cái Bè (another
province); Đỗ Thị Lành attends twice in one article; an article is re-extracted mid-batch.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

import extract
from db import connect
from db.store import RawPage, Writer, save_article, save_page, upsert_site

SITES = {
    "tra-giang": ("xã Trà Giang", "tỉnh Thái Bình"),
    "kien-xuong": ("huyện Kiến Xương", "tỉnh Thái Bình"),
    "cai-be": ("huyện Cái Bè", "tỉnh Tiền Giang"),
}

ARTICLES = [
    ("tra-giang", """XÃ TRÀ GIANG HỌP BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ
Ngày 6/4/2022
Sáng ngày 6/4/2022, UBND xã Trà Giang tổ chức họp Ban Chỉ đạo chuyển đổi số xã, do ông Phạm Quốc Trung - Phó Chủ tịch UBND xã chủ trì.
Tham dự có bà Đỗ Thị Lành - công chức Văn phòng - thống kê xã.
Bà Đỗ Thị Lành - công chức Văn phòng - thống kê xã báo cáo kết quả triển khai Đề án 06.
"""),
    ("kien-xuong", """HUYỆN KIẾN XƯƠNG SƠ KẾT CÔNG TÁC CHUYỂN ĐỔI SỐ
Ngày 14/9/2023
Chiều ngày 14/9/2023, UBND huyện Kiến Xương tổ chức hội nghị sơ kết công tác chuyển đổi số, do đồng chí Phạm Quốc Trung - Phó Chủ tịch UBND huyện chủ trì.
Tham dự có ông Vương Đình Khải - Trưởng phòng Văn hóa và Thông tin huyện.
"""),
    ("cai-be", """UBND HUYỆN CÁI BÈ KIỂM TRA CÔNG TÁC CHUYỂN ĐỔI SỐ
Ngày 2/10/2023
Ngày 2/10/2023, Đoàn kiểm tra của UBND huyện Cái Bè do ông Phạm Quốc Trung - Phó Chủ tịch UBND huyện làm Trưởng đoàn đã kiểm tra công tác chuyển đổi số tại xã Hậu Thành.
"""),
    ("kien-xuong", """HUYỆN KIẾN XƯƠNG TỔNG KẾT CÔNG TÁC CHUYỂN ĐỔI SỐ NĂM 2024
Ngày 18/12/2024
Sáng ngày 18/12/2024, UBND huyện Kiến Xương tổ chức hội nghị tổng kết công tác chuyển đổi số năm 2024. Đồng chí Phạm Quốc Trung - Chủ tịch UBND huyện chủ trì hội nghị.
Tham dự có ông Vương Đình Khải - Trưởng phòng Văn hóa và Thông tin huyện.
"""),
]

# The first article again, edited: Lành is now a Phó Chủ tịch, and Trung is gone from it.
EDITED = ("tra-giang", """XÃ TRÀ GIANG HỌP BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ
Ngày 6/4/2022
Sáng ngày 6/4/2022, UBND xã Trà Giang tổ chức họp Ban Chỉ đạo chuyển đổi số xã, do bà Đỗ Thị Lành - Phó Chủ tịch UBND xã chủ trì.
""")

PEOPLE_TABLES = {
    "people": "SELECT id, name, name_folded, unit, first_seen, last_seen FROM people ORDER BY id",
    "posts": "SELECT person_id, title, title_folded, unit, first_seen, last_seen, articles FROM posts "
             "ORDER BY person_id, title_folded, unit",
    "person_facets": "SELECT person_id, facet, key, value, mentions, first_day, last_day, first_official "
                     "FROM person_facets ORDER BY person_id, facet, key, value",
    "person_mentions": "SELECT official_id, person_id, rule FROM person_mentions ORDER BY official_id",
    "articles_fts": "SELECT rowid, title, units FROM articles_fts ORDER BY rowid",
}


@pytest.fixture(scope="module")
def extracted() -> list[tuple]:
    """(page, site, article, facts) of every bulletin, extracted once with the real models; the
    edit has the first article's URL."""
    out = []
    for number, (site_id, text) in enumerate([*ARTICLES, EDITED]):
        url = f"http://127.0.0.2/{site_id}/{number % len(ARTICLES)}.html"
        page = RawPage(url, url, site_id, "article", 200, {}, text.encode(), "2025-01-01T00:00:00+00:00")
        article = extract.article_from_text(text, url)
        out.append((page, site_id, article, extract.extract_all(article, *SITES[site_id])))
    return out


def _new_db(path):
    db = connect(path)
    with db.conn:
        for site_id, (unit, province) in SITES.items():
            upsert_site(db, {"id": site_id, "name": f"Cổng TTĐT {unit}", "unit": unit, "province": province})
    return db


def _tables(db) -> dict[str, list[tuple]]:
    return {name: db.execute(sql).fetchall() for name, sql in PEOPLE_TABLES.items()}


def _one_by_one(db, items) -> None:
    for page, site_id, article, facts in items:
        with db.conn:
            save_article(db, save_page(db, page), site_id, article, facts)


def _batch(db, items) -> None:
    with db.conn:
        writer = Writer(db)
        for page, site_id, article, facts in items:
            writer.save_article(save_page(db, page), site_id, article, facts)
        writer.flush()


def _named_twice(item: tuple, name: str) -> tuple:
    """The item with a second officials row for `name` (as when a bulletin spells one person two
    ways): two links of one person in one article, which count the article once."""
    page, site_id, article, facts = item
    first = next(o for o in facts.officials if o.name == name)
    return page, site_id, article, replace(facts, officials=[*facts.officials, replace(first, evidence=[])])


def _same_both_ways(tmp_path, items) -> dict[str, list[tuple]]:
    """Write the items one article a transaction and as one batch; the people tables must match."""
    single, batch = _new_db(tmp_path / "single.db"), _new_db(tmp_path / "batch.db")
    _one_by_one(single, items)
    _batch(batch, items)
    expected = _tables(single)
    assert _tables(batch) == expected
    return expected


def test_a_batch_writes_the_same_people_as_one_article_at_a_time(tmp_path, extracted):
    expected = _same_both_ways(tmp_path, [*extracted[:3], _named_twice(extracted[3], "Phạm Quốc Trung")])
    # What the comparison covers: one Trung across three articles, his namesake apart, two posts.
    trung = [row for row in expected["people"] if row[2] == "pham quoc trung"]
    assert [row[3] for row in trung] == ["huyện Kiến Xương", "huyện Cái Bè"]
    assert sum(1 for row in expected["person_mentions"] if row[1] == trung[0][0]) == 4  # one named twice
    assert [(r[1], r[6]) for r in expected["posts"] if r[0] == trung[0][0]] == [
        ("Chủ tịch UBND huyện", 1), ("Phó Chủ tịch UBND huyện", 1), ("Phó Chủ tịch UBND xã", 1)]
    lanh = [row for row in expected["people"] if row[2] == "do thi lanh"]
    assert len(lanh) == 1  # named twice in one article: one person, one article counted
    assert [r[6] for r in expected["posts"] if r[0] == lanh[0][0]] == [1]


def test_a_re_extraction_inside_a_batch_is_the_same_as_alone(tmp_path, extracted):
    # the first article edited, then two again
    expected = _same_both_ways(tmp_path, [*extracted[:4], extracted[4], *extracted[1:3]])
    lanh = [row for row in expected["people"] if row[2] == "do thi lanh"]
    assert [(r[1], r[3]) for r in expected["posts"] if r[0] == lanh[0][0]] == [("Phó Chủ tịch UBND xã", "xã Trà Giang")]


def test_nothing_of_the_batch_is_written_before_flush(tmp_path, extracted):
    db = _new_db(tmp_path / "batch.db")
    with db.conn:
        writer = Writer(db)
        for page, site_id, article, facts in extracted[:2]:
            writer.save_article(save_page(db, page), site_id, article, facts)
        assert db.execute("SELECT count(*) FROM person_mentions").fetchone() == (0,)
        writer.flush()
        assert db.execute("SELECT count(*) FROM person_mentions").fetchone()[0] >= 4
