"""People resolved across articles, on real SQLite files written through the real extraction path.

Nguyễn Văn Hon (invented) is Phó Chủ tịch UBND xã Phú Lâm in 2022, Phó Chủ tịch then Chủ tịch
UBND huyện Tiên Du (Bắc Ninh) in 2023 and 2024; his namesake is Phó Chủ tịch UBND huyện Thạnh Phú
(Bến Tre). Lê Văn Tỏ chairs "Phường 3" in two cities: the same unit name, two units.
"""
from __future__ import annotations

import zlib

import pytest

import extract
from db import SCHEMA_VERSION, connect
from db.people import (Mention, decide, explain, merge_people, people_of_article, person_profile, recompute,
                       resolve_all, resolve_article, split_mention)
from db.store import RawPage, save_article, save_page, upsert_site

SITES = {
    "phu-lam": ("xã Phú Lâm", "tỉnh Bắc Ninh"),
    "tien-du": ("huyện Tiên Du", "tỉnh Bắc Ninh"),
    "thanh-phu": ("huyện Thạnh Phú", "tỉnh Bến Tre"),
    "soc-trang": ("thành phố Sóc Trăng", "tỉnh Sóc Trăng"),
    "tra-vinh": ("thành phố Trà Vinh", "tỉnh Trà Vinh"),
}

XA_2022 = ("phu-lam", """UBND XÃ PHÚ LÂM HỌP BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH
Ngày 10/3/2022
Sáng ngày 10/3/2022, UBND xã Phú Lâm tổ chức họp Ban Chỉ đạo cải cách hành chính xã, do ông Nguyễn Văn Hon - Phó Chủ tịch UBND xã chủ trì.
Tham dự có bà Lê Thị Mận - công chức Văn phòng - thống kê xã.
""")
HUYEN_2023 = ("tien-du", """HUYỆN TIÊN DU SƠ KẾT CÔNG TÁC CẢI CÁCH HÀNH CHÍNH
Ngày 12/5/2023
Chiều ngày 12/5/2023, UBND huyện Tiên Du tổ chức hội nghị sơ kết công tác cải cách hành chính, do đồng chí Nguyễn Văn Hon - Phó Chủ tịch UBND huyện chủ trì.
Tham dự có ông Trần Quốc Bảo - Trưởng phòng Nội vụ huyện.
""")
HUYEN_2024 = ("tien-du", """HUYỆN TIÊN DU TỔNG KẾT CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2024
Ngày 20/12/2024
Sáng ngày 20/12/2024, UBND huyện Tiên Du tổ chức hội nghị tổng kết công tác cải cách hành chính năm 2024. Đồng chí Nguyễn Văn Hon - Chủ tịch UBND huyện chủ trì hội nghị.
Tham dự có ông Trần Quốc Bảo - Trưởng phòng Nội vụ huyện.
""")
NAMESAKE_2024 = ("thanh-phu", """UBND HUYỆN THẠNH PHÚ KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH
Ngày 15/6/2024
Ngày 15/6/2024, Đoàn kiểm tra của UBND huyện Thạnh Phú do ông Nguyễn Văn Hon - Phó Chủ tịch UBND huyện làm Trưởng đoàn đã kiểm tra công tác cải cách hành chính tại xã An Thạnh.
""")
PHUONG_3 = """UBND PHƯỜNG 3 HỌP TRIỂN KHAI NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH
Ngày 4/3/2024
Sáng ngày 4/3/2024, UBND Phường 3 tổ chức cuộc họp triển khai nhiệm vụ cải cách hành chính năm 2024, do ông Lê Văn Tỏ - Chủ tịch UBND phường chủ trì.
"""
HON_ARTICLES = (HUYEN_2024, XA_2022, NAMESAKE_2024, HUYEN_2023)  # stored out of date order on purpose


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "people.db")
    with database.conn:
        for site_id, (unit, province) in SITES.items():
            upsert_site(database, {"id": site_id, "name": f"Cổng TTĐT {unit}", "unit": unit, "province": province})
    yield database
    database.conn.close()


