"""Nightly crawls fetch only what is new: stored articles are not fetched again, list pages are
asked "changed since?", paging stops on a page of known articles, an edit becomes a revision,
and an article published again by another portal is stored as a copy whose facts count once."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bantin.portal_server import DEMO_PORTALS, PortalServer
from conftest import db_rows, run_bantin, write_registry

NEWS = Path("nukeviet-demo/vi/news/hoat-dong-chinh-quyen")
INSPECTION = NEWS / "doan-kiem-tra-cai-cach-hanh-chinh-cua-tinh-lam-viec-tai-huyen-bu-dang-1253.html"
RANKING = NEWS / "chi-so-cai-cach-hanh-chinh-nam-2023-cua-huyen-bu-dang-xep-thu-4-11-1240.html"
SYNDICATED = "chi-so-cai-cach-hanh-chinh-nam-2023-cua-huyen-bu-dang-xep-thu-4-11-24662.html"


@pytest.fixture
def web(tmp_path):
    """A copy of the demo web that a test may edit between crawls, served on loopback."""
    root = tmp_path / "portals"
    shutil.copytree(DEMO_PORTALS, root, ignore=shutil.ignore_patterns("*.py", "src", "__pycache__"))
    with PortalServer(root) as server:
        yield root, write_registry(tmp_path / "sites.toml", server), tmp_path / "crawl.db"


def crawl(registry: Path, db: Path, *sites: str, refresh: bool = False) -> None:
    done = run_bantin("crawl", "--registry", str(registry), "--db", str(db), "--delay", "0",
                      *[arg for site in sites for arg in ("--site", site)], *(["--refresh"] if refresh else []))
    assert done.returncode == 0, done.stderr[-3000:]


def last_run(db: Path) -> dict:
    return {r["site_id"]: r for r in db_rows(db, "SELECT * FROM crawl_run_sites WHERE run_id = "
                                              "(SELECT max(id) FROM crawl_runs)")}


def test_second_run_fetches_no_article_and_asks_lists_conditionally(web):
    _, registry, db = web
    sites = ("nukeviet-demo", "sharepoint-demo", "wp-demo")  # list pages, postback paging, feeds + sitemap + API
    crawl(registry, db, *sites)
    first = last_run(db)
    assert all(first[s]["new_articles"] == 10 or first[s]["new_articles"] == 12 for s in sites)
    pages_before = db_rows(db, "SELECT count(*) AS n FROM pages WHERE kind = 'article'")[0]["n"]
    crawl(registry, db, *sites)
    second = last_run(db)
    assert {s: (r["article_pages"], r["new_articles"]) for s, r in second.items()} == {s: (0, 0) for s in sites}
    assert all(second[s]["not_modified"] >= 1 for s in sites), "list pages were not asked 'changed since?'"
    assert second["wp-demo"]["known_skipped"] > 0  # feed, sitemap and API entries known, not fetched
    assert db_rows(db, "SELECT count(*) AS n FROM pages WHERE kind = 'article'")[0]["n"] == pages_before
    assert [r["status"] for r in db_rows(db, "SELECT status FROM crawl_runs ORDER BY id")] == ["ok", "ok"]


def test_a_new_article_is_the_only_article_fetched(web):
    root, registry, db = web
    crawl(registry, db, "nukeviet-demo")
    new_page = root / NEWS / "hop-ban-chi-dao-chuyen-doi-so-huyen-quy-iv-2024-1261.html"
    new_page.write_text((root / INSPECTION).read_text(encoding="utf-8").replace(
        "Đoàn kiểm tra cải cách hành chính của tỉnh làm việc tại huyện Bù Đăng",
        "Họp Ban Chỉ đạo chuyển đổi số huyện quý IV/2024"), encoding="utf-8")
    listing = root / NEWS / "index.html"
    html = listing.read_text(encoding="utf-8")
    first_item = html.index("<h3><a href=")
    same_elsewhere = f"/vi/news/tin-noi-bat/{INSPECTION.name}"  # a stored article under another category
    (root / "nukeviet-demo" / same_elsewhere.lstrip("/")).parent.mkdir(parents=True)
    shutil.copy(root / INSPECTION, root / "nukeviet-demo" / same_elsewhere.lstrip("/"))
    listing.write_text(html[:first_item] + f'<h3><a href="/vi/news/hoat-dong-chinh-quyen/{new_page.name}">'
                       "Họp Ban Chỉ đạo chuyển đổi số</a></h3>\n"
                       f'<h3><a href="{same_elsewhere}">Đoàn kiểm tra</a></h3>\n' + html[first_item:], encoding="utf-8")
    crawl(registry, db, "nukeviet-demo")
    run = last_run(db)["nukeviet-demo"]
    assert (run["article_pages"], run["new_articles"]) == (1, 1)
    assert run["list_pages"] == 2  # page 1 changed, page 2 unchanged (304): paging stops there
    assert run["not_modified"] == 1
    assert not db_rows(db, "SELECT url FROM pages WHERE url LIKE '%tin-noi-bat%'")  # its URL key is stored
    assert db_rows(db, "SELECT count(*) AS n FROM articles WHERE url LIKE ?", [f"%{new_page.name}"])[0]["n"] == 1


def test_an_edited_article_keeps_its_first_text_as_a_revision(web):
    root, registry, db = web
    crawl(registry, db, "nukeviet-demo")
    before = db_rows(db, "SELECT id, text, content_hash, revision FROM articles WHERE url LIKE ?",
                  [f"%{INSPECTION.name}"])[0]
    page = root / INSPECTION
    page.write_text(page.read_text(encoding="utf-8").replace("giải quyết đúng hạn 99,4%", "giải quyết đúng hạn 99,6%"),
                    encoding="utf-8")
    crawl(registry, db, "nukeviet-demo", refresh=True)
    after = db_rows(db, "SELECT id, text, content_hash, revision FROM articles WHERE url LIKE ?",
                 [f"%{INSPECTION.name}"])[0]
    assert after["id"] == before["id"] and after["revision"] == 2 and "99,6%" in after["text"]
    kept = db_rows(db, "SELECT * FROM article_revisions WHERE article_id = ?", [before["id"]])
    assert [(r["revision"], r["content_hash"]) for r in kept] == [(1, before["content_hash"])]
    assert "99,4%" in kept[0]["text"] and kept[0]["seen_until"]
    unchanged = db_rows(db, "SELECT count(*) AS n FROM articles WHERE revision = 1 AND site_id = 'nukeviet-demo'")[0]["n"]
    assert unchanged == 11
    run = last_run(db)["nukeviet-demo"]
    assert (run["article_pages"], run["new_articles"], run["changed_articles"]) == (12, 0, 1)
    assert db_rows(db, "SELECT count(*) AS n FROM events WHERE article_id = ?", [before["id"]])[0]["n"] >= 1


def test_a_syndicated_copy_points_at_the_first_and_brings_no_facts(web):
    _, registry, db = web
    crawl(registry, db, "nukeviet-demo")
    crawl(registry, db, "tinh-demo")
    original = db_rows(db, "SELECT id FROM articles WHERE url LIKE ?", [f"%{RANKING.name}"])[0]["id"]
    copy = db_rows(db, "SELECT * FROM articles WHERE url LIKE ?", [f"%{SYNDICATED}"])[0]
    assert copy["duplicate_of"] == original and copy["duplicate_rule"] == "same-text"
    assert db_rows(db, "SELECT count(*) AS n FROM rankings WHERE article_id = ?", [copy["id"]])[0]["n"] == 0
    assert db_rows(db, "SELECT count(*) AS n FROM rankings WHERE article_id = ?", [original])[0]["n"] > 0
    assert last_run(db)["tinh-demo"]["duplicates"] == 1
    done = run_bantin("reextract", "--db", str(db))
    assert done.returncode == 0, done.stderr[-3000:]
    assert db_rows(db, "SELECT count(*) AS n FROM rankings WHERE article_id = ?", [copy["id"]])[0]["n"] == 0
    assert db_rows(db, "SELECT count(*) AS n FROM rankings WHERE article_id = ?", [original])[0]["n"] > 0


def test_a_new_layout_shows_in_health_after_three_runs(web):
    """The portal keeps answering but its list page no longer links any article the profile
    knows: each run records list pages without links, and `bantin health` names the site."""
    root, registry, db = web
    crawl(registry, db, "xa-demo")
    for index in (root / "xa-demo").rglob("index.html"):
        index.write_text("<html><body><div class='new-theme'>Trang đang nâng cấp giao diện mới.</div></body></html>",
                         encoding="utf-8")
    for _ in range(3):
        crawl(registry, db, "xa-demo")
        run = last_run(db)["xa-demo"]
        assert (run["list_pages"], run["links_found"], run["status"]) == (1, 0, "ok")
    health = run_bantin("health", "--db", str(db), "--json")
    assert health.returncode == 1, health.stderr
    assert "nothing for 3 runs" in health.stdout and "xa-demo" in health.stdout
