"""`bantin extract --json` on every fixture article against its expected JSON."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bantin.cli import main
from expected import differences

FIXTURES = Path(__file__).parent / "fixtures"
TEXT_ARTICLES = sorted((FIXTURES / "articles").glob("*.txt"))
PORTAL_PAGES = sorted(p for p in (FIXTURES / "portals").rglob("*.expected.json"))


def _extract_json(path: Path, url: str | None = None) -> dict:
    args = ["extract", str(path), "--json"] + (["--url", url] if url else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("path", TEXT_ARTICLES, ids=[p.stem for p in TEXT_ARTICLES])
def test_text_article_matches_expected(path: Path):
    want = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    got = _extract_json(path)
    assert differences(got, want) == {}


def test_fixture_corpus_is_not_empty():
    assert len(TEXT_ARTICLES) >= 8
    assert len(PORTAL_PAGES) >= 20