def _store(db, site_id: str, text: str, url: str | None = None, before: int | None = None) -> int:
    """save_article then resolve_article in one transaction, as the writer does; `before`: the
    id of the article re-extracted, whose people are read first."""
    url = url or f"http://127.0.0.2/{site_id}/{zlib.crc32(text.encode())}.html"
    page = RawPage(url, url, site_id, "article", 200, {}, text.encode(), "2025-01-01T00:00:00+00:00")
    article = extract.article_from_text(text, url)
    facts = extract.extract_all(article, *SITES[site_id])
    with db.conn:
        named_before = people_of_article(db, before) if before else set()
        article_id = save_article(db, save_page(db, page), site_id, article, facts)
        resolve_article(db, article_id, also=named_before)
    return article_id


def _store_hon(db) -> dict[tuple[str, str], int]:
    return {(site, text): _store(db, site, text) for site, text in HON_ARTICLES}


def _person(db, unit: str) -> int:
    return db.execute("SELECT id FROM people WHERE name_folded = 'nguyen van hon' AND unit = ?", [unit]).fetchone()[0]


def _posts(db, person_id: int) -> list[tuple]:
    return db.execute("""SELECT title, unit, first_seen, last_seen, articles FROM posts WHERE person_id = ?
                         ORDER BY first_seen""", [person_id]).fetchall()


def _who(db) -> set[tuple]:
    """Who is who, independent of ids: (name, unit, the officials rows that are them)."""
    rows = db.execute("""SELECT p.name, p.unit, group_concat(pm.official_id) FROM people p
                         JOIN person_mentions pm ON pm.person_id = p.id GROUP BY p.id""").fetchall()
    return {(name, unit, tuple(sorted(int(i) for i in ids.split(",")))) for name, unit, ids in rows}


def _official(db, article_id: int, name_folded: str = "nguyen van hon") -> int:
    return db.execute("SELECT id FROM officials WHERE article_id = ? AND name_folded = ?",
                      [article_id, name_folded]).fetchone()[0]


def test_namesakes_in_different_provinces_are_kept_apart(db):
    _store(db, *HUYEN_2023)
    _store(db, *NAMESAKE_2024)
    rows = db.execute("""SELECT p.unit, pm.rule FROM people p JOIN person_mentions pm ON pm.person_id = p.id
                         WHERE p.name_folded = 'nguyen van hon' ORDER BY p.id""").fetchall()
    assert rows == [("huyện Tiên Du", "new"), ("huyện Thạnh Phú", "new-other-unit")]


def test_same_unit_name_in_two_cities_is_two_units(db):
    """'phường 3' of Sóc Trăng and of Trà Vinh are written alike; their gazetteer codes differ."""
    _store(db, "soc-trang", PHUONG_3)
    _store(db, "tra-vinh", PHUONG_3)
    rows = db.execute("SELECT unit FROM people WHERE name_folded = 'le van to'").fetchall()
    assert rows == [("phường 3",), ("phường 3",)]


def test_one_person_across_three_articles_with_posts_over_time(db):
    ids = _store_hon(db)
    assert db.execute("SELECT count(*) FROM people WHERE name_folded = 'nguyen van hon'").fetchone()[0] == 2
    hon = _person(db, "huyện Tiên Du")
    assert db.execute("SELECT name, first_seen, last_seen FROM people WHERE id = ?", [hon]).fetchone() == \
        ("Nguyễn Văn Hon", "2022-03-10", "2024-12-20")
    assert _posts(db, hon) == [
        ("Phó Chủ tịch UBND xã", "xã Phú Lâm", "2022-03-10", "2022-03-10", 1),
        ("Phó Chủ tịch UBND huyện", "huyện Tiên Du", "2023-05-12", "2023-05-12", 1),
        ("Chủ tịch UBND huyện", "huyện Tiên Du", "2024-12-20", "2024-12-20", 1),
    ]
    rules = {m["article_id"]: m["rule"] for m in explain(db, hon)}
    assert rules == {ids[HUYEN_2024]: "new", ids[XA_2022]: "same-name-unit-within",
                     ids[HUYEN_2023]: "same-name-same-unit"}


