"""A real Scrapy crawl of the demo portals on loopback, checked in the database."""
from __future__ import annotations

import json
import sqlite3
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bantin.portal_server import DEMO_PORTALS
from conftest import db_rows, run_bantin, write_registry


def _expected_pages() -> dict[str, dict[str, dict]]:
    """site id -> URL path (with query) -> expected JSON of that article page, for every site of
    the demo registry."""
    registered = {
        e["id"] for e in tomllib.loads((DEMO_PORTALS / "sites.toml").read_text(encoding="utf-8"))["site"]}
    out: dict[str, dict[str, dict]] = {}
    for path in DEMO_PORTALS.rglob("*.expected.json"):
        site_id = path.relative_to(DEMO_PORTALS).parts[0]
        if site_id not in registered:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        out.setdefault(site_id, {})[data["url_path"]] = data
    return out


EXPECTED = _expected_pages()


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _counts(db_path: Path) -> dict[str, int]:
    con = sqlite3.connect(db_path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("pages", "articles", "events", "event_participants", "officials", "documents")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, portal_server):
    folder = tmp_path_factory.mktemp("crawl")
    registry_path = write_registry(folder / "sites.toml", portal_server)
    db_path = folder / "crawl.db"
    args = ("crawl", "--registry", str(registry_path), "--db", str(db_path), "--delay", "0")
    first = run_bantin(*args)
    assert first.returncode == 0, first.stderr[-3000:]
    after_first = _counts(db_path)
    second = run_bantin(*args)
    assert second.returncode == 0, second.stderr[-3000:]
    return {"db": db_path, "first": first, "second": second, "after_first": after_first,
            "bases": portal_server.base_urls}


def test_every_article_of_every_site_is_stored(crawled):
    rows = db_rows(crawled["db"], "SELECT site_id, url FROM articles")
    for site_id, pages in EXPECTED.items():
        stored = {_path(r["url"]) for r in rows if r["site_id"] == site_id}
        assert stored == set(pages), site_id


def test_titles_and_publication_times(crawled):
    for row in db_rows(crawled["db"], "SELECT site_id, url, title, published, author FROM articles"):
        want = EXPECTED[row["site_id"]][_path(row["url"])]
        assert (row["title"], row["published"], row["author"]) == (want["title"], want["published"], want["author"])


def test_each_meeting_article_has_a_chair(crawled):
    chaired = {(r["site_id"], _path(r["url"])) for r in db_rows(crawled["db"], """
        SELECT DISTINCT a.site_id, a.url FROM articles a JOIN events e ON e.article_id = a.id
        JOIN event_participants p ON p.event_id = e.id AND p.role = 'chair'""")}
    meetings = {(site, path) for site, pages in EXPECTED.items() for path, data in pages.items()
                if any(e["chairs"] for e in data.get("facts", {}).get("events", []))}
    assert meetings, "the demo portals must hold meeting articles"
    assert meetings <= chaired


def test_second_crawl_adds_nothing(crawled):
    assert _counts(crawled["db"]) == crawled["after_first"]
    urls = [r["url"] for r in db_rows(crawled["db"], "SELECT url FROM articles")]
    assert len(urls) == len(set(urls))


def test_robots_txt_and_other_hosts_are_respected(crawled):
    urls = [r["url"] for r in db_rows(crawled["db"], "SELECT url FROM pages")]
    forbidden = ("/print/", "/savefile/", "op=print/", "op=savefile/", "/admin", "/dang-nhap", "/in-bai-")
    assert not [u for u in urls if any(f in u for f in forbidden)]
    hosts = {urlsplit(b).netloc for b in crawled["bases"].values()}
    assert {urlsplit(u).netloc for u in urls} <= hosts


def test_list_pages_are_kept_and_paginated(crawled):
    lists = db_rows(crawled["db"], "SELECT site_id, count(*) AS n FROM pages WHERE kind = 'list' GROUP BY site_id")
    assert {r["site_id"]: r["n"] >= 3 for r in lists} == {site: True for site in EXPECTED}


