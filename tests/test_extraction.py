"""The extraction pass (scraper.extraction) over pages stored raw and queued, on real SQLite files
with the real models: worker processes give what the crawl's own process gives, a page that
outlasts its time is a fault and the rest go on, a killed run's queue is read by the next run.
Whole crawls through the pass are in test_crawl, test_incremental, test_faults and test_crash."""
from __future__ import annotations

import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from db import connect, crawlstate, runs
from db.store import RawPage, save_page, upsert_site
from scraper import extraction
from scraper.extraction import ExtractionPass

PORTAL = Path(__file__).parent / "fixtures" / "portals" / "nukeviet-demo"
SITE = SimpleNamespace(id="nukeviet-demo", unit="huyện Bù Đăng", province="tỉnh Bình Phước", platform="nukeviet4")
OTHER = SimpleNamespace(id="other", unit="xã Diên Lạc", province="tỉnh Khánh Hòa", platform="commune-portal")
ARTICLES = sorted((PORTAL / "vi" / "news").glob("*/*.html"))


def _queued_db(path: Path, run_sites=(SITE,), queue_site: SimpleNamespace = SITE) -> tuple:
    """A database whose article pages are stored raw and queued by a run that never finished."""
    db = connect(path)
    with db.conn:
        for site in (SITE, OTHER):
            upsert_site(db, {"id": site.id, "name": site.id, "unit": site.unit, "province": site.province,
                             "platform": site.platform})
    killed = runs.start_run(db, [s.id for s in run_sites], {}, None)
    with db.conn:
        for number, file in enumerate(ARTICLES):
            url = f"http://127.0.0.2/{file.relative_to(PORTAL)}"
            page = RawPage(url, url, queue_site.id, "article", 200, {"Content-Type": "text/html; charset=utf-8"},
                           file.read_bytes(), "2024-07-01T00:00:00+00:00")
            crawlstate.enqueue(db, save_page(db, page, killed), killed, queue_site.id, "2024-07-01T00:00:00+00:00")
    return db, killed


def _articles(db) -> list[tuple]:
    return db.execute("""SELECT a.id, p.url, a.title, a.published, a.text,
                                (SELECT count(*) FROM officials WHERE article_id = a.id),
                                (SELECT count(*) FROM events WHERE article_id = a.id)
                         FROM articles a JOIN pages p ON p.id = a.page_id ORDER BY a.id""").fetchall()


def test_fixture_portal_has_articles_to_read():
    assert len(ARTICLES) >= 8


def test_worker_processes_give_what_the_crawl_process_gives(tmp_path, monkeypatch):
    alone, _ = _queued_db(tmp_path / "alone.db")
    run = runs.start_run(alone, [SITE.id], {}, None)
    tally = ExtractionPass(alone, run, {SITE.id: SITE}, processes=0).run()
    assert (tally.pages, tally.new, tally.errors, tally.processes) == (len(ARTICLES), len(ARTICLES), 0, 0)

    monkeypatch.setattr(extraction, "PAGES_PER_PROCESS", 2)  # a handful of pages is enough to start workers
    pooled, _ = _queued_db(tmp_path / "pooled.db")
    run = runs.start_run(pooled, [SITE.id], {}, None)
    tally = ExtractionPass(pooled, run, {SITE.id: SITE}, processes=2).run()
    assert (tally.pages, tally.new, tally.errors, tally.processes) == (len(ARTICLES), len(ARTICLES), 0, 2)

    assert _articles(pooled) == _articles(alone)  # same rows, same ids: results are written in queue order
    assert sum(row[5] for row in _articles(pooled)) > 0
    assert pooled.execute("SELECT count(*) FROM extraction_queue").fetchone() == (0,)


def test_a_page_that_outlasts_its_time_is_a_fault_and_the_pass_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(extraction, "PAGES_PER_PROCESS", 2)
    db, _ = _queued_db(tmp_path / "slow.db")
    run = runs.start_run(db, [SITE.id], {}, None)
    tally = ExtractionPass(db, run, {SITE.id: SITE}, processes=2, timeout=0.001).run()  # nothing is that fast
    assert tally.pages == len(ARTICLES) and tally.by_kind == {"extraction-timeout": len(ARTICLES)}
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (0,)  # nothing half-read is stored
    assert db.execute("SELECT count(*) FROM extraction_queue").fetchone() == (0,)
    errors = db.execute("SELECT kind, count(*) FROM crawl_errors WHERE run_id = ? GROUP BY kind", [run]).fetchall()
    assert errors == [("extraction-timeout", len(ARTICLES))]
    assert db.execute("SELECT count(*) FROM pages WHERE error LIKE 'extraction took more than%'").fetchone() == (
        len(ARTICLES),)


def test_a_killed_runs_queue_is_read_by_the_next_run_and_counted_there(tmp_path):
    db, killed = _queued_db(tmp_path / "killed.db")
    run = runs.start_run(db, [SITE.id], {}, None)
    ExtractionPass(db, run, {SITE.id: SITE}, processes=0).run()
    counted = dict(db.execute("SELECT run_id, new_articles FROM crawl_run_sites WHERE site_id = ?",
                              [SITE.id]).fetchall())
    assert counted == {killed: 0, run: len(ARTICLES)}
    assert db.execute("SELECT count(DISTINCT page_id) FROM articles").fetchone() == (len(ARTICLES),)


