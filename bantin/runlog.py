"""The structured log of one run: a JSON object per log record, one per line.

Scrapy's console log is for people watching; this file is for reading last night back
(`jq`, grep, or a script): every record of the run with its time, level, logger, message
and, when the record is about a request, the URL and the site it belongs to."""
from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import Request

MAX_MESSAGE = 4000  # a record quoting a whole page would make the log unreadable
_URL = re.compile(r"https?://[^\s<>\"')]+")
# DEBUG records kept: one line per fetch ("Crawled (200) <GET …>"). Others at DEBUG (the
# "Scraped from" lines repeat every stored page's body) stay out.
_DEBUG_KEPT = ("scrapy.core.engine",)


def default_path(db_path: str | Path, log_dir: str | Path | None = None) -> Path:
    """`<log dir or the database's folder/logs>/bantin-<UTC time>.jsonl`, never an existing file."""
    folder = Path(log_dir) if log_dir else Path(db_path).resolve().parent / "logs"
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"bantin-{stamp}.jsonl"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"bantin-{stamp}-{n}.jsonl"
    return path


class JsonLinesHandler(logging.Handler):
    """Writes each record as one JSON line, flushed at once (a killed run keeps its log)."""

    def __init__(self, path: Path, site_hosts: dict[str, str] | None = None) -> None:
        super().__init__(logging.DEBUG)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.stream = path.open("a", encoding="utf-8")
        self.site_hosts = site_hosts or {}
        self.addFilter(_keep)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream.closed:  # a library's logging.config.dictConfig() closes every handler
                self.stream = self.path.open("a", encoding="utf-8")
            line = json.dumps(self.as_dict(record), ensure_ascii=False, default=str)
            self.stream.write(line + "\n")
            self.stream.flush()
        except Exception:
            self.handleError(record)

    def as_dict(self, record: logging.LogRecord) -> dict:
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            message += f" [{type(record.exc_info[1]).__name__}: {record.exc_info[1]}]"
        out = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
               "level": record.levelname, "logger": record.name, "message": message[:MAX_MESSAGE]}
        url, site = self._where(record, message)
        if site:
            out["site"] = site
        if url:
            out["url"] = url
        for key in ("event", "run_id", "status", "detail"):  # bantin's own records pass these as `extra`
            if hasattr(record, key):
                out[key] = getattr(record, key)
        return out

    def _where(self, record: logging.LogRecord, message: str) -> tuple[str | None, str | None]:
        """The request a record is about: a Request among its arguments, else the first URL it names."""
        url = getattr(record, "url", None)
        site = getattr(record, "site", None)
        args = record.args.values() if isinstance(record.args, dict) else (record.args or ())
        for arg in args:
            if isinstance(arg, Request):
                url = url or arg.url
                site = site or arg.meta.get("site_id")
                break
        if not url:
            found = _URL.search(message)
            url = found.group(0) if found else None
        if url and not site:
            site = self.site_hosts.get(urlsplit(url).netloc.lower())
        return url, site

    def close(self) -> None:
        try:
            self.stream.close()
        finally:
            super().close()


def _keep(record: logging.LogRecord) -> bool:
    return record.levelno > logging.DEBUG or record.name.startswith(_DEBUG_KEPT)


def site_hosts(sites: Iterable) -> dict[str, str]:
    """host -> site id, from each site's start URLs and other hosts, to name the site of a bare URL."""
    hosts: dict[str, str] = {}
    for site in sites:
        for url in [*getattr(site, "start_urls", []), getattr(site, "home_url", "")]:
            if url:
                hosts.setdefault(urlsplit(url).netloc.lower(), site.id)
        for host in getattr(site, "allowed_hosts", None) or ():
            hosts.setdefault(host.lower(), site.id)
    return hosts


@contextmanager
def attached(path: Path, sites: Iterable = ()) -> Iterator[JsonLinesHandler]:
    """The handler on the root logger for the block (every logger of the run propagates there)."""
    handler = JsonLinesHandler(path, site_hosts(sites))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        handler.close()
