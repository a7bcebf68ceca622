"""The fault matrix (issue 6 item 6): one real crawl over the fault fixture web
(tests/fixtures/faults/, see build.py there) next to a healthy demo site, then, fault by fault:
the crawl completed, the healthy site got every article, the fault is recorded with its kind,
and nothing partial is stored as complete."""
from __future__ import annotations

import datetime as dt
import json
import socket
import sqlite3
import ssl
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bantin.portal_server import DEMO_PORTALS, PortalServer
from conftest import run_bantin
from scraper import registry

FAULTS = Path(__file__).parent / "fixtures" / "faults"
HEALTHY = "xa-demo"
TIMEOUT = 2  # BANTIN_DOWNLOAD_TIMEOUT for the crawl: the hanging page costs 3 × this (2 retries)
LIST = "tin-tuc/hoat-dong-xa/"

# page of site loi-trang (or treo) -> the kind its fault is recorded as
PAGE_FAULTS = {
    "loi-500-1003.html": "http-500",
    "loi-503-1004.html": "http-503",
    "ngat-ket-noi-1005.html": "connection-reset",
    "cat-cut-1006.html": "truncated",
    "bom-gzip-1007.html": "too-large",
    "trang-50mb-1008.html": "too-large",
    "trang-lon-khong-bao-1009.html": "too-large",
    "khong-giai-ma-1013.html": "undecodable",
}


