"""Serve the bundled demo portals on loopback, one address per site.

Each site directory is a document root. A query string maps to a file with the
query after '@' (`/tin-tuc?page=2` -> `tin-tuc@page=2`), and an ASP.NET postback
(a form POST) to the file with `@post@` and its `__EVENTARGUMENT`
(`Pages/tin-tuc.aspx@post@Page$2`), so paginated portals stay plain static files.
A sidecar `FILE.headers.json` ({"status": 301, "headers": {...}}) sets the status and
headers of FILE (a wrong charset, a redirect); it may stand alone, without FILE. Each site gets its own loopback address (127.0.0.2,
127.0.0.3, …) so per-host throttling and host checks behave as on the internet.

A sidecar may also name a `"fault"`, for the fault matrix of the crawler's tests (FAULTS):
"hang" (never answer), "slow" (trickle the body over "seconds"), "reset" (RST instead of an
answer), "truncate" (Content-Length larger than what is sent), "gzip-bomb" (a small gzip body
inflating to "size" bytes), "huge" (stream "size" bytes, announced or not), and
"infinite-calendar" (FILE answers every query string, "{page}" and "{next}" in it replaced by
the query's `page` and the one after, so its "next" link never ends).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import socket
import ssl
import struct
import mimetypes
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

DEMO_PORTALS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "portals"
DEMO_PORT = 8471


def _content_type(path: Path) -> str:
    if path.suffix in ("", ".html", ".htm", ".aspx", ".asp", ".php", ".jsp") or "@" in path.name:
        return "text/html; charset=utf-8"
    if path.suffix in (".xml", ".rss"):
        return "application/xml; charset=utf-8"
    guessed, _ = mimetypes.guess_type(path.name)
    if guessed == "text/plain":
        return "text/plain; charset=utf-8"
    return guessed or "application/octet-stream"


_HIDDEN = (".headers.json", ".expected.json")
FAULTS = ("hang", "slow", "reset", "truncate", "gzip-bomb", "huge", "infinite-calendar")
HUGE_SIZE = 50 * 1024 * 1024
BOMB_SIZE = 20 * 1024 * 1024


def resolve(root: Path, raw_path: str, postback: str | None = None) -> Path | None:
    """The file a request names (it may exist only as its .headers.json), never outside `root`."""
    parts = urlsplit(raw_path)
    rel = unquote(parts.path).lstrip("/")
    if parts.query:
        rel = f"{rel}@{unquote(parts.query)}"
    if postback is not None:
        rel = f"{rel}@post@{postback}"
    if rel.endswith(_HIDDEN):
        return None
    target = (root / rel).resolve()
    if root.resolve() not in (target, *target.parents):
        return None
    if parts.query:  # every query of an infinite calendar is a page of it
        base = target.with_name(target.name.split("@")[0])
        base = base / "index.html" if base.is_dir() else base
        if _fault(base) == "infinite-calendar":
            return base
    if target.is_dir():
        target = target / "index.html"
    try:
        if target.is_file() or _sidecar(target).is_file():
            return target
    except OSError:  # a query too long for a file name (ENAMETOOLONG): no such page
        return None
    return None


def _validators(target: Path, body: bytes) -> dict[str, str]:
    """ETag and Last-Modified of a file, so crawlers can ask "changed since?" as of real servers."""
    if not target.is_file():
        return {}
    return {"ETag": '"' + hashlib.sha1(body).hexdigest()[:16] + '"',
            "Last-Modified": formatdate(target.stat().st_mtime, usegmt=True)}


def _sidecar(target: Path) -> Path:
    return target.with_name(target.name + ".headers.json")


def _fault(target: Path) -> str | None:
    try:
        return json.loads(_sidecar(target).read_text(encoding="utf-8")).get("fault")
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=4)
def _bomb(size: int) -> bytes:
    """`size` bytes of spaces in a gzip body a thousand times smaller."""
    return gzip.compress(b"<html><body>" + b" " * size, compresslevel=9)


def _calendar_page(body: bytes, query: str) -> bytes:
    page = int((parse_qs(query).get("page") or ["1"])[0] or 1)
    return body.replace(b"{page}", str(page).encode()).replace(b"{next}", str(page + 1).encode())


class _Handler(BaseHTTPRequestHandler):
    root: Path
    delay_seconds: float = 0.0  # a slow server: every answer waits this long (crash and timeout tests)
    stopping: threading.Event  # set when the server stops, so hanging answers end
    site_id: str
    requests: list  # the server's log, shared by its sites: (time.monotonic(), site id, method, path)
    server_version = "bantin-demo/0.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve(include_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(include_body=False)

    def do_POST(self) -> None:  # noqa: N802 (an ASP.NET postback: the page asked for sits in the form)
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(min(length, 1_000_000)).decode("utf-8", "replace")))
        self._serve(include_body=True, postback=form.get("__EVENTARGUMENT", ""))

    def _serve(self, include_body: bool, postback: str | None = None) -> None:
        self.requests.append((time.monotonic(), self.site_id, self.command, self.path))
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        target = resolve(self.root, self.path, postback)
        if target is None:
            body = b"<html><body><h1>404</h1><p>Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y trang.</p></body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            body = target.read_bytes() if target.is_file() else b""
            sidecar = json.loads(_sidecar(target).read_text(encoding="utf-8")) if _sidecar(target).is_file() else {}
            headers = {"Content-Type": _content_type(target), **_validators(target, body), **sidecar.get("headers", {})}
            status = int(sidecar.get("status", 200))
            if sidecar.get("fault") == "infinite-calendar":
                body = _calendar_page(body, urlsplit(self.path).query)
            elif sidecar.get("fault"):
                self._serve_fault(sidecar, status, headers, body)
                return
            if status == 200 and self._not_modified(headers):
                status, body = 304, b""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if include_body:
            self.wfile.write(body)

    def _serve_fault(self, sidecar: dict, status: int, headers: dict[str, str], body: bytes) -> None:
        """Misbehave as the sidecar says (see FAULTS); the connection is closed afterwards."""
        fault, seconds = sidecar["fault"], float(sidecar.get("seconds", 1.0))
        self.close_connection = True
        if fault == "hang":
            self.stopping.wait(float(sidecar.get("seconds", 300)))
            return
        if fault == "reset":  # SO_LINGER 0: close() sends RST, the client sees "connection reset"
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        if fault == "gzip-bomb":
            body, headers = _bomb(int(sidecar.get("size", BOMB_SIZE))), {**headers, "Content-Encoding": "gzip"}
        if fault == "huge":
            self._stream(status, headers, int(sidecar.get("size", HUGE_SIZE)), sidecar.get("announce", True))
            return
        declared = len(body) * 2 + 100 if fault == "truncate" else len(body)
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(declared)}.items():
            self.send_header(name, value)
        self.end_headers()
        if fault == "truncate":
            body = body[:len(body) // 2]
        chunks = [body[i:i + 1024] for i in range(0, len(body), 1024)] if fault == "slow" else [body]
        for chunk in chunks:
            if fault == "slow":  # each piece late, the whole body `seconds` late
                time.sleep(seconds / len(chunks))
            self.wfile.write(chunk)
            self.wfile.flush()

    def _stream(self, status: int, headers: dict[str, str], size: int, announce: bool) -> None:
        """`size` bytes of a page made up on the fly (nothing that large is kept on disk), until
        the client hangs up; unannounced, the body ends when the connection closes (HTTP/1.0)."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if announce:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        filler = b"<p>" + "Tin tức ".encode() * 8000 + b"</p>\n"
        sent = 0
        try:
            while sent < size:
                chunk = filler[:size - sent]
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
            pass

    def _not_modified(self, headers: dict[str, str]) -> bool:
        """A conditional GET whose validators still hold (RFC 9110: If-None-Match wins)."""
        if self.command != "GET":
            return False
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            return headers.get("ETag") in [t.strip() for t in tags.split(",")] or tags.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        try:
            return bool(since) and parsedate_to_datetime(since) >= parsedate_to_datetime(headers["Last-Modified"])
        except (TypeError, ValueError, KeyError):
            return False

    def log_message(self, format: str, *args) -> None:  # quiet: the crawler logs what matters
        pass