def test_who_chaired_reads_the_crawl(crawled):
    result = run_bantin("who-chaired", "--db", str(crawled["db"]), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and all(r["chairs"] and r["url"].startswith("http://127.") for r in rows)


def _copy(db_path, to):
    source, target = sqlite3.connect(db_path), sqlite3.connect(to)
    source.backup(target)
    source.close()
    target.close()
    return to


def test_reextract_replaces_facts_without_duplicates(crawled, tmp_path):
    copy = _copy(crawled["db"], tmp_path / "copy.db")
    before = _counts(copy)
    result = run_bantin("reextract", "--db", str(copy))
    assert result.returncode == 0, result.stderr
    assert f"re-extracted {before['articles']} articles, 0 failed" in result.stdout
    assert _counts(copy) == before


def test_reextract_in_worker_processes_writes_what_one_process_writes(crawled, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from bantin.cli import main
    from scraper import extraction

    facts = """SELECT a.url, a.title, a.published, a.text, (SELECT group_concat(name || '|' || coalesce(unit, ''), ';')
               FROM officials WHERE article_id = a.id) FROM articles a ORDER BY a.url"""
    alone = _copy(crawled["db"], tmp_path / "alone.db")
    assert run_bantin("reextract", "--db", str(alone), "--processes", "0").returncode == 0
    monkeypatch.setattr(extraction, "PAGES_PER_PROCESS", 2)  # the fixture portals are small
    pooled = _copy(crawled["db"], tmp_path / "pooled.db")
    result = CliRunner().invoke(main, ["reextract", "--db", str(pooled), "--processes", "2"])
    assert result.exit_code == 0, result.output
    assert "(2 worker processes)" in result.output
    assert db_rows(pooled, facts) == db_rows(alone, facts) and _counts(pooled) == _counts(alone)


def test_demo_command_end_to_end(tmp_path):
    db_path = tmp_path / "demo.db"
    result = run_bantin("demo", "--db", str(db_path))
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    total = sum(len(pages) for pages in EXPECTED.values())
    assert f"new articles {total}," in out
    again = run_bantin("demo", "--db", str(db_path))
    assert again.returncode == 0, again.stderr[-3000:]
    assert "new articles 0," in again.stdout  # same URLs on every run: nothing stored twice
    assert _counts(db_path)["articles"] == total
    second = db_rows(db_path, """SELECT sum(article_pages) AS articles, sum(not_modified) AS unchanged,
                                 sum(list_pages) AS lists FROM crawl_run_sites
                                 WHERE run_id = (SELECT max(id) FROM crawl_runs)""")[0]
    assert second["articles"] == 0, "the second demo fetched article pages again"
    assert second["unchanged"] >= len(EXPECTED)  # every site's first list page answered 304
    assert "meetings and who chaired them" in out
    for site_id in EXPECTED:
        assert site_id in out
    chairs = {c for pages in EXPECTED.values() for d in pages.values()
              for e in d.get("facts", {}).get("events", []) for c in e["chairs"]}
    assert any(chair in out for chair in chairs)


def test_since_skips_older_articles_and_stops_paging(tmp_path, portal_server):
    since = "2024-05-01"
    registry_path = write_registry(tmp_path / "sites.toml", portal_server)
    db_path = tmp_path / "since.db"
    dated_lists = ("nukeviet-demo", "xa-demo")  # sites whose list pages print each item's date
    result = run_bantin("crawl", "--registry", str(registry_path), "--db", str(db_path), "--delay", "0",
                        "--since", since, *[arg for site in dated_lists for arg in ("--site", site)])
    assert result.returncode == 0, result.stderr[-3000:]
    stored = db_rows(db_path, "SELECT site_id, url, published FROM articles")
    pages = [(site, path, d) for site in dated_lists for path, d in EXPECTED[site].items()]
    newer = {(site, path) for site, path, d in pages if d["published"][:10] >= since}
    older = {(site, path) for site, path, d in pages if d["published"][:10] < since}
    got = {(r["site_id"], _path(r["url"])) for r in stored}
    assert newer <= got and older and not (older & got)
    lists = db_rows(db_path, "SELECT count(*) AS n FROM pages WHERE kind = 'list'")[0]["n"]
    assert lists < 3 * len(dated_lists)  # paging stopped before the last list page


def test_reextract_keeps_an_article_whose_new_facts_cannot_be_written(crawled, tmp_path, monkeypatch):
    from click.testing import CliRunner

    import db.store
    from bantin.cli import main

    copy = _copy(crawled["db"], tmp_path / "copy.db")
    before = _counts(copy)
    victim = db_rows(copy, "SELECT page_id, content_hash FROM articles ORDER BY page_id LIMIT 1")[0]
    real = db.store.save_article

    def failing(database, page_id, *rest):
        real(database, page_id, *rest)
        if page_id == victim["page_id"]:
            raise RuntimeError("disk says no")

    monkeypatch.setattr(db.store, "save_article", failing)
    result = CliRunner().invoke(main, ["reextract", "--db", str(copy), "--processes", "0"])
    assert result.exit_code == 0, result.output
    assert f"re-extracted {before['articles'] - 1} articles, 1 failed" in result.output
    assert _counts(copy) == before  # the failed write was rolled back whole
    assert db_rows(copy, "SELECT content_hash FROM articles WHERE page_id = ?", [victim["page_id"]])[0][0] == \
        victim["content_hash"]
    assert "disk says no" in db_rows(copy, "SELECT error FROM pages WHERE id = ?", [victim["page_id"]])[0][0]
