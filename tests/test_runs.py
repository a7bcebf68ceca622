"""`bantin runs`: recent runs with their per-site rows and faults by kind, read from run
records written through db/runs.py (a killed run included)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from bantin.cli import main
from db import connect, runs
from run_history import history, killed_run, night


def bantin_runs(*args):
    return CliRunner().invoke(main, ["runs", *args])


@pytest.fixture
def db_path(tmp_path):
    """Four finished nights, a run killed mid-crawl, then a fifth night (which marks it killed)."""
    path = tmp_path / "nights.db"
    history(path)
    killed_run(path)
    db = connect(path)
    night(db)
    db.conn.close()
    return path


def test_last_night_by_default(db_path):
    result = bantin_runs("--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "run 6: errors" in result.output and "run 5:" not in result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.split()[:1]}
    assert lines["broken"].split()[1] == "failed" and "connection-refused ×1" in lines["broken"]
    assert lines["healthy"].split()[1] == "errors" and "timeout ×1" in lines["healthy"]
    assert lines["moved"].split()[1] == "ok"


def test_the_killed_run_shows_as_killed(db_path):
    result = bantin_runs("--db", str(db_path), "--last", "2")
    assert "run 5: killed" in result.output and "run 6: errors" in result.output
    site_rows = {(r["run_id"], r["site_id"]): r["status"] for r in runs.site_rows(connect(db_path), 5)}
    assert set(site_rows.values()) == {"killed"}


def test_json_nests_sites_and_faults(db_path):
    data = json.loads(bantin_runs("--db", str(db_path), "--last", "3", "--json").output)
    assert [r["id"] for r in data] == [6, 5, 4]
    assert data[0]["sites"] == ["healthy", "broken", "moved"] and data[0]["errors"] == 2
    assert {(f["site_id"], f["kind"], f["count"]) for f in data[0]["faults"]} == {
        ("broken", "connection-refused", 1), ("healthy", "timeout", 1)}
    moved = next(s for s in data[2]["site_rows"] if s["site_id"] == "moved")
    assert (moved["new_articles"], moved["with_fact"]) == (5, 1)


def test_csv_is_one_row_per_run_and_site(db_path):
    rows = list(csv.DictReader(io.StringIO(bantin_runs("--db", str(db_path), "--last", "2", "--csv").output)))
    assert [(r["run_id"], r["site_id"], r["status"]) for r in rows] == [
        ("6", "broken", "failed"), ("6", "healthy", "errors"), ("6", "moved", "ok"),
        ("5", "broken", "killed"), ("5", "healthy", "killed"), ("5", "moved", "killed")]


def test_no_runs_yet(tmp_path):
    path = tmp_path / "empty.db"
    connect(path).conn.close()
    result = bantin_runs("--db", str(path))
    assert result.exit_code == 0 and "no crawl runs recorded yet" in result.output
