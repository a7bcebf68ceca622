"""`bantin eval pages`: page extraction on the fixture web, held to its floor, and the
platform of every fixture site recognised from its pages alone."""
from __future__ import annotations

import json
import tomllib

from click.testing import CliRunner

from bantin import page_eval
from bantin.cli import main
from conftest import FIXTURES
from extract import layouts
from scraper.reading import decode_html

PORTALS = FIXTURES / "portals"


def test_fixture_web_meets_the_floor_and_trafilatura_is_measured_beside():
    result = CliRunner().invoke(main, ["eval", "pages", "--json", "--floor", str(PORTALS / "page_eval_floor.json")])
    assert result.exit_code == 0, result.output
    table = json.loads(result.output)
    assert set(table) == {"bantin", "bantin-generic", "trafilatura"}
    assert table["bantin"]["all"]["pages"] == table["trafilatura"]["all"]["pages"] >= 20


def test_every_fixture_site_is_recognised_by_its_layout():
    for site_id, platform, page, _ in page_eval.load_pages(PORTALS):
        detected = layouts.detect(decode_html(page.read_bytes(), None), str(page)).name
        assert detected == platform, f"{site_id}: {page.name} detected as {detected}"


def test_every_registry_site_has_pages():
    ids = {entry["id"] for path in [PORTALS / "sites.toml", *PORTALS.glob("*.site.toml")]
           for entry in tomllib.loads(path.read_text(encoding="utf-8"))["site"]}
    assert ids == {site_id for site_id, *_ in page_eval.load_pages(PORTALS)}


def test_scoring_counts_leaks_and_tokens():
    expected = {"title": "Họp giao ban", "published": "2024-03-18T03:41:00+07:00", "text": "Sáng nay họp.\nKết luận."}
    good = page_eval.score(expected, "Họp giao ban", "2024-03-18T03:41:00+07:00", "Sáng nay họp.\nKết luận.", set())
    assert good.row()["body_f1"] == 1.0 and good.leaks == 0 and good.time == 1
    leaky = page_eval.score(expected, "Họp", "2024-03-18T00:00:00+07:00", "Sáng nay họp.\nThống kê truy cập", set())
    assert leaky.leaks == 1 and leaky.title == 0 and leaky.day == 1 and leaky.time == 0
    assert leaky.row()["body_recall"] < 1.0
