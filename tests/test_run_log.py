"""The crawl's run log (scraper.runs.RunLog): responses are counted in memory and written in the
next transaction anything opens, so a page costs one commit, not two; none is lost at the end."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from db import connect, runs
from db.store import upsert_site
from scraper.runs import RunLog


@pytest.fixture
def run_log(tmp_path):
    db = connect(tmp_path / "runs.db")
    with db.conn:
        for site_id in ("xa-an-binh", "xa-phu-my"):
            upsert_site(db, {"id": site_id, "name": site_id})
    return RunLog(db, runs.start_run(db, ["xa-an-binh", "xa-phu-my"]))


def _respond(run_log: RunLog, site_id: str, status: int = 200) -> None:
    run_log.response_received(SimpleNamespace(status=status), SimpleNamespace(meta={"site_id": site_id}), None)


def _pages(run_log: RunLog) -> dict[str, int]:
    return {row["site_id"]: row["pages"] for row in runs.site_rows(run_log.db, run_log.run_id)}


def test_responses_wait_for_the_next_transaction(run_log):
    for status in (200, 304, 404, 503):
        _respond(run_log, "xa-an-binh", status)
    _respond(run_log, "xa-phu-my")
    assert _pages(run_log) == {"xa-an-binh": 0, "xa-phu-my": 0}  # nothing committed per response
    run_log.count("xa-phu-my", list_pages=1)
    assert _pages(run_log) == {"xa-an-binh": 2, "xa-phu-my": 1}  # 2xx and 304 count; errors do not


def test_a_fault_and_a_page_transaction_write_them_too(run_log):
    _respond(run_log, "xa-an-binh")
    run_log.fault("xa-phu-my", "http://127.0.0.2/x.html", "timeout")
    assert _pages(run_log)["xa-an-binh"] == 1
    _respond(run_log, "xa-an-binh")
    with run_log.db.conn:  # what the pipeline does in each page's transaction
        run_log.write_responses()
    assert _pages(run_log)["xa-an-binh"] == 2


def test_finishing_writes_what_is_left(run_log):
    for _ in range(3):
        _respond(run_log, "xa-phu-my")
    finished = run_log.finish()
    assert _pages(run_log)["xa-phu-my"] == 3 and finished["pages"] == 3