def _self_signed(folder: Path) -> ssl.SSLContext:
    """A certificate nobody vouches for, like many a .gov.vn portal's."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "xa-thu-nghiem.gov.vn")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2)).sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _registry(path: Path, sites: list[registry.Site]) -> Path:
    lines = []
    for s in sites:
        lines += ["[[site]]", f'id = "{s.id}"', f'name = "{s.name}"', f'unit = "{s.unit}"', f'province = "{s.province}"',
                  f'platform = "{s.platform}"', "start_urls = [" + ", ".join(f'"{u}"' for u in s.start_urls) + "]", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def crawl(tmp_path_factory, portal_server):
    folder = tmp_path_factory.mktemp("faults")
    healthy = [s for s in registry.load(DEMO_PORTALS / "sites.toml", base_urls=portal_server.base_urls)
               if s.id == HEALTHY]
    with PortalServer(FAULTS, first_host=100) as faults, \
            PortalServer(FAULTS, site_ids=["robots-404"], first_host=120, tls=_self_signed(folder)) as tls:
        sites = registry.load(FAULTS / "sites.toml", base_urls=faults.base_urls)
        tls_base = tls.base_urls["robots-404"]
        https = [replace(s, id="https-tu-ky", start_urls=(tls_base + LIST.rstrip("/"),), allowed_hosts=(urlsplit(tls_base).netloc,))
                 for s in sites if s.id == "robots-404"]
        off = registry.Site("tat-may", "Máy chủ tắt", "xã Thử Nghiệm", "tỉnh Khánh Hòa", "commune-portal",
                            (f"http://127.0.0.1:{_closed_port()}/{LIST}",))
        path = _registry(folder / "sites.toml", [*healthy, *sites, *https, off])
        db_path = folder / "faults.db"
        started = time.monotonic()
        with pytest.MonkeyPatch.context() as env:
            env.setenv("BANTIN_DOWNLOAD_TIMEOUT", str(TIMEOUT))
            result = run_bantin("crawl", "--registry", str(path), "--db", str(db_path), "--delay", "0", timeout=240)
        seconds = time.monotonic() - started
        bases = {**faults.base_urls, "https-tu-ky": tls.base_urls["robots-404"], "tat-may": off.home_url,
                 HEALTHY: portal_server.base_urls[HEALTHY]}
    return {"result": result, "db": db_path, "bases": bases, "seconds": seconds}


def _rows(db_path: Path, sql: str, params=()) -> list[dict]:
    con = sqlite3.connect(db_path)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params).fetchall()]
    finally:
        con.close()


def _url(crawl, site_id: str, page: str) -> str:
    return crawl["bases"][site_id] + LIST + page


def _site_row(crawl, site_id: str) -> dict:
    return _rows(crawl["db"], "SELECT * FROM crawl_run_sites WHERE site_id = ?", [site_id])[0]


def _nothing_stored(crawl, url: str) -> None:
    assert not _rows(crawl["db"], "SELECT 1 FROM articles WHERE url = ?", [url]), url
    assert not _rows(crawl["db"], "SELECT 1 FROM pages WHERE url = ? OR final_url = ?", [url, url]), url


def test_the_crawl_completes_and_the_hang_does_not_hold_it(crawl):
    result = crawl["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    run = _rows(crawl["db"], "SELECT * FROM crawl_runs")
    assert len(run) == 1 and run[0]["finished_at"] and run[0]["status"] == "errors"
    assert crawl["seconds"] < 60  # the hanging page cost its own host 3 × TIMEOUT, not the run


def test_a_healthy_site_in_the_same_run_gets_every_article(crawl):
    expected = {json.loads(p.read_text(encoding="utf-8"))["url_path"]
                for p in (DEMO_PORTALS / HEALTHY).rglob("*.expected.json")}
    stored = {"/" + r["url"].removeprefix(crawl["bases"][HEALTHY])
              for r in _rows(crawl["db"], "SELECT url FROM articles WHERE site_id = ?", [HEALTHY])}
    assert expected and stored == expected
    row = _site_row(crawl, HEALTHY)
    assert (row["status"], row["errors"], row["new_articles"]) == ("ok", 0, len(expected))


@pytest.mark.parametrize("page,kind", sorted(PAGE_FAULTS.items()))
def test_a_failed_page_is_recorded_by_kind_and_nothing_of_it_stored(crawl, page, kind):
    url = _url(crawl, "loi-trang", page)
    faults = _rows(crawl["db"], "SELECT site_id, kind FROM crawl_errors WHERE url = ?", [url])
    assert faults == [{"site_id": "loi-trang", "kind": kind}]
    _nothing_stored(crawl, url)


def test_a_redirect_loop_is_recorded_not_silently_dropped(crawl):
    loop = {_url(crawl, "loi-trang", f"chuyen-huong-vong-{n}.html") for n in (1010, 1011)}
    faults = _rows(crawl["db"], "SELECT url, kind FROM crawl_errors WHERE url LIKE '%chuyen-huong-vong%'")
    assert [f["kind"] for f in faults] == ["redirect-loop"] and faults[0]["url"] in loop
    for url in loop:
        _nothing_stored(crawl, url)


def test_a_page_that_never_answers_times_out_and_its_site_goes_on(crawl):
    url = _url(crawl, "treo", "treo-2002.html")
    assert _rows(crawl["db"], "SELECT kind FROM crawl_errors WHERE url = ?", [url]) == [{"kind": "timeout"}]
    _nothing_stored(crawl, url)
    stored = [r["url"] for r in _rows(crawl["db"], "SELECT url FROM articles WHERE site_id = 'treo'")]
    assert stored == [_url(crawl, "treo", "binh-thuong-2001.html")]
    assert _site_row(crawl, "treo")["status"] == "errors"


def test_a_page_whose_extraction_raises_is_kept_with_its_error_and_no_article(crawl):
    url = _url(crawl, "loi-trang", "long-sau-1012.html")
    pages = _rows(crawl["db"], "SELECT error FROM pages WHERE url = ?", [url])
    assert len(pages) == 1 and pages[0]["error"].startswith("PageTooDeep: elements nested")
    assert _rows(crawl["db"], "SELECT kind FROM crawl_errors WHERE url = ?", [url]) == [{"kind": "extraction-error"}]
    assert not _rows(crawl["db"], "SELECT 1 FROM articles WHERE url = ?", [url])


@pytest.mark.parametrize("page,title", [
    ("binh-thuong-1001.html", "Hội nghị triển khai cải cách hành chính năm 2024"),  # the control
    ("tra-loi-cham-1002.html", "Bài trả lời chậm nhưng đủ"),  # slow, within the timeout
    ("noi-doi-latin-1014.html", "Hội nghị tổng kết công tác dân vận năm 2023"),  # says windows-1252, is UTF-8
    ("noi-doi-utf8-1015.html", "Hội nghị sơ kết công tác quốc phòng địa phương"),  # says utf-8, is windows-1258
])
def test_slow_and_lying_pages_are_stored_whole_and_right(crawl, page, title):
    url = _url(crawl, "loi-trang", page)
    rows = _rows(crawl["db"], "SELECT title, text FROM articles WHERE url = ?", [url])
    assert [r["title"] for r in rows] == [title]
    assert rows[0]["text"].startswith(title) and "\ufffd" not in rows[0]["text"]
    assert not _rows(crawl["db"], "SELECT 1 FROM crawl_errors WHERE url = ?", [url])


def test_a_site_with_faults_says_so_and_counts_each(crawl):
    row = _site_row(crawl, "loi-trang")
    recorded = _rows(crawl["db"], "SELECT count(*) AS n FROM crawl_errors WHERE site_id = 'loi-trang'")[0]["n"]
    assert row["status"] == "errors" and row["errors"] == recorded == len(PAGE_FAULTS) + 2  # + loop, extraction
    assert row["new_articles"] == 4


@pytest.mark.parametrize("site_id,why", [("robots-503", "robots.txt answered 503"),
                                         ("tat-may", "robots.txt unreachable: DownloadConnectionRefusedError")])
def test_robots_txt_unavailable_means_nothing_from_that_host(crawl, site_id, why):
    host = crawl["bases"][site_id]
    assert not _rows(crawl["db"], "SELECT 1 FROM pages WHERE url LIKE ?", [host + "%"])
    faults = _rows(crawl["db"], "SELECT kind, url, detail FROM crawl_errors WHERE site_id = ?", [site_id])
    assert [(f["kind"], f["url"]) for f in faults] == [("robots-unavailable", host + "robots.txt")]
    assert faults[0]["detail"].startswith(why)
    assert (_site_row(crawl, site_id)["status"], _site_row(crawl, site_id)["pages"]) == ("robots-unavailable", 0)


@pytest.mark.parametrize("site_id", ["robots-404", "robots-vong", "https-tu-ky"])
def test_robots_txt_missing_or_looping_allows_all_and_tls_is_not_verified(crawl, site_id):
    """404: no rules (RFC 9309 §2.3.1.3); a redirect loop: unavailable, likewise (§2.3.1.2);
    a self-signed certificate: crawled anyway (DOWNLOAD_VERIFY_CERTIFICATES = False)."""
    rows = _rows(crawl["db"], "SELECT url FROM articles WHERE site_id = ?", [site_id])
    assert [r["url"] for r in rows] == [_url(crawl, site_id, "bai-3001.html")]
    row = _site_row(crawl, site_id)
    assert (row["status"], row["errors"], row["pages"]) == ("ok", 0, 2)  # robots.txt is not a page of the site
    assert not _rows(crawl["db"], "SELECT 1 FROM pages WHERE url LIKE '%robots.txt'")


def test_an_infinite_calendar_stops_at_the_list_page_limit(crawl):
    from scraper import settings

    lists = _rows(crawl["db"], "SELECT url FROM pages WHERE site_id = 'lich' AND kind = 'list'")
    assert len(lists) == settings.BANTIN_MAX_LIST_PAGES
    assert {r["url"] for r in lists} >= {crawl["bases"]["lich"] + "lich-cong-tac",
                                         crawl["bases"]["lich"] + f"lich-cong-tac?page={settings.BANTIN_MAX_LIST_PAGES}"}
    assert _site_row(crawl, "lich")["list_pages"] == settings.BANTIN_MAX_LIST_PAGES
