"""Crash safety: a crawl killed with SIGKILL mid-run loses and duplicates nothing once rerun.

The demo portals are served slowly (every answer waits), so the crawl is certainly still
running when the first pages are committed. The test polls the SQLite file read-only and
kills the process without warning at one of two moments: while it fetches (pages stored and
queued for extraction, no article yet), or during the extraction pass (some articles
written). It notes what was committed, reruns the crawl to completion and compares the
result with a clean crawl of the same portals.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bantin.portal_server import DEMO_PORTALS, PortalServer
from conftest import ROOT, run_bantin, write_registry

DELAY = 0.2  # seconds per answer: a demo site of ~20 pages then takes ~4 s, far longer than a poll
KILL_AFTER = 5  # committed articles (or queued pages) before the kill
WAIT_FOR = {  # what must be committed before the kill, and what must not yet be
    "fetching": ("SELECT count(*) FROM extraction_queue", "SELECT count(*) FROM articles"),
    "extracting": ("SELECT count(*) FROM articles", None),
}
POLL_TIMEOUT = 60.0  # generous: process start-up on a loaded machine dominates


def _crawl_args(registry_path: Path, db_path: Path) -> list[str]:
    return ["crawl", "--registry", str(registry_path), "--db", str(db_path), "--delay", "0"]


def _start_crawl(args: list[str], log_dir: Path) -> subprocess.Popen:
    """`bantin crawl` in its own process, output to files (a full pipe must not stall it)."""
    env = dict(os.environ, BANTIN_LOG_LEVEL="WARNING", BANTIN_CONTACT="tests@localhost")
    with open(log_dir / "killed.out", "w") as out, open(log_dir / "killed.err", "w") as err:
        return subprocess.Popen([sys.executable, "-m", "bantin.cli", *args], stdout=out, stderr=err,
                                env=env, cwd=ROOT)


def _read_only(db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)


def _committed_count(db_path: Path, sql: str) -> int:
    """Rows committed so far, read without taking any write lock; 0 while the file or its
    tables do not exist yet."""
    if not db_path.exists():
        return 0
    try:
        con = _read_only(db_path)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:  # not created yet, or the schema is being written
        return 0


def _wait_and_kill(proc: subprocess.Popen, db_path: Path, log_dir: Path, moment: str) -> None:
    wanted, not_yet = WAIT_FOR[moment]
    deadline = time.monotonic() + POLL_TIMEOUT
    while _committed_count(db_path, wanted) < KILL_AFTER:
        if proc.poll() is not None:
            pytest.fail(f"the crawl ended (status {proc.returncode}) before it could be killed:\n"
                        + (log_dir / "killed.err").read_text()[-3000:])
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            pytest.fail(f"nothing like {KILL_AFTER} rows of {wanted!r} committed within {POLL_TIMEOUT:.0f} s")
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    if not_yet:
        proc.wait(timeout=30)
        assert _committed_count(db_path, not_yet) == 0, f"killed too late to be '{moment}'"


def _pages(db_path: Path) -> dict[str, tuple[int, int]]:
    """url -> (page id, the run that fetched it): a page fetched again would name the rerun."""
    return {url: (pid, run) for url, pid, run in
            _scalar_rows(db_path, "SELECT url, id, run_id FROM pages WHERE kind = 'article'")}


def _articles(db_path: Path) -> dict[str, tuple[int, int, str]]:
    """url -> (article id, page id, content hash)."""
    con = sqlite3.connect(db_path)
    try:
        rows = con.execute("SELECT url, id, page_id, content_hash FROM articles").fetchall()
    finally:
        con.close()
    return {url: (article_id, page_id, digest) for url, article_id, page_id, digest in rows}


def _site_paths(db_path: Path) -> set[tuple[str, str]]:
    """(site, path with query) of every article: comparable across servers on other ports."""
    con = sqlite3.connect(db_path)
    try:
        rows = con.execute("SELECT site_id, url FROM articles").fetchall()
    finally:
        con.close()
    out = set()
    for site_id, url in rows:
        parts = urlsplit(url)
        out.add((site_id, parts.path + (f"?{parts.query}" if parts.query else "")))
    return out


def _scalar_rows(db_path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db_path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module", params=list(WAIT_FOR))
def crashed(request, tmp_path_factory, portal_server):
    """Kill a crawl mid-run, rerun it; a clean crawl of the same portals runs meanwhile."""
    folder = tmp_path_factory.mktemp("crash")
    clean_db = folder / "clean.db"
    clean_registry = write_registry(folder / "clean.toml", portal_server)
    clean = subprocess.Popen([sys.executable, "-m", "bantin.cli", *_crawl_args(clean_registry, clean_db)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                             env=dict(os.environ, BANTIN_LOG_LEVEL="WARNING", BANTIN_CONTACT="tests@localhost"))
    with PortalServer(DEMO_PORTALS, delay_seconds=DELAY) as slow:
        registry_path = write_registry(folder / "sites.toml", slow)
        db_path = folder / "crash.db"
        args = _crawl_args(registry_path, db_path)
        proc = _start_crawl(args, folder)
        _wait_and_kill(proc, db_path, folder, request.param)
        status = proc.wait(timeout=30)
        killed_check = _scalar_rows(db_path, "PRAGMA integrity_check")
        before, pages_before = _articles(db_path), _pages(db_path)
        rerun = run_bantin(*args, timeout=240)
    assert clean.wait(timeout=240) == 0, "the clean crawl failed"
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    return {"moment": request.param, "status": status, "killed_check": killed_check, "before": before,
            "pages_before": pages_before, "db": db_path, "clean_db": clean_db}


def test_the_crawl_was_killed_mid_run(crashed):
    assert crashed["status"] == -signal.SIGKILL
    committed = crashed["before"] if crashed["moment"] == "extracting" else crashed["pages_before"]
    assert KILL_AFTER <= len(committed) < len(_articles(crashed["clean_db"]))


def test_pages_stored_before_the_kill_are_not_fetched_again_and_all_are_read(crashed):
    after = _pages(crashed["db"])
    assert {url: after.get(url) for url in crashed["pages_before"]} == crashed["pages_before"]
    assert _scalar_rows(crashed["db"], "SELECT count(*) FROM extraction_queue") == [(0,)]
    read = {url for (url,) in _scalar_rows(crashed["db"], "SELECT p.url FROM articles a JOIN pages p ON p.id = a.page_id")}
    assert set(crashed["pages_before"]) <= read


def test_database_is_intact_after_the_kill_and_the_rerun(crashed):
    assert crashed["killed_check"] == [("ok",)]
    assert _scalar_rows(crashed["db"], "PRAGMA integrity_check") == [("ok",)]
    assert _scalar_rows(crashed["db"], "PRAGMA foreign_key_check") == []


def test_no_duplicate_articles_or_pages(crashed):
    db = crashed["db"]
    assert _scalar_rows(db, "SELECT url FROM articles GROUP BY url HAVING count(*) > 1") == []
    assert _scalar_rows(db, "SELECT page_id FROM articles GROUP BY page_id HAVING count(*) > 1") == []
    assert _scalar_rows(db, "SELECT url FROM pages GROUP BY url HAVING count(*) > 1") == []


def test_articles_committed_before_the_kill_are_kept(crashed):
    after = _articles(crashed["db"])
    for url, (article_id, _page_id, digest) in crashed["before"].items():
        assert url in after, url
        assert (after[url][0], after[url][2]) == (article_id, digest), url


def test_the_rerun_fetches_the_rest(crashed):
    assert _site_paths(crashed["db"]) == _site_paths(crashed["clean_db"])
