"""The demo-portal server: static files, query strings, postbacks, sidecar headers."""
from __future__ import annotations

import gzip
import json
import re
import socket
import time
import unicodedata
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from bantin.portal_server import PortalServer

PAGE_1258 = unicodedata.normalize("NFD", "<html>Xã Hòa Phú</html>").encode("cp1258")


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "portals"
    home = root / "demo"
    (home / "tin").mkdir(parents=True)
    (home / "index.html").write_text("<html>home</html>", encoding="utf-8")
    (home / "tin@page=2").write_text("<html>trang 2</html>", encoding="utf-8")
    (home / "list.aspx@post@Page$2").write_text("<html>postback 2</html>", encoding="utf-8")
    (home / "tin" / "a-1.html").write_bytes(PAGE_1258)
    (home / "tin" / "a-1.html.headers.json").write_text(json.dumps({"headers": {"Content-Type": "text/html; charset=windows-1252"}}))
    (home / "cu.html.headers.json").write_text(json.dumps({"status": 301, "headers": {"Location": "/tin/a-1.html"}}))
    with PortalServer(root) as server:
        yield server.base_urls["demo"]


def _get(url, data=None):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None
    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(urllib.request.Request(url, data=data), timeout=5)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    return response.status, dict(response.headers), response.read()


def test_files_queries_and_postbacks(site):
    assert _get(site)[2] == b"<html>home</html>"
    assert _get(site + "tin?page=2")[2] == "<html>trang 2</html>".encode()
    assert _get(site + "list.aspx", data=b"__EVENTTARGET=x&__EVENTARGUMENT=Page%242")[2] == b"<html>postback 2</html>"


def test_sidecar_headers_lie_about_charset_and_redirect(site):
    status, headers, body = _get(site + "tin/a-1.html")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=windows-1252"
    assert body == PAGE_1258
    status, headers, _ = _get(site + "cu.html")
    assert status == 301 and headers["Location"] == "/tin/a-1.html"


def test_missing_hidden_and_escaping_paths_are_404(site):
    for path in ("nope.html", "tin/a-1.html.headers.json", "../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd"):
        assert _get(site + path)[0] == 404, path


def test_a_latin_header_loses_to_a_utf8_page():
    from scraper.reading import decode_html

    body = '<html><head><meta charset="utf-8"></head><body>Kiểm tra</body></html>'.encode()
    assert "Kiểm tra" in decode_html(body, "text/html; charset=windows-1252")
    latin = "<html><body>café</body></html>".encode("cp1252")
    assert "café" in decode_html(latin, "text/html; charset=windows-1252")


# --- fault behaviours (sidecar "fault"), the fixture server's side of tests/test_faults.py ---

@pytest.fixture
def faulty(tmp_path):
    home = tmp_path / "portals" / "loi"
    home.mkdir(parents=True)
    (home / "index.html").write_text("<html>home</html>", encoding="utf-8")
    pages = {"cat.html": {"fault": "truncate"}, "ngat.html": {"fault": "reset"}, "treo.html": {"fault": "hang"},
             "bom.html": {"fault": "gzip-bomb", "size": 5_000_000}, "lon.html": {"fault": "huge", "announce": False},
             "lich.html": {"fault": "infinite-calendar"}, "cham.html": {"fault": "slow", "seconds": 0.5}}
    for name, sidecar in pages.items():
        (home / name).write_text('<html><a href="?page={next}">Tuần {page}</a></html>', encoding="utf-8")
        (home / f"{name}.headers.json").write_text(json.dumps(sidecar))
    with PortalServer(tmp_path / "portals", first_host=160) as server:
        yield urlsplit(server.base_urls["loi"])


def _raw(base, path: str, read: int = 1 << 20, timeout: float = 5) -> bytes:
    """The bytes the server sends for GET path (headers too), as much as `read`, until it closes."""
    with socket.create_connection((base.hostname, base.port), timeout=timeout) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        data = b""
        while len(data) < read:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


def test_truncate_promises_more_than_it_sends(faulty):
    head, _, body = _raw(faulty, "/cat.html").partition(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    assert 0 < len(body) < length


def test_reset_and_hang(faulty):
    with pytest.raises(ConnectionResetError):
        _raw(faulty, "/ngat.html")
    with pytest.raises(socket.timeout):
        _raw(faulty, "/treo.html", timeout=0.5)


def test_gzip_bomb_is_small_and_inflates_past_its_size(faulty):
    head, _, body = _raw(faulty, "/bom.html").partition(b"\r\n\r\n")
    assert b"Content-Encoding: gzip" in head and len(body) < 50_000
    assert len(gzip.decompress(body)) > 5_000_000


def test_huge_streams_without_length_until_the_client_leaves(faulty):
    data = _raw(faulty, "/lon.html", read=3 << 20)
    head = data.partition(b"\r\n\r\n")[0]
    assert b"Content-Length" not in head and len(data) >= 3 << 20


def test_infinite_calendar_answers_every_page(faulty):
    assert _get(f"{faulty.geturl()}lich.html?page=41")[2] == '<html><a href="?page=42">Tuần 41</a></html>'.encode()
    assert b"?page=2" in _get(f"{faulty.geturl()}lich.html")[2]


def test_slow_answers_in_time_but_late(faulty):
    started = time.monotonic()
    assert _get(f"{faulty.geturl()}cham.html")[0] == 200
    assert time.monotonic() - started >= 0.4
