"""The researcher and journalist commands over a database of the gold fixture articles:
each command's output in every format, and bad input."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

import extract
from bantin.cli import main
from conftest import FIXTURES
from db import connect
from db.store import RawPage, save_article, save_page, upsert_site


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    """Every text fixture article stored through the real write path."""
    path = tmp_path_factory.mktemp("cmd") / "facts.db"
    db = connect(path)
    with db.conn:
        upsert_site(db, {"id": "fixtures", "name": "Fixture articles"})
    for number, source in enumerate(sorted((FIXTURES / "articles").glob("*.txt"))):
        gold = json.loads(source.with_suffix(".expected.json").read_text(encoding="utf-8"))
        context = gold.get("context") or {}
        url = f"http://fixtures.test/{source.stem}.html"
        article = extract.article_from_text(source.read_text(encoding="utf-8"), url)
        facts = extract.extract_all(article, context.get("site_unit"), context.get("site_province"))
        page = RawPage(url, url, "fixtures", "article", 200, {}, source.read_bytes(), "2024-12-01T00:00:00+00:00")
        with db.conn:
            save_article(db, save_page(db, page), "fixtures", article, facts)
    db.conn.close()
    return str(path)


def run(*args):
    result = CliRunner().invoke(main, list(args))
    return result


def test_search_with_and_without_diacritics(db_path):
    for query in ("cải cách hành chính", "cai cach hanh chinh", "CẢI CÁCH"):
        result = run("search", query, "--db", db_path, "--json")
        assert result.exit_code == 0, result.output
        assert len(json.loads(result.output)) >= 10
    hits = json.loads(run("search", "dong chi", "--db", db_path, "--json").output)
    assert hits and all("«" in h["snippet"] for h in hits)


@pytest.mark.parametrize("hostile", ['"', 'a" OR "b', "Bà Rịa - Vũng Tàu", "NEAR(a b)", "((", "", "*", "x" * 5000])
def test_search_never_fails_on_hostile_text(db_path, hostile):
    result = run("search", hostile, "--db", db_path, "--csv")
    assert result.exit_code == 0, result.output


def test_who_chaired_formats(db_path):
    rows = json.loads(run("who-chaired", "--db", db_path, "--json").output)
    assert len(rows) >= 20 and all(r["chairs"] for r in rows)
    table = list(csv.DictReader(io.StringIO(run("who-chaired", "tran dinh khoi", "--db", db_path, "--csv").output)))
    assert table and table[0]["chairs"] == "Trần Đình Khôi" and table[0]["date"] == "2024-04-08"


def test_who_chaired_shows_the_newest_up_to_its_limit_and_says_so(db_path):
    everything = json.loads(run("who-chaired", "--db", db_path, "--json").stdout)
    result = run("who-chaired", "--db", db_path, "--json", "--limit", "3")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == everything[:3]
    assert "only the newest 3 meetings are shown; --limit N shows more" in result.stderr
    exact = run("who-chaired", "--db", db_path, "--json", "--limit", str(len(everything)))
    assert json.loads(exact.stdout) == everything and exact.stderr == ""
    assert run("who-chaired", "--db", db_path, "--limit", "0").exit_code == 2


def test_person_profile(db_path):
    result = run("person", "tran dinh khoi", "--db", db_path)
    assert result.exit_code == 0 and "Trần Đình Khôi" in result.output and "Chủ tịch UBND xã" in result.output
    profile = json.loads(run("person", "Trần Đình Khôi", "--db", db_path, "--json").output)
    assert profile[0]["chaired"][0]["date"] == "2024-04-08"
    assert run("person", "Không Có Ai", "--db", db_path).exit_code == 0


def test_rankings_filters(db_path):
    rows = json.loads(run("rankings", "--index", "DTI", "--db", db_path, "--json").output)
    assert rows and all(r["index"] == "DTI" for r in rows)
    rows = json.loads(run("rankings", "--unit", "cam lo", "--year", "2023", "--db", db_path, "--json").output)
    assert {(r["index"], r["rank"], r["of"]) for r in rows} >= {("CCHC", 3, 10)}


def test_export_formats_and_refusals(db_path, tmp_path):
    out = tmp_path / "events.jsonl"
    assert run("export", "events", "--format", "jsonl", "--output", str(out), "--db", db_path).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(line)["kind"] for line in lines)
    assert json.loads(run("export", "SELECT count(*) AS n FROM articles", "--format", "json", "--db", db_path).output)[0]["n"] == 38
    pages = list(csv.DictReader(io.StringIO(run("export", "pages", "--db", db_path).output)))
    assert pages and pages[0]["body"]  # raw bytes come out as base64
    refused = run("export", "DELETE FROM articles", "--db", db_path)
    assert refused.exit_code == 1 and "neither a table nor a SELECT" in refused.output
    attempt = run("export", "WITH x AS (SELECT 1) DELETE FROM articles", "--db", db_path)
    assert attempt.exit_code == 1
    assert json.loads(run("export", "SELECT count(*) AS n FROM articles", "--format", "json", "--db", db_path).output)[0]["n"] == 38


def test_stats(db_path):
    rows = {r["what"]: r["count"] for r in json.loads(run("stats", "--db", db_path, "--json").output)}
    assert rows["articles"] == 38 and rows["people"] > 0 and rows["events"] >= 20
    assert rows[f"articles read by rules other than {extract.EXTRACTOR_VERSION} (bantin reextract)"] == 0


def test_stats_counts_articles_read_by_other_rules(db_path, tmp_path):
    import shutil
    copy = tmp_path / "older.db"
    shutil.copy(db_path, copy)
    db = connect(copy)
    with db.conn:
        db.execute("UPDATE articles SET extractor_version = '0.1.0' WHERE id IN (SELECT id FROM articles LIMIT 3)")
    db.conn.close()
    rows = {r["what"]: r["count"] for r in json.loads(run("stats", "--db", str(copy), "--json").output)}
    assert rows[f"articles read by rules other than {extract.EXTRACTOR_VERSION} (bantin reextract)"] == 3


def test_version_names_the_extraction_rules():
    result = run("--version")
    assert result.exit_code == 0 and f"extraction rules {extract.EXTRACTOR_VERSION}" in result.output
