"""`bantin serve`: Datasette over a real database, read-only, every table and column described,
stored queries that agree with db.queries, and the pages as a real browser renders them."""
from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import extract
from bantin.serve import QUERIES, datasette, metadata
from db import connect
from db.queries import who_chaired
from db.schema import DatabaseError
from db.store import RawPage, save_article, save_page, upsert_site
from extract.text import fold

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "fixtures" / "articles"

# Invented people, real units; the second meeting has two chairs, so the '; ' join is exercised.
HOA_PHU = {
    "http://127.0.0.2/ke-hoach.html": """UBND XÃ HÒA PHÚ BAN HÀNH KẾ HOẠCH PHÒNG CHỐNG THIÊN TAI
Thứ tư - 10/03/2021 09:00
Ông Đặng Văn Lực - Phó Chủ tịch UBND xã đã ký Kế hoạch số 12/KH-UBND về phòng chống thiên tai năm 2021.
""",
    "http://127.0.0.2/hop-bcd.html": """UBND XÃ HÒA PHÚ HỌP BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH
Thứ sáu - 05/04/2024 17:30
Chiều ngày 5/4/2024, UBND xã Hòa Phú tổ chức họp Ban Chỉ đạo cải cách hành chính xã, do đồng chí Đặng Văn Lực - Chủ tịch UBND xã chủ trì.
Tham dự có ông Trương Minh Quân - Phó Chủ tịch UBND xã.
""",
    "http://127.0.0.2/so-ket.html": """HÒA PHÚ SƠ KẾT CÔNG TÁC 6 THÁNG ĐẦU NĂM
Thứ năm - 20/06/2024 15:00
Sáng ngày 20/6/2024, UBND xã Hòa Phú tổ chức hội nghị sơ kết công tác 6 tháng đầu năm 2024, đồng chí Đặng Văn Lực - Chủ tịch UBND xã và đồng chí Trương Minh Quân - Phó Chủ tịch UBND xã đồng chủ trì hội nghị.
""",
}
SITES = [
    {"id": "hoa-phu", "name": "Cổng TTĐT xã Hòa Phú", "unit": "xã Hòa Phú", "province": "thành phố Đà Nẵng"},
    {"id": "thien-loc", "name": "Cổng TTĐT xã Thiên Lộc", "unit": "xã Thiên Lộc", "province": "tỉnh Hà Tĩnh"},
    {"id": "cam-lo", "name": "Cổng TTĐT huyện Cam Lộ", "unit": "huyện Cam Lộ", "province": "tỉnh Quảng Trị"},
]
GOLD = {"thien-loc": "01_xa_thien_loc_hop_bcd_cchc.txt", "cam-lo": "04_cam_lo_chi_so_cchc_2023.txt"}


def _store(db, site: dict, url: str, text: str) -> None:
    """The crawler's path: extract, then page + article + facts (and its folded index) in one transaction."""
    article = extract.article_from_text(text, url)
    facts = extract.extract_all(article, site["unit"], site["province"])
    page = RawPage(url, url, site["id"], "article", 200, {"Content-Type": "text/plain"}, text.encode(),
                   "2024-07-01T00:00:00+00:00")
    with db.conn:
        save_article(db, save_page(db, page), site["id"], article, facts)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "bantin.db"
    db = connect(path)
    with db.conn:
        for site in SITES:
            upsert_site(db, site)
    for url, text in HOA_PHU.items():
        _store(db, SITES[0], url, text)
    for site in SITES[1:]:
        _store(db, site, f"http://127.0.0.3/{site['id']}.html",
               (ARTICLES / GOLD[site["id"]]).read_text(encoding="utf-8"))
    db.conn.close()
    return path


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(database):
    """`bantin.serve.run` in its own process on a free loopback port: (base URL, file hash before serving)."""
    before = _sha256(database)
    port = _free_port()
    log = database.with_name("serve.log")
    code = "import sys; from bantin.serve import run; run(sys.argv[1], '127.0.0.1', int(sys.argv[2]))"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", code, str(database), str(port)], cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc, log)
        yield base, before
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_until_up(base: str, proc: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"bantin.serve.run exited with {proc.returncode}:\n{log.read_text()}")
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"Datasette did not answer within {seconds}s:\n{log.read_text()}")


