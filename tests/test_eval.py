"""`bantin eval facts` over the gold corpus, held to the pinned floor."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bantin import evaluation
from bantin.cli import main
from conftest import FIXTURES


def test_corpus_meets_the_floor():
    result = CliRunner().invoke(main, ["eval", "facts", str(FIXTURES), "--no-baseline", "--json",
                                       "--floor", str(FIXTURES / "eval_floor.json")])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output.split("\nError")[0])
    assert scores["articles"] >= 30


def test_floor_failure_is_reported(tmp_path):
    floor = tmp_path / "floor.json"
    floor.write_text(json.dumps({"facts": {"officials": 1.01}}))
    result = CliRunner().invoke(main, ["eval", "facts", str(FIXTURES / "articles"), "--no-baseline",
                                       "--floor", str(floor)])
    assert result.exit_code == 1
    assert "below the floor: officials" in result.output


def test_scores_count_optional_facts_as_neither_right_nor_wrong():
    gold = {"officials": [{"name": "Lê Văn A", "roles": ["chair"]},
                          {"name": "Trần Thị B", "roles": ["mentioned"], "optional": True}]}
    got = {"officials": [{"name": "Lê Văn A", "roles": ["chair"]}, {"name": "Trần Thị B", "roles": ["mentioned"]},
                         {"name": "Phạm C", "roles": ["attendee"]}]}
    report = evaluation.Report()
    evaluation.score_article(gold, got, report)
    names = report.scores["officials"]
    assert (names.tp, names.fp, names.fn) == (1, 1, 0)


def test_empty_gold_dir_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["eval", "facts", str(tmp_path)])
    assert result.exit_code == 1 and "no gold JSON" in result.output


@pytest.mark.parametrize("folder", ["heldout", "heldout2"])
def test_heldout_set_meets_its_blind_floor(folder):
    heldout = FIXTURES.parent / folder
    result = CliRunner().invoke(main, ["eval", "facts", str(heldout), "--no-baseline",
                                       "--floor", str(heldout / "eval_floor.json")])
    assert result.exit_code == 0, result.output
