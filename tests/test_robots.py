"""robots.txt by RFC 9309 (scraper/robots.py): what each answer means, and in a real crawl,
Disallow obeyed without counting as a fault and Crawl-delay honoured up to its cap.
The 503, unreachable, 404 and looping cases run in the fault matrix (test_faults.py)."""
from __future__ import annotations

import importlib.util
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import Request, TextResponse

from bantin.portal_server import PortalServer
from conftest import run_bantin
from scraper import robots, settings
from scraper.runs import fault_kind

BUILD = Path(__file__).parent / "fixtures" / "faults" / "build.py"
UA = settings.USER_AGENT


def _build_module():
    spec = importlib.util.spec_from_file_location("faults_build", BUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("status,verdict", [
    (200, robots.OBEY), (204, robots.OBEY), (401, robots.ALLOW_ALL), (403, robots.ALLOW_ALL),
    (404, robots.ALLOW_ALL), (410, robots.ALLOW_ALL), (429, robots.ALLOW_ALL), (500, robots.DISALLOW_ALL),
    (503, robots.DISALLOW_ALL), (302, robots.DISALLOW_ALL)])
def test_what_each_status_means(status, verdict):
    assert robots.verdict_for_status(status) == verdict


def _response(status: int, text: str) -> TextResponse:
    return TextResponse("http://xa.gov.vn/robots.txt", status=status, body=text.encode(), encoding="utf-8",
                        request=Request("http://xa.gov.vn/robots.txt"))


def test_a_2xx_file_is_obeyed_with_our_group_and_its_crawl_delay():
    rules = robots.rules_from_response(_response(200, "User-agent: *\nDisallow: /\n\n"
                                                      "User-agent: bantin\nDisallow: /quan-tri/\nCrawl-delay: 4\n"), UA)
    assert rules.allows("http://xa.gov.vn/tin-tuc/a-1.html", UA)
    assert not rules.allows("http://xa.gov.vn/quan-tri/x", UA)
    assert not rules.allows("http://xa.gov.vn/tin-tuc/a-1.html", "OtherBot/1.0")
    assert rules.crawl_delay == 4


def test_a_5xx_file_forbids_everything_and_a_4xx_file_nothing():
    assert not robots.rules_from_response(_response(503, "User-agent: *\nAllow: /\n"), UA).allows("http://xa.gov.vn/", UA)
    assert robots.rules_from_response(_response(404, "User-agent: *\nDisallow: /\n"), UA).allows("http://xa.gov.vn/", UA)


@pytest.mark.parametrize("exc,allowed", [
    (DownloadTimeoutError("took longer than 30 seconds"), False),
    (ConnectionRefusedError("refused"), False),
    (IgnoreRequest("max redirections reached"), True),  # RFC 9309 §2.3.1.2: more than 5 redirects = unavailable
    (IgnoreRequest("redirect loop: /robots.txt -> /robots.txt"), True),
])
def test_a_file_that_cannot_be_fetched(exc, allowed):
    rules = robots.rules_from_error("http://xa.gov.vn/robots.txt", exc)
    assert rules.allows("http://xa.gov.vn/tin-tuc/a-1.html", UA) is allowed


def test_the_drop_messages_are_robots_disallowed():
    assert fault_kind(IgnoreRequest("Forbidden by robots.txt")) == "robots-disallowed"
    assert fault_kind(IgnoreRequest("robots.txt unavailable (robots.txt answered 503): nothing fetched")) == \
        "robots-disallowed"


@pytest.fixture(scope="module")
def slow_site(tmp_path_factory):
    """A commune portal whose robots.txt forbids one article and asks for Crawl-delay 1.5."""
    build = _build_module()
    root = tmp_path_factory.mktemp("robots") / "portals"
    site = root / "cham"
    names = [f"bai-{n}.html" for n in (4001, 4002, 4003)] + ["cam-4004.html"]
    build.write(site / "index.html", build.listing([]))
    build.write(site / build.LIST / "index.html", build.listing([(n, n) for n in names]))
    for n in names:
        build.write(site / build.LIST / n, build.article(f"Bài {n}", "01/03/2024"))
    build.write(site / "robots.txt", f"User-agent: *\nDisallow: /\n\nUser-agent: bantin\n"
                                     f"Disallow: /{build.LIST}/cam-\nCrawl-delay: 1.5\n")
    with PortalServer(root, first_host=140) as server:
        yield server.base_urls["cham"] + build.LIST, root


def _crawl(tmp_path: Path, start: str, delay: str = "0", **env: str) -> Path:
    registry = tmp_path / "sites.toml"
    registry.write_text(f'[[site]]\nid = "cham"\nname = "Xã chậm"\nplatform = "commune-portal"\n'
                        f'start_urls = ["{start}"]\n', encoding="utf-8")
    db_path = tmp_path / "cham.db"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        result = run_bantin("crawl", "--registry", str(registry), "--db", str(db_path), "--delay", delay)
    assert result.returncode == 0, result.stderr[-3000:]
    return db_path


def _fetch_times(db_path: Path) -> tuple[list[str], float]:
    con = sqlite3.connect(db_path)
    try:
        rows = con.execute("SELECT url, fetched_at FROM pages ORDER BY fetched_at").fetchall()
        assert not con.execute("SELECT * FROM crawl_errors").fetchall()  # a Disallow is no fault of the site
        status = con.execute("SELECT status, pages FROM crawl_run_sites").fetchone()
    finally:
        con.close()
    assert status == ("ok", len(rows))
    times = [datetime.fromisoformat(at) for _, at in rows]
    return [url for url, _ in rows], (times[-1] - times[0]).total_seconds()


def test_disallow_and_crawl_delay_are_obeyed_under_autothrottle(tmp_path, slow_site):
    """A --delay above 0 keeps AutoThrottle on; it would shrink the delay towards the loopback's
    latency (2 s, 1, 0.5, …) if the Crawl-delay were not a floor under it."""
    start, _ = slow_site
    urls, span = _fetch_times(_crawl(tmp_path, start, delay="0.1"))
    assert len(urls) == 4 and not [u for u in urls if "cam-" in u]  # the list and three articles
    assert span >= 4  # three gaps of 1.5 s (fetched_at has whole seconds); AutoThrottle alone: about 2


def test_crawl_delay_is_capped(tmp_path, slow_site):
    start, _ = slow_site
    urls, span = _fetch_times(_crawl(tmp_path, start, BANTIN_MAX_CRAWL_DELAY="0.1"))
    assert len(urls) == 4 and span < 2
