"""Full-text search on real SQLite files: diacritics and đ either way, hostile strings, ranking,
snippets from the original text, filters, and an index that stays in step with the articles."""
from __future__ import annotations

import random
import time
import unicodedata

import pytest

import extract
from db import connect
from db import search as search_module
from db.search import index_article, match_expression, rebuild, remove_article, search
from db.store import RawPage, save_article, save_page, upsert_site

HOA_PHU = """UBND xã Hòa Phú tổ chức hội nghị sơ kết cải cách hành chính quý I
Thứ Sáu, 05/04/2024 10:05 (GMT +7)
Chiều ngày 5/4/2024, UBND xã Hòa Phú tổ chức hội nghị sơ kết công tác cải cách hành chính quý I năm 2024, do đồng chí Đặng Văn Lực - Chủ tịch UBND xã chủ trì.
Tham dự có ông Trương Minh Quân - Phó Chủ tịch UBND xã cùng cán bộ, công chức các bộ phận chuyên môn.
Hội nghị đã đánh giá kết quả thực hiện và đề ra nhiệm vụ trọng tâm quý II.
"""
DAT_DO = """Đoàn kiểm tra cải cách hành chính làm việc tại huyện Đất Đỏ
Thứ Năm, 12/10/2023 09:30 (GMT +7)
Ngày 11/10/2023, Đoàn kiểm tra công tác cải cách hành chính tỉnh Bà Rịa - Vũng Tàu do đồng chí Lê Thị Đào - Phó Chủ tịch UBND tỉnh làm trưởng đoàn đã làm việc với UBND huyện Đất Đỏ.
Tham dự có đồng chí Phạm Quốc Đông - Chủ tịch UBND huyện.
"""
NO_MARKS = """Hoi nghi tong ket cong tac thi dua khen thuong nam 2023
Thu Ba, 09/01/2024 08:00 (GMT +7)
Sang ngay 8/1/2024, UBND xa Hoa Phu to chuc hoi nghi tong ket cong tac thi dua khen thuong. Dong chi Dang Van Luc phat bieu chi dao.
"""
IN_TITLE = """Xã Hòa Phú đẩy mạnh chuyển đổi số
Thứ Hai, 13/05/2024 07:45 (GMT +7)
UBND xã ban hành kế hoạch đưa nền tảng trực tuyến vào giải quyết thủ tục cho người dân trong năm 2024.
"""
IN_BODY = """Thông báo lịch tiếp công dân tháng 5 năm 2024
Thứ Ba, 14/05/2024 16:20 (GMT +7)
UBND xã Hòa Phú thông báo lịch tiếp công dân định kỳ của lãnh đạo xã trong tháng 5. Người dân có thể gửi kiến nghị trực tiếp tại bộ phận một cửa hoặc qua cổng dịch vụ công; xã cũng giới thiệu các bước chuyển đổi số trong tiếp nhận hồ sơ và kết quả chuyển đổi số năm 2023.
"""

KEYS = {"id", "title", "url", "site_id", "published", "rank", "snippet"}
HOSTILE = ['"', 'a" OR "b', "Bà Rịa - Vũng Tàu", "NEAR(a b)", "AND", "((", "", "   ", "*", "-",
           "hội nghị " * 1112, "x" * 10_000, '"(*-) AND OR NEAR ^:' * 500, "hội\x00nghị", "\x00", "title:hoa",
           None]


def _page(url: str, body: str, site_id: str) -> RawPage:
    return RawPage(url, url, site_id, "article", 200, {}, body.encode(), "2024-06-01T00:00:00+00:00")


def _store(db, body: str, url: str, site_id: str = "site-a", unit: str = "xã Hòa Phú",
           province: str | None = None) -> int:
    """Save and index an article the way a crawl would, in one transaction."""
    art = extract.article_from_text(body, url)
    with db.conn:
        page_id = save_page(db, _page(url, body, site_id))
        article_id = save_article(db, page_id, site_id, art, extract.extract_all(art, unit, province))
        index_article(db, article_id, art.title, art.text)
    return article_id


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "search.db")
    with database.conn:
        upsert_site(database, {"id": "site-a", "name": "Cổng TTĐT xã Hòa Phú", "unit": "xã Hòa Phú"})
        upsert_site(database, {"id": "site-b", "name": "Cổng TTĐT huyện Đất Đỏ", "unit": "huyện Đất Đỏ",
                               "province": "Bà Rịa - Vũng Tàu"})
    yield database
    database.conn.close()


