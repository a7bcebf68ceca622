"""Crawl run records: one crawl_runs row per run, one crawl_run_sites row per site, one
crawl_errors row per fault. Written while the crawl goes, each change committed at once, so
a run that is killed still tells what it did; the next run marks it 'killed'.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone

import sqlite_utils

from db.queries import rows

SITE_COUNTERS = ("pages", "list_pages", "not_modified", "links_found", "known_skipped", "article_pages",
                 "new_articles", "changed_articles", "duplicates", "errors", "with_date", "with_body", "with_fact")
UNAVAILABLE = "robots-unavailable"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_killed(db: sqlite_utils.Database) -> int:
    """Runs left 'running' by a process that no longer exists were killed; say so. Returns how many."""
    stale = [run_id for run_id, pid in db.execute("SELECT id, pid FROM crawl_runs WHERE status = 'running'")
             if pid != os.getpid() and not _alive(pid)]
    with db.conn:
        for run_id in stale:
            db.execute("UPDATE crawl_runs SET status = 'killed' WHERE id = ?", [run_id])
            db.execute("UPDATE crawl_run_sites SET status = 'killed' WHERE run_id = ? AND status = 'running'",
                       [run_id])
    return len(stale)


def start_run(db: sqlite_utils.Database, site_ids: list[str], options: dict | None = None,
              log_path: str | None = None) -> int:
    """A new run of these (already stored) sites; commits."""
    mark_killed(db)
    with db.conn:
        run_id = db.execute(
            "INSERT INTO crawl_runs (started_at, sites, status, pid, options, log_path) VALUES (?, ?, 'running', ?, ?, ?)",
            [now(), json.dumps(site_ids), os.getpid(), json.dumps(options or {}, default=str, ensure_ascii=False),
             log_path]).lastrowid
        db.conn.executemany("INSERT INTO crawl_run_sites (run_id, site_id, status) VALUES (?, ?, 'running')",
                            [(run_id, site_id) for site_id in site_ids])
    return run_id


def count(db: sqlite_utils.Database, run_id: int, site_id: str, **increments: int) -> None:
    """Add to a site's counters. Commits nothing: call it inside the transaction of what it counts."""
    unknown = set(increments) - set(SITE_COUNTERS)
    if unknown:
        raise ValueError(f"no such counters: {sorted(unknown)}")
    changes = {k: v for k, v in increments.items() if v}
    if not changes:
        return
    assignments = ", ".join(f"{name} = {name} + ?" for name in changes)
    db.execute(f"UPDATE crawl_run_sites SET {assignments} WHERE run_id = ? AND site_id = ?",
               [*changes.values(), run_id, site_id])


def record_error(db: sqlite_utils.Database, run_id: int, site_id: str | None, url: str | None, kind: str,
                 detail: str | None = None) -> None:
    """A fault of this run, counted on its site. Commits nothing itself."""
    db.execute("INSERT INTO crawl_errors (run_id, site_id, url, kind, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
               [run_id, site_id, url, kind, (detail or "")[:2000], now()])
    if site_id:
        count(db, run_id, site_id, errors=1)


def set_site_status(db: sqlite_utils.Database, run_id: int, site_id: str, status: str) -> None:
    db.execute("UPDATE crawl_run_sites SET status = ? WHERE run_id = ? AND site_id = ?", [status, run_id, site_id])


def site_status(row: dict) -> str:
    """How a site's night went: nothing fetched is 'failed'; faults with pages is 'errors'."""
    if row["status"] == UNAVAILABLE:
        return UNAVAILABLE
    if row["pages"] == 0 and (row["errors"] or not row["list_pages"]):
        return "failed"
    return "errors" if row["errors"] else "ok"


def finish_run(db: sqlite_utils.Database, run_id: int) -> dict:
    """Settle every site's status and the run's totals; commits; returns the run row."""
    sites = site_rows(db, run_id)
    with db.conn:
        for row in sites:
            row["status"] = site_status(row)
            set_site_status(db, run_id, row["site_id"], row["status"])
        statuses = [row["status"] for row in sites]
        if sites and all(s in ("failed", UNAVAILABLE) for s in statuses):
            status = "failed"
        else:
            status = "ok" if all(s == "ok" for s in statuses) else "errors"
        errors = db.execute("SELECT count(*) FROM crawl_errors WHERE run_id = ?", [run_id]).fetchone()[0]
        db.execute("UPDATE crawl_runs SET finished_at = ?, status = ?, errors = ?, pages = ?, new_articles = ?"
                   " WHERE id = ?", [now(), status, errors, sum(r["pages"] for r in sites),
                                     sum(r["new_articles"] for r in sites), run_id])
    return run(db, run_id)


def run(db: sqlite_utils.Database, run_id: int) -> dict:
    found = rows(db, "SELECT * FROM crawl_runs WHERE id = ?", [run_id])
    if not found:
        raise ValueError(f"no crawl run {run_id}")
    return found[0]


