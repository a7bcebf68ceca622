"""The crawl's side of run records: what kind of fault a failure is, and the current run's
log that the pipeline opens and the spider and middlewares write to (crawler.bantin_run)."""
from __future__ import annotations

import logging

import sqlite_utils
from scrapy import exceptions as scrapy_errors
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net
from twisted.internet.defer import CancelledError
from twisted.internet.defer import TimeoutError as DeferTimeout
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from db import runs

log = logging.getLogger(__name__)

_TIMEOUTS = (net.TimeoutError, net.TCPTimedOutError, DeferTimeout, scrapy_errors.DownloadTimeoutError)
_RESETS = (net.ConnectionLost, net.ConnectionDone, net.ConnectionAborted)
_REFUSED = (net.ConnectionRefusedError, scrapy_errors.DownloadConnectionRefusedError)
_DNS = (net.DNSLookupError, scrapy_errors.CannotResolveHostError)
# Scrapy 2.19 wraps Twisted's download errors in its own (the original as __cause__):
# DownloadFailedError(ResponseFailed), DownloadCancelledError(CancelledError), ...
_WRAPPERS = (scrapy_errors.DownloadFailedError, scrapy_errors.DownloadCancelledError)


def _unwrapped(exc: BaseException) -> BaseException:
    while isinstance(exc, _WRAPPERS) and exc.__cause__ is not None:
        exc = exc.__cause__
    return exc


def fault_kind(failure: Failure | BaseException) -> str:
    """A short, stable name for what went wrong, for crawl_errors.kind and `bantin health`.
    Each name below was seen on the fault fixture server (tests/test_faults.py)."""
    outer = failure.value if isinstance(failure, Failure) else failure
    exc = _unwrapped(outer)
    if isinstance(exc, HttpError):
        return f"http-{exc.response.status}"
    if isinstance(exc, _TIMEOUTS):
        return "timeout"
    if isinstance(exc, _DNS):
        return "dns"
    if isinstance(exc, _REFUSED):
        return "connection-refused"
    if isinstance(exc, scrapy_errors.ResponseDataLossError):  # fewer bytes than Content-Length said
        return "truncated"
    if isinstance(exc, (ResponseFailed, ResponseNeverReceived)):
        reasons = [r.value for r in getattr(exc, "reasons", [])]
        if any(type(r).__name__ == "_DataLoss" for r in reasons):
            return "truncated"
        if any(isinstance(r, _TIMEOUTS) for r in reasons):
            return "timeout"
        return "connection-reset"
    if isinstance(exc, _RESETS):
        return "connection-reset"
    if isinstance(exc, (CancelledError, scrapy_errors.DownloadCancelledError)):
        # Scrapy cancels a download when it outgrows DOWNLOAD_MAXSIZE (announced or while streaming)
        return "too-large"
    if isinstance(exc, IgnoreRequest):
        message = str(exc).lower()
        if "robots.txt" in message:
            return "robots-disallowed"
        if "maxsize" in message or "max size" in message or "larger than" in message:
            return "too-large"  # also a gzip bomb, stopped while it inflates
        if "redirect" in message:
            return "redirect-loop"
        return "ignored"
    if isinstance(exc, UnicodeError) or type(exc) is LookupError:  # not KeyError, IndexError
        return "undecodable"  # a charset no text codec reads (charset=base64), met by response.text
    if isinstance(exc, net.ConnectError):
        return "connection-refused"
    return "other"


class RunLog:
    """The current run, written as the crawl goes. Each record is committed at once, except the
    count of responses: it rides in the next transaction anything opens (most often the page's
    own, in the pipeline), because a commit of its own per response was a crawl's largest
    SQLite cost. A killed crawl loses at most the responses counted since."""

    def __init__(self, db: sqlite_utils.Database, run_id: int) -> None:
        self.db = db
        self.run_id = run_id
        self.responses: dict[str, int] = {}  # site -> responses not yet written to its pages counter

    @classmethod
    def start(cls, crawler, db: sqlite_utils.Database, site_ids: list[str]) -> "RunLog":
        options = crawler.settings.getdict("BANTIN_RUN_OPTIONS") or {}
        run_id = runs.start_run(db, site_ids, options, crawler.settings.get("BANTIN_LOG_PATH"))
        run_log = cls(db, run_id)
        crawler.bantin_run = run_log
        crawler.signals.connect(run_log.response_received, signal=signals.response_received)
        return run_log

    def count(self, site_id: str, **increments: int) -> None:
        """Counts outside a page's own transaction (list pages, skipped links)."""
        with self.db.conn:
            self.write_responses()
            runs.count(self.db, self.run_id, site_id, **increments)

    def fault(self, site_id: str | None, url: str | None, kind: str, detail: str | None = None) -> None:
        with self.db.conn:
            self.write_responses()
            runs.record_error(self.db, self.run_id, site_id, url, kind, detail)

    def site_unavailable(self, site_id: str, url: str, detail: str) -> None:
        """robots.txt could not be read: RFC 9309 says fetch nothing from the host this run."""
        with self.db.conn:
            self.write_responses()
            runs.record_error(self.db, self.run_id, site_id, url, runs.UNAVAILABLE, detail)
            runs.set_site_status(self.db, self.run_id, site_id, runs.UNAVAILABLE)

    def response_received(self, response, request, spider) -> None:
        site_id = request.meta.get("site_id")
        if site_id and (200 <= response.status < 300 or response.status == 304):
            self.responses[site_id] = self.responses.get(site_id, 0) + 1

    def write_responses(self) -> None:
        """The responses counted since the last write, into their sites' pages counters. Commits
        nothing: call it inside a transaction."""
        pending, self.responses = self.responses, {}
        for site_id, pages in pending.items():
            runs.count(self.db, self.run_id, site_id, pages=pages)

    def finish(self) -> dict:
        with self.db.conn:
            self.write_responses()
        return runs.finish_run(self.db, self.run_id)