XA_2022_SHORT = ("phu-lam", """UBND XÃ PHÚ LÂM RA QUÂN TỔNG VỆ SINH MÔI TRƯỜNG
Ngày 5/6/2022
Sáng ngày 5/6/2022, UBND xã Phú Lâm ra quân tổng vệ sinh môi trường, do đ/c Nguyễn Văn Hon - PCT UBND xã chủ trì.
""")


def test_an_abbreviated_title_is_the_same_post_written_in_full(db):
    _store(db, *XA_2022)
    _store(db, *XA_2022_SHORT)
    assert db.execute("SELECT count(*) FROM people WHERE name_folded = 'nguyen van hon'").fetchone()[0] == 1
    (person,) = db.execute("SELECT id FROM people WHERE name_folded = 'nguyen van hon'").fetchone()
    assert db.execute("SELECT title_folded, unit, first_seen, last_seen, articles FROM posts WHERE person_id = ?",
                      [person]).fetchall() == [("pho chu tich ubnd xa", "xã Phú Lâm", "2022-03-10", "2022-06-05", 2)]


def test_reextracting_an_article_does_not_duplicate_people(db):
    ids = _store_hon(db)
    before = db.execute("SELECT * FROM people ORDER BY id").fetchall()
    posts_before = db.execute("SELECT person_id, title, unit, first_seen, last_seen, articles FROM posts "
                              "ORDER BY person_id, title").fetchall()
    url = db.execute("SELECT url FROM articles WHERE id = ?", [ids[HUYEN_2023]]).fetchone()[0]
    assert _store(db, *HUYEN_2023, url=url) == ids[HUYEN_2023]
    assert db.execute("SELECT * FROM people ORDER BY id").fetchall() == before
    assert db.execute("SELECT person_id, title, unit, first_seen, last_seen, articles FROM posts "
                      "ORDER BY person_id, title").fetchall() == posts_before
    assert db.execute("SELECT count(*) FROM person_mentions").fetchone()[0] == \
        db.execute("SELECT count(*) FROM officials").fetchone()[0]


def _url(db, article_id: int) -> str:
    return db.execute("SELECT url FROM articles WHERE id = ?", [article_id]).fetchone()[0]


def test_reextraction_moving_a_mention_to_a_namesake_updates_both(db):
    """The 2024 page, re-read, turns out to be the Thạnh Phú namesake's: Tiên Du's Hon loses the post."""
    _store(db, *HUYEN_2023)
    article_id = _store(db, *HUYEN_2024)
    _store(db, *NAMESAKE_2024, url=_url(db, article_id))
    hon = _person(db, "huyện Tiên Du")
    assert db.execute("SELECT last_seen FROM people WHERE id = ?", [hon]).fetchone() == ("2023-05-12",)
    assert [p[0] for p in _posts(db, hon)] == ["Phó Chủ tịch UBND huyện"]
    assert _person(db, "huyện Thạnh Phú")


def test_reextraction_dropping_a_name_updates_the_people_it_named(db):
    _store(db, *HUYEN_2023)
    article_id = _store(db, *HUYEN_2024)
    corrected = HUYEN_2024[1].replace("Nguyễn Văn Hon", "Phạm Văn Kha")
    _store(db, "tien-du", corrected, url=_url(db, article_id), before=article_id)
    hon = _person(db, "huyện Tiên Du")
    assert db.execute("SELECT last_seen FROM people WHERE id = ?", [hon]).fetchone() == ("2023-05-12",)
    assert [p[0] for p in _posts(db, hon)] == ["Phó Chủ tịch UBND huyện"]