@dataclass
class ServedSite:
    site_id: str
    base_url: str
    server: ThreadingHTTPServer


class PortalServer:
    """Start with `with PortalServer(root) as server: server.base_urls[site_id]`."""

    def __init__(self, root: Path = DEMO_PORTALS, site_ids: list[str] | None = None, port: int = 0,
                 delay_seconds: float = 0.0, first_host: int = 2, tls: ssl.SSLContext | None = None):
        """`port` 0 picks free ports (tests); a fixed port keeps the demo's URLs, and so the
        identity of its articles in the database, the same from one run to the next.
        `delay_seconds` makes every answer wait, so a crawl is still running seconds later.
        `first_host` is the last byte of the first site's address (127.0.0.N), so two servers
        running at once give their sites different hosts; `tls` serves HTTPS with that context."""
        self.root = Path(root)
        self.port = port
        self.delay_seconds = delay_seconds
        self.first_host = first_host
        self.tls = tls
        self.stopping = threading.Event()
        if not self.root.is_dir():
            raise FileNotFoundError(f"demo portals not found at {self.root}")
        self.site_ids = site_ids or sorted(p.name for p in self.root.iterdir() if p.is_dir() and (p / "index.html").exists())
        self.sites: list[ServedSite] = []
        self._threads: list[threading.Thread] = []
        self.requests: list[tuple[float, str, str, str]] = []  # (time.monotonic(), site id, method, path)

    @property
    def base_urls(self) -> dict[str, str]:
        return {s.site_id: s.base_url for s in self.sites}

    def start(self) -> "PortalServer":
        self.stopping.clear()
        for number, site_id in enumerate(self.site_ids, start=self.first_host):
            handler = type(f"Handler_{number}", (_Handler,), {"root": self.root / site_id, "stopping": self.stopping,
                                                              "delay_seconds": self.delay_seconds,
                                                              "site_id": site_id, "requests": self.requests})
            server = self._bind(number, handler, self.port)
            if self.tls is not None:
                server.socket = self.tls.wrap_socket(server.socket, server_side=True)
            host, port = server.server_address[:2]
            scheme = "https" if self.tls is not None else "http"
            self.sites.append(ServedSite(site_id, f"{scheme}://{host}:{port}/", server))
            thread = threading.Thread(target=server.serve_forever, name=f"portal-{site_id}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    @staticmethod
    def _bind(number: int, handler, port: int) -> ThreadingHTTPServer:
        attempts = [(f"127.0.0.{number}", port), ("127.0.0.1", port + number if port else 0)]
        if port:
            attempts.append((f"127.0.0.{number}", 0))  # the fixed port is taken: any free one
        for address in attempts:
            try:
                return ThreadingHTTPServer(address, handler)
            except OSError:  # address not configured (macOS has only 127.0.0.1) or port in use
                continue
        raise OSError(f"cannot bind a loopback address for demo site #{number}")

    def stop(self) -> None:
        self.stopping.set()
        for site in self.sites:
            site.server.shutdown()
            site.server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self.sites.clear()
        self._threads.clear()

    def __enter__(self) -> "PortalServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