@pytest.fixture
def ids(db) -> dict[str, int]:
    return {
        "hoa_phu": _store(db, HOA_PHU, "http://127.0.0.2/hoa-phu.html"),
        "dat_do": _store(db, DAT_DO, "http://127.0.0.3/dat-do.html", "site-b", "huyện Đất Đỏ",
                         "Bà Rịa - Vũng Tàu"),
        "no_marks": _store(db, NO_MARKS, "http://127.0.0.2/no-marks.html"),
        "in_title": _store(db, IN_TITLE, "http://127.0.0.2/in-title.html"),
        "in_body": _store(db, IN_BODY, "http://127.0.0.2/in-body.html"),
    }


def _ids(rows: list[dict]) -> list[int]:
    return [row["id"] for row in rows]


def test_diacritics_are_optional_both_ways(db, ids):
    both = {ids["hoa_phu"], ids["no_marks"]}
    nfd = unicodedata.normalize("NFD", "hội nghị")  # what a Mac keyboard may send
    for query in ("hội nghị", "hoi nghi", "HỘI NGHỊ", "Hoi Nghi", nfd):
        assert set(_ids(search(db, query))) == both, query


def test_d_with_stroke_is_typed_as_d(db, ids):
    for query in ("dong chi", "Đồng chí", "ĐỒNG CHÍ"):
        assert {ids["hoa_phu"], ids["dat_do"], ids["no_marks"]} <= set(_ids(search(db, query))), query
    assert ids["dat_do"] in _ids(search(db, "DONG"))  # "Đông", "đồng", both fold to "dong"
    assert _ids(search(db, "le thi dao")) == [ids["dat_do"]]


def test_every_word_must_match(db, ids):
    assert _ids(search(db, "Đặng Văn Lực Vũng Tàu")) == []
    assert set(_ids(search(db, "dang van luc"))) == {ids["hoa_phu"], ids["no_marks"]}


def test_quoted_phrase_keeps_word_order(db, ids):
    assert set(_ids(search(db, '"Đặng Văn Lực"'))) == {ids["hoa_phu"], ids["no_marks"]}
    assert _ids(search(db, '"Lực Văn Đặng"')) == []
    assert set(_ids(search(db, "Lực Văn Đặng"))) == {ids["hoa_phu"], ids["no_marks"]}
    assert match_expression('"hội nghị" Hòa Phú') == '"hoi nghi" AND "hoa" AND "phu"'


def test_operators_and_punctuation_never_reach_fts5(db, ids):
    assert match_expression("Bà Rịa - Vũng Tàu") == '"ba" AND "ria" AND "vung" AND "tau"'
    assert match_expression("NEAR(a b)") == '"near" AND "a" AND "b"'
    assert match_expression('a" OR "b') == '"a" AND "or" AND "b"'
    assert match_expression("x OR y AND NOT z*") == '"x" AND "or" AND "y" AND "and" AND "not" AND "z"'
    assert match_expression("hội nghị hội nghị HỘI") == '"hoi" AND "nghi"'
    for nothing in ("", "   ", "*", "-", '"', "((", '""', "\x00", "_", None):
        assert match_expression(nothing) is None, repr(nothing)


@pytest.mark.parametrize("query", HOSTILE, ids=lambda q: repr(q)[:30])
def test_hostile_strings_never_raise(db, ids, query):
    rows = search(db, query)
    assert isinstance(rows, list) and all(set(row) == KEYS for row in rows)
    assert len(rows) <= 20