def test_resolve_all_rebuilds_the_same_people_and_is_idempotent(db):
    _store_hon(db)
    _who_before = _who(db)
    people = db.execute("SELECT count(*) FROM people").fetchone()[0]
    db.execute("DELETE FROM people")  # as after a migration: officials only
    db.conn.commit()
    assert resolve_all(db) == people
    first = db.execute("SELECT * FROM people ORDER BY id").fetchall()
    assert resolve_all(db) == people
    assert db.execute("SELECT * FROM people ORDER BY id").fetchall() == first
    assert _who(db) == _who_before  # the same people, though rebuilt oldest article first
    hon = _person(db, "huyện Tiên Du")
    assert sorted(m["rule"] for m in explain(db, hon)) == ["new", "same-name-same-unit", "same-name-unit-within"]
    assert [m["published"][:10] for m in explain(db, hon)] == ["2022-03-10", "2023-05-12", "2024-12-20"]


def test_split_and_merge_are_reversible_and_explained(db):
    ids = _store_hon(db)
    hon = _person(db, "huyện Tiên Du")
    posts = _posts(db, hon)
    xa_mention = _official(db, ids[XA_2022])

    split = split_mention(db, xa_mention, "a namesake of Phú Lâm, not the huyện chairman")
    assert split != hon
    assert [(m["official_id"], m["rule"]) for m in explain(db, split)] == \
        [(xa_mention, "split: a namesake of Phú Lâm, not the huyện chairman")]
    assert _posts(db, split) == posts[:1] and _posts(db, hon) == posts[1:]
    assert db.execute("SELECT first_seen FROM people WHERE id = ?", [hon]).fetchone() == ("2023-05-12",)

    resolve_all(db)  # a rebuild keeps the journalist's split
    assert _posts(db, _person(db, "xã Phú Lâm")) == posts[:1]
    assert _posts(db, _person(db, "huyện Tiên Du")) == posts[1:]

    hon, split = _person(db, "huyện Tiên Du"), _person(db, "xã Phú Lâm")
    merge_people(db, hon, split, "same man: promoted from the xã")
    assert _posts(db, hon) == posts
    assert db.execute("SELECT count(*) FROM people WHERE id = ?", [split]).fetchone()[0] == 0
    rules = {m["official_id"]: m["rule"] for m in explain(db, hon)}
    assert rules[xa_mention] == "merged: same man: promoted from the xã"
    assert db.execute("SELECT count(*) FROM officials").fetchone()[0] == \
        db.execute("SELECT count(*) FROM person_mentions").fetchone()[0]  # mentions are the record


def _rules_of(db, article_id: int, name_folded: str = "nguyen van hon") -> list[tuple]:
    return db.execute("""SELECT pm.person_id, pm.rule FROM person_mentions pm JOIN officials o ON o.id = pm.official_id
                         WHERE o.article_id = ? AND o.name_folded = ?""", [article_id, name_folded]).fetchall()


def test_a_split_survives_re_extraction_of_its_article(db):
    ids = _store_hon(db)
    hon = _person(db, "huyện Tiên Du")
    posts = _posts(db, hon)
    split = split_mention(db, _official(db, ids[XA_2022]), "a namesake of Phú Lâm")
    again = _store(db, *XA_2022, url=db.execute("SELECT url FROM articles WHERE id = ?",
                                                 [ids[XA_2022]]).fetchone()[0], before=ids[XA_2022])
    assert again == ids[XA_2022]  # the same article, its officials rows new
    assert _rules_of(db, again) == [(split, "split: a namesake of Phú Lâm")]
    assert _posts(db, split) == posts[:1] and _posts(db, hon) == posts[1:]
    _store(db, *HUYEN_2024, url="http://127.0.0.2/tien-du/another.html")  # a split person takes no automatic links
    assert _rules_of(db, again) == [(split, "split: a namesake of Phú Lâm")]
    assert len(explain(db, split)) == 1


def test_a_merge_survives_re_extraction_of_its_articles(db):
    ids = _store_hon(db)
    hon, namesake = _person(db, "huyện Tiên Du"), _person(db, "huyện Thạnh Phú")
    merge_people(db, hon, namesake, "the same man, seconded to Bến Tre")
    url = db.execute("SELECT url FROM articles WHERE id = ?", [ids[NAMESAKE_2024]]).fetchone()[0]
    _store(db, *NAMESAKE_2024, url=url, before=ids[NAMESAKE_2024])
    assert _rules_of(db, ids[NAMESAKE_2024]) == [(hon, "merged: the same man, seconded to Bến Tre")]
    assert db.execute("SELECT count(*) FROM people WHERE name_folded = 'nguyen van hon'").fetchone() == (1,)
    assert len(explain(db, hon)) == 4


