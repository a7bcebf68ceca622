"""`bantin extract --json` on every fixture article against its expected JSON."""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from bantin.cli import main
from expected import differences

FIXTURES = Path(__file__).parent / "fixtures"
TEXT_ARTICLES = sorted((FIXTURES / "articles").glob("*.txt"))
PORTAL_PAGES = sorted(p for p in (FIXTURES / "portals").rglob("*.expected.json"))


def _extract_json(path: Path, *options: str) -> dict:
    args = ["extract", str(path), "--json", *options]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("path", TEXT_ARTICLES, ids=[p.stem for p in TEXT_ARTICLES])
def test_text_article_matches_expected(path: Path):
    want = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    context = want.get("context") or {}
    options = [opt for key, flag in (("site_unit", "--unit"), ("site_province", "--province"))
               if context.get(key) for opt in (flag, context[key])]
    got = _extract_json(path, *options)
    assert differences(got, want) == {}


def _site_context(page: Path) -> list[str]:
    site_id = page.relative_to(FIXTURES / "portals").parts[0]
    entry = next(e for e in tomllib.loads((FIXTURES / "portals" / "sites.toml").read_text())["site"] if e["id"] == site_id)
    return ["--unit", entry["unit"], "--province", entry["province"]]


@pytest.mark.parametrize("expected_path", PORTAL_PAGES, ids=[p.name.split(".")[0][-4:] for p in PORTAL_PAGES])
def test_portal_page_matches_expected(expected_path: Path):
    """Page extraction (title, time, author, body text) and facts of every demo-portal article."""
    want = json.loads(expected_path.read_text(encoding="utf-8"))
    page = expected_path.with_name(expected_path.name[: -len(".expected.json")])
    got = _extract_json(page, "--url", "http://portal.test" + want["url_path"], *_site_context(page))
    assert got["text"] == want["text"]
    assert differences(got, {**want, **want["facts"]}) == {}


def test_fixture_corpus_is_not_empty():
    assert len(TEXT_ARTICLES) >= 8
    assert len(PORTAL_PAGES) >= 20