def recent_runs(db: sqlite_utils.Database, last: int) -> list[dict]:
    return rows(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", [last])


def site_rows(db: sqlite_utils.Database, run_id: int) -> list[dict]:
    return rows(db, "SELECT * FROM crawl_run_sites WHERE run_id = ? ORDER BY site_id", [run_id])


def errors_by_kind(db: sqlite_utils.Database, run_id: int) -> list[dict]:
    return rows(db, """SELECT site_id, kind, count(*) AS count, min(url) AS example FROM crawl_errors
                        WHERE run_id = ? GROUP BY site_id, kind ORDER BY site_id, kind""", [run_id])


# ---------------------------------------------------------------- health: signs of a moved host or a new layout

YIELDS = (("with_date", "a publication date"), ("with_body", "a body"), ("with_fact", "at least one fact"))


def _empty(row: dict, before: bool) -> bool:
    """Nothing came from the site: it failed, or its list pages offered no article. A run whose
    list pages all answered 304 saw the same pages as the run `before` it, empty or not."""
    if row["status"] in ("failed", UNAVAILABLE):
        return True
    changed_lists = row["list_pages"] - row["not_modified"]
    if changed_lists == 0 and row["list_pages"] > 0:
        return before
    return changed_lists > 0 and row["links_found"] == 0


def _empties(history: list[dict]) -> list[bool]:
    """`_empty` of each row (newest first), each unchanged run inheriting from the one before."""
    out, before = [], False
    for row in reversed(history):
        before = _empty(row, before)
        out.append(before)
    return out[::-1]


def health(db: sqlite_utils.Database, runs: int = 3, drop: float = 0.5, min_articles: int = 3) -> list[dict]:
    """Sites to look at: nothing from them for the last `runs` finished runs, or an extraction yield
    (share of new and changed articles with a date, a body, a fact) that fell by `drop` or more from
    the site's earlier runs (counted when those hold at least `min_articles` articles). A site in
    none of the last `runs` finished runs is no longer crawled and not listed."""
    finished = rows(db, """SELECT rs.*, r.started_at FROM crawl_run_sites rs JOIN crawl_runs r ON r.id = rs.run_id
                            WHERE r.finished_at IS NOT NULL ORDER BY rs.site_id, rs.run_id DESC""", [])
    by_site: dict[str, list[dict]] = {}
    for row in finished:
        by_site.setdefault(row["site_id"], []).append(row)
    recent_runs = {run_id for (run_id,) in db.execute(
        "SELECT id FROM crawl_runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT ?", [runs])}
    by_site = {site: history for site, history in by_site.items() if history[0]["run_id"] in recent_runs}  # still crawled
    problems = []
    for site_id, history in sorted(by_site.items()):
        recent = history[:runs]
        if len(recent) == runs and all(_empties(history)[:runs]):
            kinds = _error_kinds(db, site_id, [r["run_id"] for r in recent])
            problems.append({"site_id": site_id, "problem": f"nothing for {runs} runs",
                             "detail": "; ".join(f"run {r['run_id']}: {_what_happened(r)}" for r in recent)
                             + (f" (faults: {kinds})" if kinds else ""),
                             "last_run": recent[0]["run_id"], "since": recent[-1]["started_at"]})
        problems += _yield_drops(site_id, history, drop, min_articles)
    return problems


def _what_happened(row: dict) -> str:
    if row["status"] in ("failed", UNAVAILABLE):
        return row["status"]
    if row["list_pages"] and row["list_pages"] == row["not_modified"]:
        return "list pages unchanged (304) since a run without article links"
    return f"{row['list_pages']} list pages, no article link"


def _error_kinds(db: sqlite_utils.Database, site_id: str, run_ids: list[int]) -> str:
    marks = ",".join("?" * len(run_ids))
    counted = db.execute(f"""SELECT kind, count(*) FROM crawl_errors WHERE site_id = ? AND run_id IN ({marks})
                          GROUP BY kind ORDER BY count(*) DESC, kind""", [site_id, *run_ids]).fetchall()
    return ", ".join(f"{kind} ×{n}" for kind, n in counted)


def _yield_drops(site_id: str, history: list[dict], drop: float, min_articles: int) -> list[dict]:
    stored = [r for r in history if r["new_articles"] + r["changed_articles"] > 0]
    if len(stored) < 2:
        return []
    latest, earlier = stored[0], stored[1:]
    before_total = sum(r["new_articles"] + r["changed_articles"] for r in earlier)
    now_total = latest["new_articles"] + latest["changed_articles"]
    if before_total < min_articles:
        return []
    problems = []
    for column, what in YIELDS:
        before = sum(r[column] for r in earlier) / before_total
        after = latest[column] / now_total
        if before - after >= drop:
            problems.append({"site_id": site_id, "problem": f"fewer articles with {what}",
                             "detail": f"{after:.0%} of {now_total} in run {latest['run_id']}, "
                                       f"{before:.0%} of {before_total} before",
                             "last_run": latest["run_id"], "since": latest["started_at"]})
    return problems