def test_a_decision_outlives_an_edit_that_drops_the_name_and_one_that_brings_it_back(db):
    ids = _store_hon(db)
    split = split_mention(db, _official(db, ids[XA_2022]), "a namesake of Phú Lâm")
    url = db.execute("SELECT url FROM articles WHERE id = ?", [ids[XA_2022]]).fetchone()[0]
    site, text = XA_2022
    without = text.replace("ông Nguyễn Văn Hon - Phó Chủ tịch UBND xã", "bà Lê Thị Mận - công chức Văn phòng - thống kê xã")
    _store(db, site, without, url=url, before=ids[XA_2022])
    assert _rules_of(db, ids[XA_2022]) == []
    assert db.execute("SELECT count(*) FROM people WHERE id = ?", [split]).fetchone() == (0,)  # nobody left to be
    _store(db, *XA_2022, url=url, before=ids[XA_2022])  # the name is back: the split person is gone, so decide again
    assert [rule for _, rule in _rules_of(db, ids[XA_2022])] == ["same-name-unit-within"]


def test_explain_gives_the_article_and_sentence(db):
    ids = _store_hon(db)
    hon = _person(db, "huyện Tiên Du")
    first = explain(db, hon)[0]
    assert first["article_id"] == ids[XA_2022] and first["url"].startswith("http://127.0.0.2/phu-lam/")
    assert first["title"] == "UBND XÃ PHÚ LÂM HỌP BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH"
    assert "Nguyễn Văn Hon - Phó Chủ tịch UBND xã chủ trì" in first["sentence"]
    assert first["titles"] == ["Phó Chủ tịch UBND xã"] and first["roles"] == ["chair"]
    assert explain(db, 999_999) == []


def test_split_and_merge_refuse_what_cannot_be_explained(db):
    ids = _store_hon(db)
    hon = _person(db, "huyện Tiên Du")
    with pytest.raises(ValueError, match="reason"):
        split_mention(db, _official(db, ids[XA_2022]), "  ")
    with pytest.raises(ValueError, match="not linked"):
        split_mention(db, 999_999, "no such mention")
    with pytest.raises(ValueError, match="themselves"):
        merge_people(db, hon, hon, "same")
    with pytest.raises(ValueError, match="no person 999999"):
        merge_people(db, hon, 999_999, "gone")


def test_profile_finds_the_name_with_or_without_diacritics(db):
    _store_hon(db)
    for query in ("nguyen van hon", "Nguyễn Văn Hon", "NGUYỄN VĂN HON", "  nguyen  van hon "):
        assert {p["unit"] for p in person_profile(db, query)} == {"huyện Tiên Du", "huyện Thạnh Phú"}, query
    assert {p["name"] for p in person_profile(db, "van hon")} == {"Nguyễn Văn Hon"}  # substring
    hon = next(p for p in person_profile(db, "nguyen van hon") if p["unit"] == "huyện Tiên Du")
    assert [(p["title"], p["first_seen"]) for p in hon["posts"]] == [
        ("Phó Chủ tịch UBND xã", "2022-03-10"), ("Phó Chủ tịch UBND huyện", "2023-05-12"),
        ("Chủ tịch UBND huyện", "2024-12-20")]
    assert [(m["date"], m["organizer"]) for m in hon["chaired"]] == [
        ("2022-03-10", "UBND xã Phú Lâm"), ("2023-05-12", "UBND huyện Tiên Du"),
        ("2024-12-20", "UBND huyện Tiên Du")]
    assert hon["attended"] == []
    bao = person_profile(db, "tran quoc bao")
    assert [m["date"] for m in bao[0]["attended"]] == ["2023-05-12", "2024-12-20"] and bao[0]["chaired"] == []
    assert person_profile(db, "Nguyễn Văn Không Có") == []