def test_hostile_strings_give_sane_results(db, ids):
    assert _ids(search(db, "Bà Rịa - Vũng Tàu")) == [ids["dat_do"]]
    assert set(_ids(search(db, "hội nghị " * 1112))) == {ids["hoa_phu"], ids["no_marks"]}
    assert set(_ids(search(db, "hội\x00nghị"))) == {ids["hoa_phu"], ids["no_marks"]}
    for nothing in ('"', "AND", "((", "", "   ", "*", "-", "x" * 10_000, "\x00"):
        assert search(db, nothing) == [], repr(nothing)


def test_title_match_outranks_body_only_match(db, ids):
    """Even a body that says it twice: the headline is what the article is about."""
    rows = search(db, "chuyển đổi số")
    assert _ids(rows) == [ids["in_title"], ids["in_body"]]
    assert [row["rank"] for row in rows] == [1, 3]  # together in the title; together in the text


RANKED = {  # (title, first line of text, publication day): every one holds "tiếp nhận hồ sơ" somewhere
    "together_in_title": ("Xã Hòa Phú rút ngắn thời gian tiếp nhận hồ sơ", "Bộ phận một cửa xã bố trí thêm máy tính.",
                          "2024-02-01"),
    "apart_in_title": ("Hồ sơ đất đai: tiếp tục đổi mới khâu nhận và trả kết quả", "Xã công khai quy trình.",
                       "2024-03-01"),
    "together_in_text_old": ("Thông báo của UBND xã Hòa Phú", "Từ tháng 4, xã tiếp nhận hồ sơ cả ngày thứ Bảy.",
                             "2024-01-05"),
    "together_in_text_new": ("Thông báo mới của UBND xã Hòa Phú", "Từ tháng 6, xã tiếp nhận hồ sơ trực tuyến.",
                             "2024-05-20"),
    "apart_in_text": ("Kết quả cải cách hành chính quý I", "Xã đã nhận 120 bộ hồ sơ; sẽ tiếp tục cải tiến.",
                      "2024-04-10"),
}


@pytest.mark.parametrize("read_texts", [search_module.READ_TEXTS, 0], ids=["texts-read", "phrase-lookup"])
def test_ranks_words_together_then_in_the_title_newest_first_within_a_rank(db, monkeypatch, read_texts):
    """Words together in a text are found by reading the texts of a few matches, or by one phrase
    lookup for many: the same ranks either way."""
    monkeypatch.setattr(search_module, "READ_TEXTS", read_texts)
    ids = {}
    for name, (title, text, day) in reversed(RANKED.items()):  # stored in the reverse of the expected order
        year, month, dd = day.split("-")
        body = f"{title}\nThứ Hai, {dd}/{month}/{year} 08:00 (GMT +7)\n{text}\n"
        ids[name] = _store(db, body, f"http://127.0.0.2/{name}.html")
    rows = search(db, "tiếp nhận hồ sơ")
    assert [(row["id"], row["rank"]) for row in rows] == [
        (ids["together_in_title"], 1), (ids["apart_in_title"], 2),
        (ids["together_in_text_new"], 3), (ids["together_in_text_old"], 3), (ids["apart_in_text"], 4)]
    assert _ids(search(db, "tiep nhan ho so", limit=2, offset=2)) == [ids["together_in_text_new"],
                                                                      ids["together_in_text_old"]]


def test_snippet_shows_original_words_with_diacritics(db, ids):
    by_id = {row["id"]: row for row in search(db, "dang van luc")}
    assert "đồng chí «Đặng» «Văn» «Lực» - Chủ tịch" in by_id[ids["hoa_phu"]]["snippet"]
    assert "«Dang» «Van» «Luc» phat bieu" in by_id[ids["no_marks"]]["snippet"]
    phrase = search(db, '"dang van luc"', unit="hòa phú")
    assert "«Đặng Văn Lực»" in {row["id"]: row for row in phrase}[ids["hoa_phu"]]["snippet"]


