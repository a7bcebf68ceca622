"""Run records of several nights written through db/runs.py, as the crawl writes them, for the
health and runs tests: a healthy site, one failing every night since the first, one whose
extraction yield collapsed last night, and a run killed mid-crawl (SIGKILL)."""
from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from db import connect, runs
from db.store import upsert_site

SITES = ("healthy", "broken", "moved")
ROOT = Path(__file__).resolve().parent.parent


def night(db, site_ids=SITES, moved_facts: int = 5, broken_ok: bool = False) -> int:
    """One finished run: every site stores 5 new articles, except 'broken' after the first
    night (connection refused, nothing fetched) and 'moved' whose articles carry `moved_facts` facts."""
    first = broken_ok or not db.execute("SELECT 1 FROM crawl_runs").fetchone()
    run_id = runs.start_run(db, list(site_ids))
    with db.conn:
        for site in site_ids:
            if site == "broken" and not first:
                runs.record_error(db, run_id, site, "http://127.0.0.1:9/", "connection-refused", "refused")
                continue
            facts = moved_facts if site == "moved" else 5
            runs.count(db, run_id, site, pages=7, list_pages=2, links_found=10, article_pages=5, new_articles=5,
                       with_date=5, with_body=5, with_fact=facts)
        if "healthy" in site_ids:
            runs.record_error(db, run_id, "healthy", "http://healthy.test/slow", "timeout", "30 s")
    runs.finish_run(db, run_id)
    return run_id


def killed_run(db_path: Path) -> None:
    """A run started by another process that is then SIGKILLed, as a crash leaves it."""
    code = ("import sys, time; from db import connect, runs; db = connect(sys.argv[1]); "
            "runs.start_run(db, ['healthy', 'broken', 'moved']); print('started', flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(db_path)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout.readline().strip() == "started"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def history(db_path: Path) -> list[int]:
    """Four nights (the last one with the 'moved' site's facts gone), then a killed run; the
    killed run is marked by the next start_run, so a fifth finished night follows it."""
    db = connect(db_path)
    with db.conn:
        for site in SITES:
            upsert_site(db, {"id": site, "name": site.title(), "platform": "generic",
                             "home_url": f"http://{site}.test/"})
    ids = [night(db) for _ in range(3)]
    ids.append(night(db, moved_facts=1))
    db.conn.close()
    return ids
