"""A 503 or 429 with Retry-After slows its host for the rest of the run (scraper.politeness):
the page's retries wait that long, so do the host's other pages, and a host asking for longer
than BANTIN_MAX_RETRY_AFTER is not asked for that page again this run.

A real crawl of a generated commune portal on loopback; the server's request log shows what
was asked and when."""
from __future__ import annotations

import importlib.util
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest

from bantin.portal_server import PortalServer
from conftest import db_rows, run_bantin
from scraper.politeness import retry_after_seconds

FAULTS = Path(__file__).parent / "fixtures" / "faults"
CAP = 1.5  # BANTIN_MAX_RETRY_AFTER for the crawl
SOON, LATER, HEALTHY = "cho-mot-giay-4001.html", "cho-mot-gio-4002.html", "binh-thuong-4003.html"


def _faults_build():
    spec = importlib.util.spec_from_file_location("faults_build", FAULTS / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_retry_after_is_seconds_or_an_http_date():
    now = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds(" 5 ") == 5.0
    assert retry_after_seconds(format_datetime(now + timedelta(minutes=2), usegmt=True), now=now) == 120.0
    assert retry_after_seconds(format_datetime(now - timedelta(minutes=2), usegmt=True), now=now) == 0.0
    for unreadable in (None, b"", "soon", "-3", "1.5e9", "Thứ 7, 13/04/2024"):
        assert retry_after_seconds(unreadable, now=now) is None, unreadable


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """One commune portal: an article answering 503 Retry-After 1, one answering 503 Retry-After
    3600 (over the cap), one healthy; crawled with no delay of our own."""
    build = _faults_build()
    folder = tmp_path_factory.mktemp("retry-after")
    root = folder / "portals" / "tho-lai"
    build.write(root / "index.html", build.listing([]))
    build.write(root / build.LIST / "index.html", build.listing(
        [(SOON, "Bảo trì một giây"), (LATER, "Bảo trì một giờ"), (HEALTHY, "Họp giao ban tháng 4")]))
    build.write(root / build.LIST / SOON, build.article("Bảo trì một giây", "02/04/2024"),
                {"status": 503, "headers": {"Retry-After": "1"}})
    build.write(root / build.LIST / LATER, build.article("Bảo trì một giờ", "03/04/2024"),
                {"status": 503, "headers": {"Retry-After": "3600"}})
    build.write(root / build.LIST / HEALTHY, build.article("Họp giao ban tháng 4 năm 2024", "04/04/2024"))
    with PortalServer(folder / "portals", first_host=140) as server:
        base = server.base_urls["tho-lai"]
        registry = folder / "sites.toml"
        registry.write_text(f'[[site]]\nid = "tho-lai"\nname = "Cổng TTĐT xã Thử Nghiệm"\nunit = "xã Thử Nghiệm"\n'
                            f'province = "tỉnh Khánh Hòa"\nplatform = "commune-portal"\n'
                            f'start_urls = ["{base}{build.LIST}"]\n', encoding="utf-8")
        db_path = folder / "crawl.db"
        with pytest.MonkeyPatch.context() as env:
            env.setenv("BANTIN_MAX_RETRY_AFTER", str(CAP))
            result = run_bantin("crawl", "--registry", str(registry), "--db", str(db_path), "--delay", "0")
        requests = [(at, path) for at, site, method, path in server.requests if site == "tho-lai"]
    return {"result": result, "db": db_path, "requests": requests}


def _asked(crawl, page: str) -> list[float]:
    return [at for at, path in crawl["requests"] if path.endswith(page)]


def test_the_crawl_completes_and_the_healthy_article_is_stored(crawl):
    assert crawl["result"].returncode == 0, crawl["result"].stderr[-3000:]
    assert [r["url"].rsplit("/", 1)[1] for r in db_rows(crawl["db"], "SELECT url FROM articles")] == [HEALTHY]
    faults = {(r["url"].rsplit("/", 1)[1], r["kind"]) for r in db_rows(crawl["db"], "SELECT url, kind FROM crawl_errors")}
    assert faults == {(SOON, "http-503"), (LATER, "http-503")}


def test_retries_wait_what_the_host_asked(crawl):
    soon = _asked(crawl, SOON)
    assert len(soon) == 3  # asked, then Scrapy's 2 retries
    assert all(later - earlier >= 0.95 for earlier, later in zip(soon, soon[1:])), soon


def test_asked_to_wait_longer_than_the_cap_the_page_is_not_asked_again(crawl):
    assert len(_asked(crawl, LATER)) == 1


def test_the_whole_host_slows_down_after_a_retry_after(crawl):
    times = [at for at, _ in crawl["requests"]]
    first = min(_asked(crawl, SOON)[0], _asked(crawl, LATER)[0])
    # The delay is set when the 503 is downloaded, before Scrapy frees the host's slot: not one
    # request leaves without it.
    after = [at for at in times if at >= first]
    assert len(after) >= 4
    assert all(later - earlier >= 0.95 for earlier, later in zip(after, after[1:])), after


def test_one_request_at_a_time_per_host_even_with_no_delay(tmp_path):
    """Scrapy's downloader sends a host's queued requests all at once when the host has no delay
    (scraper/downloader.py); each answer here takes 0.3 s, so overlapping requests start closer."""
    build = _faults_build()
    root = tmp_path / "portals" / "tho-lai"
    names = [f"tin-{number}-{5000 + number}.html" for number in range(4)]
    build.write(root / "index.html", build.listing([]))
    build.write(root / build.LIST / "index.html", build.listing([(name, f"Tin số {name}") for name in names]))
    for number, name in enumerate(names):
        build.write(root / build.LIST / name, build.article(f"Họp giao ban tuần {number + 1}", f"0{number + 1}/04/2024"))
    with PortalServer(tmp_path / "portals", first_host=141, delay_seconds=0.3) as server:
        base = server.base_urls["tho-lai"]
        registry = tmp_path / "sites.toml"
        registry.write_text(f'[[site]]\nid = "tho-lai"\nname = "Cổng TTĐT xã Thử Nghiệm"\nunit = "xã Thử Nghiệm"\n'
                            f'province = "tỉnh Khánh Hòa"\nplatform = "commune-portal"\n'
                            f'start_urls = ["{base}{build.LIST}"]\n', encoding="utf-8")
        result = run_bantin("crawl", "--registry", str(registry), "--db", str(tmp_path / "crawl.db"), "--delay", "0")
        starts = [at for at, site, method, path in server.requests if site == "tho-lai"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(db_rows(tmp_path / "crawl.db", "SELECT id FROM articles")) == 4
    assert len(starts) >= 6  # robots.txt, the list, four articles
    assert all(later - earlier >= 0.29 for earlier, later in zip(starts, starts[1:])), starts