def test_another_sites_queue_waits_for_a_run_of_that_site(tmp_path):
    db, _ = _queued_db(tmp_path / "other.db", run_sites=(OTHER,), queue_site=OTHER)
    run = runs.start_run(db, [SITE.id], {}, None)
    assert ExtractionPass(db, run, {SITE.id: SITE}, processes=0).run().pages == 0
    assert db.execute("SELECT count(*) FROM extraction_queue").fetchone() == (len(ARTICLES),)
    run = runs.start_run(db, [OTHER.id], {}, None)
    assert ExtractionPass(db, run, {OTHER.id: OTHER}, processes=0).run().pages == len(ARTICLES)


@pytest.mark.parametrize("processes", [0, 1])
def test_a_page_whose_extraction_raises_is_recorded_and_dequeued(tmp_path, monkeypatch, processes):
    monkeypatch.setattr(extraction, "PAGES_PER_PROCESS", 2)
    db, _ = _queued_db(tmp_path / f"raises{processes}.db")
    bad = db.execute("SELECT min(page_id) FROM extraction_queue").fetchone()[0]
    with db.conn:  # a page nested deeper than any layout reads: PageTooDeep, in a worker too
        db.execute("UPDATE pages SET body = ? WHERE id = ?",
                   [zlib.compress(b"<html><body>" + b"<div>" * 1000 + b"x</body></html>"), bad])
    run = runs.start_run(db, [SITE.id], {}, None)
    tally = ExtractionPass(db, run, {SITE.id: SITE}, processes=processes).run()
    assert (tally.errors, tally.new) == (1, len(ARTICLES) - 1)
    assert db.execute("SELECT kind FROM crawl_errors WHERE run_id = ?", [run]).fetchall() == [("extraction-error",)]
    assert "PageTooDeep" in db.execute("SELECT error FROM pages WHERE id = ?", [bad]).fetchone()[0]


def test_a_page_whose_article_cannot_be_written_is_a_fault_not_a_stop(tmp_path, monkeypatch):
    db, _ = _queued_db(tmp_path / "poison.db")
    poison = db.execute("SELECT min(page_id) FROM extraction_queue").fetchone()[0]
    real = extraction.store_article

    def failing(db, run_id, page_id, *rest):
        stored = real(db, run_id, page_id, *rest)
        if page_id == poison:  # the article and its facts written, then a failure
            raise RuntimeError("disk says no")
        return stored

    monkeypatch.setattr(extraction, "store_article", failing)
    run = runs.start_run(db, [SITE.id], {}, None)
    tally = ExtractionPass(db, run, {SITE.id: SITE}, processes=0).run()
    assert (tally.errors, tally.new, tally.by_kind) == (1, len(ARTICLES) - 1, {"store-error": 1})
    assert db.execute("SELECT count(*) FROM articles WHERE page_id = ?", [poison]).fetchone() == (0,)  # rolled back
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (len(ARTICLES) - 1,)
    assert db.execute("SELECT count(*) FROM extraction_queue").fetchone() == (0,)  # the next run is not stuck on it
    assert db.execute("SELECT kind FROM crawl_errors WHERE run_id = ?", [run]).fetchall() == [("store-error",)]
    assert "disk says no" in db.execute("SELECT error FROM pages WHERE id = ?", [poison]).fetchone()[0]


@pytest.mark.parametrize("processes", [0, 2])
def test_a_stop_ends_the_pass_after_the_page_being_written_and_leaves_the_rest_queued(tmp_path, monkeypatch,
                                                                                       processes):
    monkeypatch.setattr(extraction, "PAGES_PER_PROCESS", 2)
    db, _ = _queued_db(tmp_path / "stopped.db")
    run = runs.start_run(db, [SITE.id], {}, None)
    asked = []
    tally = ExtractionPass(db, run, {SITE.id: SITE}, processes=processes,
                           stop=lambda: asked.append(1) or len(asked) > 3).run()
    assert (tally.pages, tally.left) == (3, len(ARTICLES) - 3)
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (3,)
    assert db.execute("SELECT count(*) FROM extraction_queue").fetchone() == (len(ARTICLES) - 3,)
    rest = ExtractionPass(db, runs.start_run(db, [SITE.id], {}, None), {SITE.id: SITE}, processes=0).run()
    assert (rest.pages, rest.left) == (len(ARTICLES) - 3, 0)


def test_stop_signals_are_noted_during_the_pass_and_handed_back_after():
    import os
    import signal

    from scraper.pipelines import stop_signals

    before = signal.getsignal(signal.SIGTERM)
    with stop_signals() as stopping:
        os.kill(os.getpid(), signal.SIGTERM)  # would end the test run, were it not taken over
        os.kill(os.getpid(), signal.SIGINT)
        assert stopping == [signal.SIGTERM, signal.SIGINT]
    assert signal.getsignal(signal.SIGTERM) is before
