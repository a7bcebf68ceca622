"""The crawl's second stage: the article pages the crawl stored raw become articles and facts.

Why apart from fetching: extraction costs 10-20 ms of CPU an article against Scrapy's 2-3 ms a
page. Done in the reactor's thread it set the crawl's pace (0.11x a bare Scrapy spider on
loopback) and one slow page held up every download. Now the pipeline only stores each page,
with an `extraction_queue` row, in the page's own transaction; when the spider closes, this
pass reads the queue in page order, extracts in worker processes (one per core but one, which
is left to the crawl's process writing what they read; in the crawl's own process when there
are few pages, where starting workers would cost more than it saves), and writes each article
with its facts, revision, copy-of and run counters, and drops its queue row, in one
transaction. A run killed before or during the pass leaves queue rows, which the
next run of those sites extracts first: a fetched page is never lost, nor fetched again.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import sqlite_utils

from db import crawlstate, runs
from db.store import RawPage, load_page, load_parts, mark_error, now, save_article, sha256
from extract import identity
from extract.model import Article, Facts
from scraper.reading import read_page

log = logging.getLogger(__name__)

MIN_BODY = 200  # characters: shorter is a caption or a failed extraction, for the run's yield
PAGES_PER_PROCESS = 50  # fewer queued pages than this per worker: extract in the crawl's own process
WINDOW_PER_PROCESS = 4  # pages handed to the workers ahead of the one being written


@dataclass
class Job:
    """One queued page with what extraction needs to know of its site."""
    page_id: int
    page: RawPage
    parts: list[RawPage]
    unit: str | None
    province: str | None
    platform: str | None


@dataclass
class Outcome:
    """What a worker read from a page: the article, its facts, canonical URL and text fingerprint
    (SimHash, a millisecond of CPU: done here rather than in the writing process), or the error."""
    page_id: int
    read: tuple[Article, Facts, str | None, str] | None = None
    error: str | None = None
    kind: str = "extraction-error"


def read_job(job: Job) -> Outcome:
    """In a worker (or in-process): the page read, never raising; no I/O."""
    try:
        article, facts, canonical = read_page(job.page, job.unit, job.province, job.platform, job.parts)
        return Outcome(job.page_id, (article, facts, canonical, identity.fingerprint(article.text)))
    except Exception as exc:  # one bad page never stops the pass
        return Outcome(job.page_id, error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}")


def has_fact(facts: Facts) -> bool:
    return any((facts.events, facts.officials, facts.units, facts.rankings, facts.documents))


@dataclass
class Tally:
    """What a pass did, for the crawl's stats and its summary line."""
    pages: int = 0
    new: int = 0
    updated: int = 0
    errors: int = 0
    seconds: float = 0.0
    processes: int = 0
    left: int = 0  # pages left queued by a stop
    by_kind: dict[str, int] = field(default_factory=dict)


def jobs(db: sqlite_utils.Database, page_ids: Iterable[int], sites: dict) -> Iterator[Job]:
    """Stored pages as jobs, read from the file one by one as the workers need them. `sites`:
    objects or dicts with unit, province and platform, by site id."""
    for page_id in page_ids:
        page = load_page(db, page_id)
        site = sites.get(page.site_id)
        value = (lambda key: site.get(key)) if isinstance(site, dict) else (lambda key: getattr(site, key, None))
        yield Job(page_id, page, load_parts(db, page_id), value("unit"), value("province"), value("platform"))