def _get(base: str, path: str, **params) -> dict:
    query = urllib.parse.urlencode({**params, "_shape": "objects"})
    with urllib.request.urlopen(f"{base}{path}?{query}", timeout=30) as response:
        return json.loads(response.read())


def _schema_columns(path: Path) -> dict[str, list[str]]:
    """Every table and its columns, as SQLite has them (FTS5's shadow tables are internal)."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'articles_fts_%'")]
        return {t: [r[1] for r in con.execute(f"PRAGMA table_info([{t}])")] for t in tables}
    finally:
        con.close()


# --- metadata ------------------------------------------------------------------------------

def test_metadata_describes_every_table_and_column(database):
    described = metadata()["databases"]["bantin"]["tables"]
    schema = _schema_columns(database)
    assert {"units", "people", "person_mentions", "posts", "periods", "articles_fts"} <= set(schema)
    assert set(described) == set(schema), "tables added to or gone from db/schema.py: describe them in bantin/serve.py"
    for table, columns in schema.items():
        assert described[table]["description"].strip(), table
        documented = described[table]["columns"]
        assert set(documented) == set(columns), f"{table}: document {set(columns) - set(documented)}, " \
                                                f"drop {set(documented) - set(columns)}"
        assert all(text.strip() for text in documented.values()), table
    assert not set(QUERIES) & set(schema), "a stored query named like a table hides the table's page"


def test_served_metadata_is_the_module_metadata(server):
    base, _ = server
    with urllib.request.urlopen(f"{base}/-/metadata.json", timeout=30) as response:
        served = json.loads(response.read())
    assert served["databases"]["bantin"]["tables"] == metadata()["databases"]["bantin"]["tables"]


@pytest.mark.parametrize("table, facets", [("articles", {"site_id"}), ("events", {"kind"}),
                                           ("rankings", {"index_name", "year"}), ("officials", {"unit"})])
def test_facets(server, table, facets):
    base, _ = server
    result = _get(base, f"/bantin/{table}.json")
    assert facets <= set(result["facet_results"])
    assert all(result["facet_results"][f]["results"] for f in facets)


@pytest.mark.parametrize("typed", ["Đặng Văn Lực", "dang van luc", "ĐẶNG", "Hòa Phú"])
def test_article_search_matches_without_diacritics_and_with_đ(server, typed):
    base, _ = server
    rows = _get(base, "/bantin/articles.json", _search=typed, _col="title")["rows"]
    assert {r["title"] for r in rows} == {"UBND XÃ HÒA PHÚ HỌP BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH",
                                          "HÒA PHÚ SƠ KẾT CÔNG TÁC 6 THÁNG ĐẦU NĂM",
                                          "UBND XÃ HÒA PHÚ BAN HÀNH KẾ HOẠCH PHÒNG CHỐNG THIÊN TAI"}


# --- stored queries -----------------------------------------------------------------------

ANSWERS = {"who_chaired": {"name": "dang van luc"}, "person_posts": {"name": "Dang Van Luc"},
           "rankings_by_unit": {"unit": "cam lo", "year": "2023"}}


def test_every_stored_query_has_a_test_and_answers(server):
    base, _ = server
    assert set(ANSWERS) == set(QUERIES)
    for name, params in ANSWERS.items():
        result = _get(base, f"/bantin/{name}.json", **params)
        assert result["ok"] and result["rows"], name
        assert _get(base, f"/bantin/{name}.json")["ok"], f"{name} with every box empty"


def test_person_posts_over_time(server):
    base, _ = server
    rows = _get(base, "/bantin/person_posts.json", name="đặng văn")["rows"]
    assert [(r["title"], r["first_seen"], r["last_seen"]) for r in rows] == [
        ("Phó Chủ tịch UBND xã", "2021-03-10", "2021-03-10"), ("Chủ tịch UBND xã", "2024-04-05", "2024-06-20")]


def test_rankings_by_unit_and_year(server):
    base, _ = server
    rows = _get(base, "/bantin/rankings_by_unit.json", unit="Cam Lo", year="2023")["rows"]
    assert ("CCHC", "huyện Cam Lộ", 3, 10, 88.25) in {(r["index_name"], r["unit"], r["rank"], r["of_total"],
                                                       r["score"]) for r in rows}
    assert all(r["year"] == 2023 and "cam lo" in fold(r["unit"]) for r in rows)
    assert _get(base, "/bantin/rankings_by_unit.json", unit="cam lo", year="2022")["rows"] == []


@pytest.mark.parametrize("params", [
    {"name": "dang van luc"}, {"name": "TRUONG minh"}, {"name": "Trần Đình Khôi"}, {"name": "nobody"},
    {"unit": "hoa phu"}, {"unit": "Thiên Lộc"}, {"since": "2024-04-06"},
    {"since": "2024-04-01", "until": "2024-04-30"}, {"until": "2024-04-05"}, {"name": "dang", "since": "2024-06-01"},
    {},
], ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "all")
def test_who_chaired_stored_query_is_db_queries_who_chaired(server, database, params):
    base, _ = server
    db = connect(database, readonly=True)
    try:
        expected = who_chaired(db, params.get("name"), params.get("unit"), params.get("since"))
    finally:
        db.conn.close()
    if "until" in params:  # who_chaired has no upper bound: the date range's end, applied the same way
        expected = [r for r in expected if r["date"] is not None and r["date"] <= params["until"]]
    got = _get(base, "/bantin/who_chaired.json", **params)["rows"]
    assert got == expected
    assert bool(got) == (params.get("name") != "nobody")


def test_two_chairs_are_joined_newest_meeting_first(server):
    base, _ = server
    rows = _get(base, "/bantin/who_chaired.json", name="luc")["rows"]
    assert [(r["date"], r["chairs"]) for r in rows] == [("2024-06-20", "Đặng Văn Lực; Trương Minh Quân"),
                                                        ("2024-04-05", "Đặng Văn Lực")]


# --- read-only -----------------------------------------------------------------------------

def test_connections_refuse_writes(database):
    ds = datasette(str(database))
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(ds.get_database("bantin").execute_write("DELETE FROM sites"))
    assert connect(database, readonly=True).execute("SELECT count(*) FROM sites").fetchone()[0] == len(SITES)


def test_serving_leaves_the_file_unchanged(server, database):
    base, before = server
    for name in QUERIES:
        _get(base, f"/bantin/{name}.json")
    _get(base, "/bantin/articles.json", _search="dang")
    assert _sha256(database) == before


def test_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(DatabaseError, match="no database"):
        datasette(str(tmp_path / "missing.db"))


# --- in a real browser ---------------------------------------------------------------------

def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("the browser tests need Debian's chromium: apt-get install -y chromium "
                    "(.ci/run installs it when missing)")
    return found


def _rendered(url: str, profile: Path) -> BeautifulSoup:
    """The page's DOM after headless Chromium has loaded and run it."""
    result = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                             "--disable-background-networking", "--disable-component-update", "--no-first-run",
                             f"--user-data-dir={profile}", "--dump-dom", url],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return BeautifulSoup(result.stdout, "html.parser")


def _table_rows(page: BeautifulSoup, columns: list[str]) -> list[tuple[str, ...]]:
    rows = page.select("table.rows-and-columns tbody tr")
    return [tuple(row.select_one(f"td.col-{c}").get_text(strip=True) for c in columns) for row in rows]


def test_browser_shows_who_chaired_by_person(server, tmp_path):
    base, _ = server
    page = _rendered(f"{base}/bantin/who_chaired?name=dang+van+luc", tmp_path / "profile")
    assert _table_rows(page, ["date", "chairs", "organizer"]) == [
        ("2024-06-20", "Đặng Văn Lực; Trương Minh Quân", "UBND xã Hòa Phú"),
        ("2024-04-05", "Đặng Văn Lực", "UBND xã Hòa Phú"),
    ]
    assert page.select_one("input[name=name]")["value"] == "dang van luc"


def test_browser_shows_who_chaired_in_a_date_range(server, tmp_path):
    base, _ = server
    page = _rendered(f"{base}/bantin/who_chaired?since=2024-04-01&until=2024-04-30", tmp_path / "profile")
    assert _table_rows(page, ["date", "chairs"]) == [("2024-04-08", "Trần Đình Khôi"),
                                                     ("2024-04-05", "Đặng Văn Lực")]