def test_snippet_is_a_short_window_around_the_first_match(db, ids):
    [row] = search(db, "trọng tâm")
    assert row["snippet"].startswith("…") and "«trọng» «tâm» quý II." in row["snippet"]
    assert len(row["snippet"]) < 300 and "\n" not in row["snippet"]
    [row] = search(db, "đẩy mạnh")  # only in the title: the text's opening, nothing marked
    assert row["snippet"].startswith("UBND xã ban hành") and "«" not in row["snippet"]


def test_unit_filter_uses_site_unit_and_article_units(db, ids):
    assert set(_ids(search(db, "cải cách", unit="Hòa Phú"))) == {ids["hoa_phu"]}
    assert set(_ids(search(db, "cai cach", unit="HOA PHU"))) == {ids["hoa_phu"]}
    # "Vũng Tàu" is no site's unit; the article names the province
    assert db.execute("SELECT count(*) FROM sites WHERE unit LIKE '%Vũng Tàu%'").fetchone()[0] == 0
    assert _ids(search(db, "cải cách", unit="vung tau")) == [ids["dat_do"]]
    assert search(db, "cải cách", unit="%") == []
    assert len(search(db, "cải cách", unit="  ")) == 2


def test_since_and_until_are_inclusive_days(db, ids):
    assert _ids(search(db, "cải cách hành chính", since="2024-01-01")) == [ids["hoa_phu"]]
    assert _ids(search(db, "cải cách hành chính", until="2023-12-31")) == [ids["dat_do"]]
    assert _ids(search(db, "cải cách", since="2024-04-05", until="2024-04-05")) == [ids["hoa_phu"]]
    assert _ids(search(db, "cải cách", since="2024-04-06", until="2024-04-04")) == []


@pytest.mark.parametrize("bad", ["2024-13-01", "05/04/2024", "2024-4-5", "yesterday", "2024-02-30"])
def test_malformed_date_is_a_clear_error(db, ids, bad):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        search(db, "cải cách", since=bad)
    with pytest.raises(ValueError, match="until"):
        search(db, "cải cách", until=bad)


def test_limit_and_offset_page_through_results(db, ids):
    everything = _ids(search(db, "xã"))
    assert len(everything) >= 4
    assert _ids(search(db, "xã", limit=2)) + _ids(search(db, "xã", limit=2, offset=2)) == everything[:4]
    assert search(db, "xã", limit=0) == [] and search(db, "xã", limit=-1) == []


def test_reindexing_an_article_replaces_its_row(db, ids):
    changed = HOA_PHU.replace("Đặng Văn Lực", "Hồ Quang Thái")
    assert _store(db, changed, "http://127.0.0.2/hoa-phu.html") == ids["hoa_phu"]
    assert _ids(search(db, "Đặng Văn Lực")) == [ids["no_marks"]]
    assert _ids(search(db, "ho quang thai")) == [ids["hoa_phu"]]
    assert db.execute("SELECT count(*) FROM articles_fts WHERE rowid = ?", [ids["hoa_phu"]]).fetchone()[0] == 1


def test_removed_article_is_no_longer_found(db, ids):
    with db.conn:
        remove_article(db, ids["dat_do"])
    assert search(db, "Vũng Tàu") == []


def test_rebuild_is_idempotent_and_drops_stale_rows(db, ids):
    before = search(db, "xã hội nghị")
    written = db.execute("SELECT rowid, title, text, units FROM articles_fts ORDER BY rowid").fetchall()
    with db.conn:
        db.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (999, 'hoi nghi', 'hoi nghi xa')")
        remove_article(db, ids["no_marks"])
    assert rebuild(db) == len(ids)
    assert rebuild(db) == len(ids)
    assert search(db, "xã hội nghị") == before
    # the writer indexes from the facts it holds what a rebuild reads back from the tables
    assert db.execute("SELECT rowid, title, text, units FROM articles_fts ORDER BY rowid").fetchall() == written
    assert db.execute("SELECT count(*) FROM articles_fts WHERE rowid = 999").fetchone()[0] == 0


def _saved(db, body: str, url: str) -> int:
    """Saved by the writer alone, which indexes a new article without removing a row first."""
    art = extract.article_from_text(body, url)
    with db.conn:
        return save_article(db, save_page(db, _page(url, body, "site-a")), "site-a", art,
                            extract.extract_all(art, "xã Hòa Phú"))