def worker_count(pages: int, processes: int | None = None) -> int:
    """Worker processes for `pages` pages: `processes` at the most (None: one per core but one,
    at least one), and none below PAGES_PER_PROCESS pages a worker."""
    most = processes if processes is not None else max(1, (os.cpu_count() or 1) - 1)
    return min(most, pages // PAGES_PER_PROCESS)


def read_all(todo: Iterable[Job], processes: int, timeout: float = 120.0) -> Iterator[Outcome]:
    """Every job read, in the order given (so articles get their ids in the order their pages
    came): in this process when `processes` < 1, else in that many spawned workers with a few
    pages each in hand. A page outlasting `timeout` has its worker killed with its pool; the
    pages sent out with it go to a new pool."""
    if processes < 1:
        yield from (read_job(job) for job in todo)
        return
    context = multiprocessing.get_context("spawn")  # never fork a process running Twisted's reactor
    pool = context.Pool(processes)
    window: deque = deque()
    todo = iter(todo)
    try:
        while True:
            while len(window) < processes * WINDOW_PER_PROCESS:
                job = next(todo, None)
                if job is None:
                    break
                window.append((job, pool.apply_async(read_job, (job,))))
            if not window:
                return
            job, pending = window.popleft()
            try:
                yield pending.get(timeout)
            except multiprocessing.TimeoutError:
                yield Outcome(job.page_id, error=f"extraction took more than {timeout:.0f} s",
                              kind="extraction-timeout")
                pool.terminate()
                pool = context.Pool(processes)
                window = deque((j, pool.apply_async(read_job, (j,))) for j, _ in window)
    finally:
        pool.terminate()
        pool.join()


class ExtractionPass:
    """Turns the queued pages of `sites` (registry Site objects by id) into articles, counting
    them in run `run_id`."""

    def __init__(self, db: sqlite_utils.Database, run_id: int, sites: dict, processes: int | None = None,
                 timeout: float = 120.0, progress: Callable[[int, int, int], None] | None = None,
                 stop: Callable[[], bool] | None = None) -> None:
        """`processes`: worker processes at the most (0: extract in this process; None: one per
        core but one, at least one). `progress(done, total, new)` is told before the first page
        and after each. `stop()` is asked before each page: True ends the pass there, the rest
        left queued for the next run (a stop signal while the pass runs)."""
        self.db, self.run_id, self.sites, self.timeout = db, run_id, sites, timeout
        self.progress = progress or (lambda done, total, new: None)
        self.stop = stop or (lambda: False)
        self.processes = processes

    def run(self) -> Tally:
        started = time.perf_counter()
        page_ids = crawlstate.queued(self.db, list(self.sites))
        processes = worker_count(len(page_ids), self.processes)
        tally = Tally(processes=processes)
        if page_ids:
            log.info("extracting %d pages %s", len(page_ids),
                     f"in {processes} worker process{'es' if processes > 1 else ''}" if processes else "in the crawl's process")
            self.progress(0, len(page_ids), 0)
        outcomes = read_all(jobs(self.db, page_ids, self.sites), processes, self.timeout)
        try:
            while tally.pages < len(page_ids):  # one outcome a page, read or failed
                if self.stop():  # asked before waiting for the next page, not after reading it
                    tally.left = len(page_ids) - tally.pages
                    log.warning("extraction stopped: %d pages left queued for the next run", tally.left)
                    break
                self._store(next(outcomes), tally)
                self.progress(tally.pages, len(page_ids), tally.new)
        finally:
            outcomes.close()  # the workers go at once
        tally.seconds = time.perf_counter() - started
        return tally

    def _store(self, outcome: Outcome, tally: Tally) -> None:
        """The page's article (or its error) and its queue row's removal: one transaction. A write
        that fails is rolled back and the page recorded as a fault and dequeued like a page that
        could not be read, so one page can never stop this pass nor every later one."""
        try:
            self._write(outcome, tally)
        except Exception as exc:
            error = f"{type(exc).__name__} while storing: {exc}\n{traceback.format_exc(limit=5)}"
            self._write(Outcome(outcome.page_id, error=error, kind="store-error"), tally)

    def _write(self, outcome: Outcome, tally: Tally) -> None:
        site_id, url = self.db.execute("SELECT site_id, url FROM pages WHERE id = ?", [outcome.page_id]).fetchone()
        with self.db.conn:
            if outcome.error:
                first_line = outcome.error.splitlines()[0]
                mark_error(self.db, outcome.page_id, outcome.error)
                runs.record_error(self.db, self.run_id, site_id, url, outcome.kind, first_line)
                log.error("extraction failed for %s: %s", url, first_line)
                tally.errors += 1
                tally.by_kind[outcome.kind] = tally.by_kind.get(outcome.kind, 0) + 1
            else:
                new = store_article(self.db, self.run_id, outcome.page_id, site_id, url, *outcome.read)
                tally.new += int(new)
                tally.updated += int(not new)
            crawlstate.dequeue(self.db, outcome.page_id)
        tally.pages += 1


def store_article(db: sqlite_utils.Database, run_id: int, page_id: int, site_id: str, url: str, article: Article,
                  facts: Facts, canonical: str | None, fingerprint: str) -> bool:
    """The article of page `page_id` (of `site_id`, fetched as `url`) as new, as a new revision of
    itself, or as a copy of another (facts kept once), counted in the run. Call inside the
    page's transaction; True when the article is new."""
    when = now()
    content_hash = sha256(article.text)
    key = identity.url_key(article.url or url)
    old = crawlstate.stored_article(db, article.url)
    revision, revised_at, copy = 1, when, None
    if old is not None:
        revision, revised_at = old.revision, old.revised_at or old.extracted_at or when
        if old.content_hash != content_hash:
            revision, revised_at = crawlstate.keep_revision(db, old, when), when
        if old.duplicate_of:
            copy = crawlstate.Copy(old.duplicate_of, old.duplicate_rule)
    else:
        copy = crawlstate.find_original(db, article.url, canonical, key, article.text, content_hash,
                                        fingerprint, article.published_iso)
    save_article(db, page_id, site_id, article, Facts() if copy else facts,
                 crawlstate.identity_columns(canonical, key, fingerprint, copy, revision, revised_at))
    stored = {"new_articles": int(old is None), "changed_articles": int(old is not None and revision != old.revision)}
    if any(stored.values()):
        runs.count(db, run_id, site_id, **stored, duplicates=int(copy is not None and old is None),
                   with_date=int(bool(article.published_iso)), with_body=int(len(article.text) >= MIN_BODY),
                   with_fact=int(has_fact(facts)))
    return old is None