@pytest.mark.parametrize("hostile", ["%", "_", "%%", "'", '"', "\\", "'; DROP TABLE people; --", "a%b_c",
                                     '" OR 1=1 --', "", "   ", "\x00"])
def test_hostile_names_never_raise_and_match_nothing(db, hostile):
    _store(db, *HUYEN_2023)
    assert person_profile(db, hostile) == []
    assert db.execute("SELECT count(*) FROM people").fetchone()[0] == 2


def _mention(official_id: int, unit: str | None, places: set[str] | None, titles=("Chủ tịch UBND xã",)) -> Mention:
    return Mention(official_id, official_id, "Nguyễn Văn Hon", "nguyen van hon", titles, unit,
                   None if places is None else frozenset(places))


def test_decide_rules_for_missing_and_unknown_units():
    known = {1: [_mention(1, "huyện Tiên Du", {"260"})], 2: [_mention(2, "huyện Thạnh Phú", {"837"})]}
    assert decide(_mention(3, None, None, ()), {1: known[1]}) == (1, "same-name-no-unit")
    assert decide(_mention(3, None, None), {1: known[1]}) == (1, "same-name-same-title")
    assert decide(_mention(3, None, None, ()), known) == (None, "new-ambiguous")  # two fit equally: choose none
    assert decide(_mention(3, "xã Phú Lâm", {"09322"}), known) == (1, "same-name-unit-within")
    assert decide(_mention(3, "tỉnh Bến Tre", {"83"}), known) == (2, "same-name-unit-within")
    assert decide(_mention(3, "tỉnh Sóc Trăng", {"94"}), known) == (None, "new-other-unit")
    unknown = {4: [_mention(4, "ấp Bình Lợi", set())]}  # not in the gazetteer: compare titles
    assert decide(_mention(5, "ấp Bình Thạnh", set()), unknown) == (4, "same-name-same-title")
    assert decide(_mention(5, "ấp Bình Thạnh", set(), ("Trưởng ấp",)), unknown) == (None, "new-other-unit")
    assert decide(_mention(5, "ấp Bình Lợi", set(), ("Trưởng ấp",)), unknown) == (4, "same-name-same-unit")


# ---------------------------------------------------------------- facets counted link by link = a full recompute

MORE = (  # more names, units and titles: a person named in two units of one huyện, a namesake in another
    ("phu-lam", XA_2022[1].replace("Nguyễn Văn Hon", "Trần Quốc Bảo").replace("10/3/2022", "11/4/2022")),
    ("soc-trang", PHUONG_3), ("tra-vinh", PHUONG_3),
    ("soc-trang", PHUONG_3.replace("4/3/2024", "5/8/2024").replace("Chủ tịch", "Phó Chủ tịch")),
)


def _state(db) -> dict[str, list[tuple]]:
    """Everything resolution writes, ids of posts aside (a recompute inserts them afresh)."""
    return {
        "people": db.execute("SELECT * FROM people ORDER BY id").fetchall(),
        "posts": db.execute("SELECT person_id, title, title_folded, unit, first_seen, last_seen, articles FROM posts "
                            "ORDER BY person_id, title_folded, unit").fetchall(),
        "facets": db.execute("SELECT * FROM person_facets ORDER BY person_id, facet, key, value").fetchall(),
        "links": db.execute("SELECT official_id, person_id, rule FROM person_mentions ORDER BY official_id").fetchall(),
    }


def test_facets_counted_link_by_link_equal_a_recompute_from_all_mentions(db):
    for site, text in HON_ARTICLES + MORE:
        _store(db, site, text)
    incremental = _state(db)
    assert len(incremental["facets"]) > 2 * len(incremental["people"])
    with db.conn:
        recompute(db, {pid for (pid,) in db.execute("SELECT id FROM people")})
    assert _state(db) == incremental


def test_resolve_all_gives_the_same_people_and_posts_as_the_writer(db):
    """Stored oldest first, the writer's decisions are resolve_all's (which ends with a recompute)."""
    ordered = sorted(HON_ARTICLES + MORE, key=lambda st: extract.article_from_text(st[1], "http://x/").published)
    for site, text in ordered:
        _store(db, site, text)
    written = _state(db)
    resolve_all(db)
    assert _state(db) == written