def test_a_deleted_article_leaves_the_index_and_its_id_can_be_taken_again(db, ids):
    with db.conn:  # the newest article, with its page: its id is free again (no AUTOINCREMENT)
        db.execute("DELETE FROM pages WHERE id = (SELECT page_id FROM articles WHERE id = ?)", [ids["in_body"]])
    assert db.execute("SELECT count(*) FROM articles_fts WHERE rowid = ?", [ids["in_body"]]).fetchone() == (0,)
    assert _saved(db, NO_MARKS.replace("thi dua", "an ninh"), "http://127.0.0.2/reused.html") == ids["in_body"]
    assert _ids(search(db, "an ninh")) == [ids["in_body"]]
    assert search(db, "tiếp công dân") == []


def test_version_13_file_loses_the_rows_of_deleted_articles(tmp_path):
    path = tmp_path / "v13.db"
    db = connect(path)
    with db.conn:
        upsert_site(db, {"id": "site-a", "name": "Cổng TTĐT xã Hòa Phú", "unit": "xã Hòa Phú"})
    kept = _saved(db, HOA_PHU, "http://127.0.0.2/hoa-phu.html")
    gone = _saved(db, IN_BODY, "http://127.0.0.2/in-body.html")
    db.conn.executescript("DROP TRIGGER article_unindexed; PRAGMA user_version = 13;")
    with db.conn:
        db.execute("DELETE FROM articles WHERE id = ?", [gone])
    assert db.execute("SELECT count(*) FROM articles_fts").fetchone() == (2,)
    db.conn.close()
    upgraded = connect(path)
    assert upgraded.execute("SELECT rowid FROM articles_fts").fetchall() == [(kept,)]
    assert _saved(upgraded, IN_BODY, "http://127.0.0.2/in-body-2.html") == gone
    assert _ids(search(upgraded, "tiếp công dân")) == [gone]
    upgraded.conn.close()


WORDS = ("ủy ban nhân dân xã phường huyện tỉnh hội nghị sơ kết tổng kết cải cách hành chính đồng chí chủ tịch "
         "phó bí thư đảng ủy kế hoạch triển khai thực hiện nhiệm vụ năm quý tháng kết quả đánh giá công tác "
         "thi đua khen thưởng chuyển đổi số người dân doanh nghiệp đầu tư xây dựng nông thôn mới giao thông").split()


def _synthetic(db, count: int) -> None:
    rng = random.Random(5)
    pages = [{"id": i, "url": f"http://127.0.0.9/{i}.html", "site_id": "site-a", "kind": "article"}
             for i in range(1, count + 1)]
    articles = [{"id": i, "page_id": i, "site_id": "site-a", "url": f"http://127.0.0.9/{i}.html",
                 "title": " ".join(rng.choices(WORDS, k=12)).capitalize(),
                 "published": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T08:00:00+07:00",
                 "text": ". ".join(" ".join(rng.choices(WORDS, k=20)) for _ in range(25))}
                for i in range(1, count + 1)]
    with db.conn:
        db["pages"].insert_all(pages)
        db["articles"].insert_all(articles)


def test_search_time_on_2000_articles(db, capsys):
    _synthetic(db, 2000)
    started = time.perf_counter()
    assert rebuild(db) == 2000
    indexed = time.perf_counter() - started
    timings = {}
    for query in ("hội nghị cải cách", '"chuyển đổi số"', "hội nghị " * 1112):
        started = time.perf_counter()
        rows = search(db, query, unit="hòa phú", since="2024-03-01")
        timings[query[:20]] = time.perf_counter() - started
        assert 0 < len(rows) <= 20 and all("«" in row["snippet"] for row in rows)
    with capsys.disabled():
        print(f"\n[search] rebuild of 2000 articles: {indexed * 1000:.0f} ms; one search (20 rows, snippets): "
              + ", ".join(f"{query!r} {spent * 1000:.1f} ms" for query, spent in timings.items()))


