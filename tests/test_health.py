"""`bantin health` on run records written through db/runs.py: which sites it lists, its
options, and its exit status (1 when something is listed, so cron mails)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bantin.cli import main
from db import connect, runs
from run_history import history, killed_run, night


def health(*args):
    return CliRunner().invoke(main, ["health", *args])


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "nights.db"
    history(path)
    return path


def test_lists_the_failing_and_the_dropped_site_not_the_healthy_one(db_path):
    result = health("--db", str(db_path), "--json")
    assert result.exit_code == 1
    problems = {(p["site_id"], p["problem"]) for p in json.loads(result.output)}
    assert problems == {("broken", "nothing for 3 runs"), ("moved", "fewer articles with at least one fact")}


def test_table_names_the_faults_and_the_numbers(db_path):
    result = health("--db", str(db_path))
    assert result.exit_code == 1
    assert "connection-refused ×3" in result.output  # the last three nights' faults of 'broken'
    assert "20% of 5 in run 4, 100% of 15 before" in result.output
    assert "healthy" not in result.output.replace("healthy:", "")


def test_runs_and_drop_options(db_path):
    longer = json.loads(health("--db", str(db_path), "--runs", "4", "--json").output)
    assert {p["site_id"] for p in longer} == {"moved"}  # 'broken' was fine four runs ago
    steeper = json.loads(health("--db", str(db_path), "--drop", "0.9", "--json").output)
    assert {p["site_id"] for p in steeper} == {"broken"}  # 100% -> 20% is a drop of 0.8


def test_csv_output(db_path):
    result = health("--db", str(db_path), "--csv")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "site_id,problem,detail,last_run,since" and len(lines) == 3


def test_healthy_database_exits_0(tmp_path):
    path = tmp_path / "fine.db"
    history(path)
    db = connect(path)
    for _ in range(3):  # three good nights: 'broken' answers again, 'moved' extracts facts again
        night(db, broken_ok=True)
    db.conn.close()
    result = health("--db", str(path), "--runs", "3")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("healthy:")


def test_a_killed_run_is_marked_and_not_counted(db_path):
    before = json.loads(health("--db", str(db_path), "--json").output)
    killed_run(db_path)
    db = connect(db_path)
    run_id = runs.start_run(db, ["healthy"])  # the next run notices the dead one
    statuses = dict(db.execute("SELECT id, status FROM crawl_runs").fetchall())
    db.conn.close()
    assert statuses[run_id - 1] == "killed" and statuses[run_id] == "running"
    assert json.loads(health("--db", str(db_path), "--json").output) == before


def test_missing_database(tmp_path):
    result = health("--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "no database" in result.output


def test_a_site_no_longer_crawled_drops_off(db_path):
    db = connect(db_path)
    for _ in range(3):
        night(db, site_ids=("healthy", "moved"))  # 'broken' left the registry
    problems = {p["site_id"] for p in runs.health(db)}
    assert "broken" not in problems