def test_reextraction_leaves_facets_equal_a_recompute(db):
    _store(db, *HUYEN_2023)
    article_id = _store(db, *HUYEN_2024)
    _store(db, *NAMESAKE_2024, url=_url(db, article_id))  # the 2024 page re-read as the Thạnh Phú namesake's
    state = _state(db)
    assert not [f for f in state["facets"] if f[1] == "stale"]
    with db.conn:
        recompute(db, {pid for (pid,) in db.execute("SELECT id FROM people")})
    assert _state(db) == state


def test_a_deleted_article_makes_its_people_stale_and_decisions_forget_it(db):
    xa = _store(db, *XA_2022)
    huyen = _store(db, *HUYEN_2023)
    hon = _person(db, "huyện Tiên Du")
    with db.conn:
        db.execute("DELETE FROM pages WHERE id = (SELECT page_id FROM articles WHERE id = ?)", [huyen])
    assert db.execute("SELECT count(*) FROM person_facets WHERE person_id = ? AND facet = 'stale'",
                      [hon]).fetchone() == (1,)
    # Only the xã mention is left: Thạnh Phú (Bến Tre) cannot be inside xã Phú Lâm (Bắc Ninh), nor the reverse.
    _store(db, *NAMESAKE_2024)
    rules = db.execute("""SELECT pm.rule FROM person_mentions pm JOIN officials o ON o.id = pm.official_id
                          WHERE o.name_folded = 'nguyen van hon' ORDER BY o.id""").fetchall()
    assert rules == [("new",), ("new-other-unit",)]
    assert db.execute("SELECT facet FROM person_facets WHERE person_id = ? AND facet = 'stale'", [hon]).fetchall() == []
    assert _posts(db, hon) == [("Phó Chủ tịch UBND xã", "xã Phú Lâm", "2022-03-10", "2022-03-10", 1)]
    assert hon in people_of_article(db, xa)


def test_upgrade_from_version_6_fills_the_facets(db, tmp_path):
    _store_hon(db)
    state = _state(db)
    db.conn.executescript("""DROP TRIGGER person_mentions_unlinked; DROP TABLE person_facets; DROP TABLE articles_fts;
                             CREATE VIRTUAL TABLE articles_fts USING fts5(title, text,
                                 tokenize='unicode61 remove_diacritics 2');
                             PRAGMA user_version = 6;""")
    db.conn.close()
    upgraded = connect(tmp_path / "people.db")
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert _state(upgraded) == state
    assert upgraded.execute("SELECT count(*) FROM articles_fts WHERE units MATCH 'tien du'").fetchone() == (2,)
    upgraded.conn.close()


def test_upgrade_from_version_9_keeps_earlier_decisions_for_re_extraction(db, tmp_path):
    ids = _store_hon(db)
    split = split_mention(db, _official(db, ids[XA_2022]), "a namesake of Phú Lâm")
    merge_people(db, _person(db, "huyện Tiên Du"), _person(db, "huyện Thạnh Phú"), "one man")
    decisions = db.execute("SELECT * FROM person_decisions ORDER BY article_id").fetchall()
    assert [row[3] for row in decisions] == ["split", "merged"]  # the merge moved the namesake's one mention
    db.conn.executescript("DROP TABLE person_decisions; PRAGMA user_version = 9;")
    db.conn.close()
    upgraded = connect(tmp_path / "people.db")
    assert upgraded.execute("SELECT * FROM person_decisions ORDER BY article_id").fetchall() == decisions
    url = upgraded.execute("SELECT url FROM articles WHERE id = ?", [ids[XA_2022]]).fetchone()[0]
    _store(upgraded, *XA_2022, url=url, before=ids[XA_2022])
    assert _rules_of(upgraded, ids[XA_2022]) == [(split, "split: a namesake of Phú Lâm")]
    upgraded.conn.close()