def test_search_ranks_the_best_of_the_newest_matches(db, ids, monkeypatch):
    """Only the NEWEST_MATCHES most recently stored matches are ranked; fewer matches are ranked whole."""
    everything = {ids["hoa_phu"], ids["no_marks"], ids["in_title"], ids["in_body"]}
    assert set(_ids(search(db, "xã hòa phú"))) == everything
    monkeypatch.setattr(search_module, "NEWEST_MATCHES", 2)
    assert set(_ids(search(db, "xã hòa phú"))) == {ids["in_title"], ids["in_body"]}
    assert search(db, "xã hòa phú", offset=2) == []


def test_unit_filter_matches_words_in_order_the_last_a_prefix(db, ids):
    assert set(_ids(search(db, "cải cách", unit="hoa ph"))) == {ids["hoa_phu"]}
    assert _ids(search(db, "cải cách", unit="phu hoa")) == []
    assert _ids(search(db, "cải cách", unit="ria - vung")) == [ids["dat_do"]]


def test_ranking_reads_titles_from_the_rank_index_and_an_older_file_still_searches(db, ids, tmp_path):
    from db.search import _titles

    plan = db.execute("EXPLAIN QUERY PLAN SELECT id, published, title FROM articles INDEXED BY idx_articles_rank "
                      "WHERE id IN (?, ?)", [1, 2]).fetchall()
    assert "COVERING INDEX idx_articles_rank" in plan[0][3]
    expected = search(db, "chuyển đổi số")
    assert _titles(db, [ids["in_title"]]) == [(ids["in_title"], *db.execute(
        "SELECT published, title FROM articles WHERE id = ?", [ids["in_title"]]).fetchone())]
    with db.conn:  # a file from before schema 11, opened read-only (which never upgrades it)
        db.execute("DROP INDEX idx_articles_rank")
        db.execute("PRAGMA user_version = 10")
    path = db.execute("PRAGMA database_list").fetchone()[2]
    old = connect(path, readonly=True)
    assert search(old, "chuyển đổi số") == expected
    old.conn.close()


def test_unit_tokens_join_every_run_of_a_units_words():
    from db.search import unit_tokens

    assert unit_tokens("xã Hòa Phú\nPhường 3") == "xa hoa phu\nphuong 3\nxa0hoa xa0hoa0phu hoa0phu phuong03"
    assert unit_tokens("") == "" and unit_tokens(None) == "" and unit_tokens("Hòa") == "hoa"


def test_unit_filter_finds_any_run_of_the_units_words(db, ids):
    for unit in ("xã Hòa Phú", "xa hoa", "Hòa Phú", "hoa ph", "HOA"):
        assert ids["hoa_phu"] in _ids(search(db, "cải cách", unit=unit)), unit
    for unit in ("phu hoa", "hoa phu dat"):
        assert search(db, "cải cách", unit=unit) == [], unit


UNNAMED = """Hội Nông dân tổ chức tập huấn kỹ thuật trồng lúa hữu cơ
Thứ Tư, 15/05/2024 08:10 (GMT +7)
Sáng ngày 15/5/2024, Hội Nông dân tổ chức lớp tập huấn kỹ thuật trồng lúa hữu cơ cho 60 hội viên các thôn.
"""


def test_the_words_may_match_the_articles_unit_names(db, ids):
    # The article never names its commune, but it is the Hòa Phú portal's: asked for Hòa Phú and
    # rice, it is found, ranked as an article without the words together, its snippet its own words.
    unnamed = _store(db, UNNAMED, "http://127.0.0.2/unnamed.html")
    assert "hoa phu" not in extract.text.fold(UNNAMED).lower()
    rows = search(db, "Hòa Phú lúa hữu cơ")
    assert _ids(rows) == [unnamed]
    assert rows[0]["rank"] == 4 and "«lúa» «hữu» «cơ»" in rows[0]["snippet"]
    assert search(db, "Đất Đỏ lúa hữu cơ") == []  # another site's unit is not this article's
