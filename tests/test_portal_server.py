"""The demo-portal server: static files, query strings, postbacks, sidecar headers."""
from __future__ import annotations

import json
import unicodedata
import urllib.error
import urllib.request

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
    from scraper.pipelines import decode_html

    body = '<html><head><meta charset="utf-8"></head><body>Kiểm tra</body></html>'.encode()
    assert "Kiểm tra" in decode_html(body, "text/html; charset=windows-1252")
    latin = "<html><body>café</body></html>".encode("cp1252")
    assert "café" in decode_html(latin, "text/html; charset=windows-1252")
