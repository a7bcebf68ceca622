"""`bantin extract --json` on every fixture article against its expected JSON."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from bantin import page_eval
from bantin.cli import main
from scraper.reading import decode_html
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


def _site_context(page: Path, want: dict) -> list[str]:
    context = want.get("context") or {}
    return ["--unit", context.get("site_unit", ""), "--province", context.get("site_province", "")]


def _continuations(page: Path, url: str) -> list[str]:
    root = FIXTURES / "portals" / page.relative_to(FIXTURES / "portals").parts[0]
    parts = page_eval.continuation_files(root, decode_html(page.read_bytes(), None), url)
    return [opt for part in parts for opt in ("--part", str(part))]




def _page_id(path: Path) -> str:
    rel = path.relative_to(FIXTURES / "portals")
    return f"{rel.parts[0]}:{json.loads(path.read_text(encoding='utf-8'))['url_path']}"


@pytest.mark.parametrize("expected_path", PORTAL_PAGES, ids=[_page_id(p) for p in PORTAL_PAGES])
def test_portal_page_matches_expected(expected_path: Path):
    """Page extraction (title, time, author, body text) and facts of every demo-portal article."""
    want = json.loads(expected_path.read_text(encoding="utf-8"))
    page = expected_path.with_name(expected_path.name[: -len(".expected.json")])
    url = "http://portal.test" + want["url_path"]
    got = _extract_json(page, "--url", url, *_site_context(page, want), *_continuations(page, url))
    assert got["text"] == want["text"]
    assert sorted(urlsplit(a).path for a in got["attachments"]) == sorted(urlsplit(a).path for a in want.get("attachments", []))
    if "facts" in want:
        assert differences(got, {**want, **want["facts"]}) == {}
    else:
        assert (got["title"], got["published"], got["author"]) == (want["title"], want["published"], want["author"])


def test_fixture_corpus_is_not_empty():
    assert len(TEXT_ARTICLES) >= 8
    assert len(PORTAL_PAGES) >= 20


@pytest.mark.parametrize("path", TEXT_ARTICLES, ids=[p.stem for p in TEXT_ARTICLES])
def test_text_mode_drops_page_furniture(path: Path):
    """Pages saved as text carry counters, 'Thông tin khác' lists and 'Văn bản mới' sidebars
    after the article: none of it may reach the article's text."""
    text = _extract_json(path)["text"]
    raw = path.read_text(encoding="utf-8")
    furniture = [phrase for phrase in page_eval.FURNITURE if phrase in raw]
    assert not [phrase for phrase in furniture if phrase in text]
