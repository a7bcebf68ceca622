"""The crawl at scale: bantin's real crawl of a 10,000-article portal beside a bare Scrapy spider.

A NukeViet 4 portal of a real commune is generated into a temporary folder with the same
renderer as the demo fixture site (tests/fixtures/portals/build.py): C categories, each with
its own paginated list (`/page-N/`, `<link rel="next">`), and N article pages whose bulletin
text comes from the synthetic vocabulary of bench_db.py (invented officials, real units).
It is served on loopback, and two crawls run one after the other, each in its own process
so that its peak RSS is its own:

- bantin: `bantin.crawl.run_crawl` with throttling off, exactly what `bantin crawl --delay 0`
  runs: PortalSpider and StorePipeline fetch and store every page raw (compressed, hashed,
  with run records and the extraction queue); when fetching ends, the extraction pass
  (scraper.extraction: articles, facts, people, full-text index) runs in worker processes,
  one per core;
- bare: a minimal `scrapy.Spider` following the same list pages and article links with the
  same download settings (robots.txt, concurrency, no delay) and storing nothing; run twice,
  with Scrapy's default CONCURRENT_ITEMS (the baseline) and with bantin's, which is not a
  download setting but makes Scrapy start fewer asyncio tasks per response for any spider.

Two rates for bantin, both against the bare spider's: the crawl (responses received / the
seconds from the pipeline's opening to the end of fetching, `bantin/fetch_seconds`) and the
whole run with its extraction pass (responses / Scrapy's elapsed time, which includes the
pass). The bare rate is responses / Scrapy's elapsed time. Peak RSS = the crawl process's
VmHWM; the extraction workers' largest VmHWM is printed beside it (they run after the
fetching, so both peaks never add up unless the run overlaps them). Targets (issue 6): bantin
at least 0.6 of the bare rate, peak RSS at most 400 MB. A benchmark, not a test: it asserts
nothing.

    python benchmarks/bench_crawl.py [--articles 10000] [--server fast|portal|both] [--profile FILE]
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import inspect
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import describe  # noqa: E402

TARGET_RATIO, TARGET_RSS_MB = 0.6, 400.0
SITE_ID = "bench-nukeviet"
CATEGORIES = (("hoat-dong-chinh-quyen", "Hoạt động chính quyền"), ("tin-tuc-su-kien", "Tin tức - Sự kiện"),
              ("cai-cach-hanh-chinh", "Cải cách hành chính"), ("chuyen-doi-so", "Chuyển đổi số"),
              ("nong-thon-moi", "Xây dựng nông thôn mới"), ("quoc-phong-an-ninh", "Quốc phòng - An ninh"),
              ("van-hoa-xa-hoi", "Văn hóa - Xã hội"), ("kinh-te", "Kinh tế"),
              ("y-te-giao-duc", "Y tế - Giáo dục"), ("thong-bao", "Thông báo"))

# ---------------------------------------------------------------- the site


def _load_module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _slug(text: str) -> str:
    from extract.text import fold
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower().replace("đ", "d")).strip("-")[:80]


@dataclass
class GeneratedSite:
    root: Path  # document root of the one site
    unit: str
    province: str
    name: str
    start_paths: list[str]
    articles: int
    list_pages: int


def _article_dict(item, number: int, rng: random.Random) -> dict:
    """A bench_db item in the shape build.py renders: summary paragraph, body paragraphs."""
    lines = item.article.text.split("\n")
    published = item.article.published.replace(second=0, microsecond=0)
    return {"id": 10_000 + number, "alias": _slug(item.article.title), "title": item.article.title,
            "published": published.isoformat(), "modified": published.isoformat(),
            "author": rng.choice(("Minh Tâm", "Thu Hà", "Quang Huy", "Bảo Ngọc", "Văn Phúc", None)),
            "source": "Văn phòng HĐND và UBND", "views": rng.randrange(20, 900), "comments": 0,
            "summary": lines[0], "paragraphs": lines[1:] or [lines[0]],
            "facts": {"events": [], "officials": [], "units": [], "rankings": [], "documents": []}}


def generate_site(folder: Path, articles: int, categories: int, per_page: int, seed: int = 6) -> GeneratedSite:
    """Render the portal with the fixture renderer; ~15 KiB an article page, like the demo."""
    from benchmarks import bench_db
    portals = ROOT / "tests" / "fixtures" / "portals"
    if str(portals) not in sys.path:
        sys.path.insert(0, str(portals))  # build.py imports its helpers (fixturekit) from there
    build = _load_module("nv_build", portals / "build.py")
    rng = random.Random(seed)
    commune = bench_db.make_sites(rng, 1)[0]
    unit, province = commune.unit.full_name, commune.province
    demo = json.loads((ROOT / "tests/fixtures/portals/src/nukeviet-demo.json").read_text(encoding="utf-8"))["site"]
    base = {**demo, "id": SITE_ID, "name": f"Cổng thông tin điện tử {unit}", "unit": unit, "province": province,
            "owner": f"Ủy ban nhân dân {unit}", "description": f"Thông tin chỉ đạo, điều hành của UBND {unit}",
            "address": f"Trụ sở UBND {unit}, {commune.district}, {province}", "per_page": per_page,
            "responsible": f"Ông {commune.people[1][0]} - Chủ tịch UBND {commune.unit.level}"}
    files: dict[str, str | bytes] = {}
    pages = [_article_dict(bench_db.make_item(rng, n, commune), n, rng) for n in range(articles)]
    shares = [pages[i::categories] for i in range(categories)]
    for (alias, title), share in zip(CATEGORIES[:categories], shares):
        site = {**base, "category": {"alias": alias, "title": title}}
        rendered = build.build_nukeviet(site, build.newest_first(share))
        files.update({k: v for k, v in rendered.items() if not k.endswith(".json")})
    root = folder / SITE_ID
    build.write_site(root, files)
    lists = sum(-(-len(s) // per_page) for s in shares)
    return GeneratedSite(root, unit, province, base["name"], [f"/vi/news/{a}/" for a, _ in CATEGORIES[:categories]],
                         articles, lists)


# ---------------------------------------------------------------- servers


class FastServer:
    """A keep-alive asyncio HTTP/1.1 server over the same files and URL mapping as PortalServer
    (its `resolve`), for when PortalServer (a thread and a connection per request) is what
    limits both crawls."""

    def __init__(self, root: Path, host: str = "127.0.0.2") -> None:
        self.root, self.host = root, host
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._thread = threading.Thread(target=self.loop.run_forever, name="fast-server", daemon=True)

    def __enter__(self) -> "FastServer":
        server = None
        for host in (self.host, "127.0.0.1"):
            try:
                server = self.loop.run_until_complete(asyncio.start_server(self._client, host, 0))
                self.host = host
                break
            except OSError:
                continue
        self.server = server
        self.port = server.sockets[0].getsockname()[1]
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        from bantin.portal_server import _content_type, resolve
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
                found = resolve(self.root, target)
                body = found.read_bytes() if found is not None and found.is_file() else b"not found"
                status = "200 OK" if found is not None and found.is_file() else "404 Not Found"
                kind = _content_type(found) if found is not None else "text/plain"
                writer.write(f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
                             f"Connection: keep-alive\r\n\r\n".encode("latin-1"))
                if method != "HEAD":
                    writer.write(body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@contextmanager
def serving(kind: str, root: Path) -> Iterator[str]:
    """The site's base URL while `kind` ('fast' or 'portal') serves it."""
    if kind == "fast":
        with FastServer(root) as fast:
            yield fast.base_url
        return
    from bantin.portal_server import PortalServer
    with PortalServer(root.parent, site_ids=[root.name]) as portal:
        yield portal.base_urls[root.name]


def write_registry(path: Path, site: GeneratedSite, base_url: str) -> Path:
    starts = ", ".join(f'"{base_url.rstrip("/")}{p}"' for p in site.start_paths)
    path.write_text(f'[[site]]\nid = "{SITE_ID}"\nname = "{site.name}"\nunit = "{site.unit}"\n'
                    f'province = "{site.province}"\nplatform = "nukeviet4"\nstart_urls = [{starts}]\n'
                    f'discovery = ["list"]\n', encoding="utf-8")
    return path


# ---------------------------------------------------------------- the two crawlers (child processes)


def _bare_settings() -> dict:
    """Scrapy's defaults plus bantin's download settings with throttling off: the same fetching."""
    from scraper import settings as bantin
    return {"ROBOTSTXT_OBEY": bantin.ROBOTSTXT_OBEY, "CONCURRENT_REQUESTS": bantin.CONCURRENT_REQUESTS,
            "CONCURRENT_REQUESTS_PER_DOMAIN": bantin.CONCURRENT_REQUESTS_PER_DOMAIN, "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False, "COOKIES_ENABLED": bantin.COOKIES_ENABLED,
            "DOWNLOAD_TIMEOUT": bantin.DOWNLOAD_TIMEOUT, "DOWNLOAD_MAXSIZE": bantin.DOWNLOAD_MAXSIZE,
            "USER_AGENT": bantin.USER_AGENT, "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "WARNING",
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": bantin.REQUEST_FINGERPRINTER_IMPLEMENTATION}


def crawl_bare(start_urls: list[str], same_items: bool = False) -> dict:
    """`same_items`: with bantin's CONCURRENT_ITEMS instead of Scrapy's default, which costs
    a bare spider too (asyncio tasks started per response)."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class BareSpider(scrapy.Spider):
        """Follows list pages (`<link rel=next>`) and their article links; keeps nothing."""
        name = "bare"

        async def start(self):
            for url in start_urls:
                yield scrapy.Request(url, callback=self.parse_list)

        def parse_list(self, response):
            for href in response.css("div.news_column h3 a::attr(href)").getall():
                yield response.follow(href, callback=self.parse_article)
            next_page = response.xpath("//link[@rel='next']/@href").get()
            if next_page:
                yield response.follow(next_page, callback=self.parse_list)

        def parse_article(self, response):
            return None

    settings = _bare_settings()
    if same_items:
        from scraper import settings as bantin
        settings["CONCURRENT_ITEMS"] = bantin.CONCURRENT_ITEMS
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    return dict(crawler.stats.get_stats())


def crawl_bantin(registry_path: Path, db_path: Path) -> dict:
    from bantin.crawl import LOOPBACK_OVERRIDES, run_crawl
    from db import connect
    from scraper import registry

    connect(str(db_path)).conn.close()  # as `bantin crawl` does: schema first
    extra = {"show_progress": False} if "show_progress" in inspect.signature(run_crawl).parameters else {}
    result = run_crawl(registry.load(registry_path), str(db_path), dict(LOOPBACK_OVERRIDES), **extra)
    return result.stats if hasattr(result, "stats") else result  # a CrawlResult, or older: the stats


def peak_rss() -> int:
    """This process's peak resident set in bytes: VmHWM, which starts afresh at exec. (ru_maxrss
    does not: on Linux it keeps the parent's peak from before the fork, here the generated site.)"""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def child(kind: str, registry_path: Path, db_path: Path, out: Path, profile: Path | None) -> None:
    """Run one crawl in this process and write its numbers (stats, peak RSS) as JSON."""
    os.environ.setdefault("BANTIN_LOG_LEVEL", "WARNING")
    from scraper import registry
    started = time.perf_counter()
    if kind in ("bare", "bare-items"):
        stats = crawl_bare(list(registry.load(registry_path)[0].start_urls), same_items=kind == "bare-items")
    elif profile:
        import cProfile
        profiler = cProfile.Profile()
        stats = profiler.runcall(crawl_bantin, registry_path, db_path)
        profiler.dump_stats(profile)
    else:
        stats = crawl_bantin(registry_path, db_path)
    wall = time.perf_counter() - started
    usage, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = peak_rss()
    keep = {k: v for k, v in stats.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    out.write_text(json.dumps({"stats": keep, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                               "worker_cpu": workers.ru_utime + workers.ru_stime,
                               "worker_peak_rss": workers.ru_maxrss * 1024, "peak_rss": peak}), encoding="utf-8")


# ---------------------------------------------------------------- the parent


@dataclass
class Result:
    label: str
    pages: int
    seconds: float  # Scrapy's elapsed time: for bantin, fetching and the extraction pass
    wall: float
    cpu: float  # user + system seconds of the crawling process and its extraction workers
    peak_mb: float
    fetch_seconds: float = 0.0  # bantin: from the pipeline's opening to the end of fetching
    extract_seconds: float = 0.0  # bantin: the extraction pass
    processes: int = 0  # bantin: extraction workers (0: in the crawl's process)
    worker_peak_mb: float = 0.0

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def fetch_rate(self) -> float:
        return self.pages / self.fetch_seconds if self.fetch_seconds else self.rate


def run_child(kind: str, label: str, registry_path: Path, db_path: Path, folder: Path,
              profile: Path | None = None) -> Result:
    out = folder / f"{kind}-{label}.json"
    cmd = [sys.executable, __file__, "--child", kind, "--registry", str(registry_path), "--db", str(db_path),
           "--out", str(out)] + (["--profile", str(profile)] if profile else [])
    env = dict(os.environ, BANTIN_LOG_LEVEL="WARNING", BANTIN_CONTACT="bench@localhost")
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{kind} crawl failed:\n{done.stderr[-3000:]}")
    data = json.loads(out.read_text(encoding="utf-8"))
    stats = data["stats"]
    return Result(f"{kind} ({label})", int(stats.get("response_received_count", 0)),
                  float(stats.get("elapsed_time_seconds", 0.0)), data["wall"], data["cpu"] + data.get("worker_cpu", 0.0),
                  data["peak_rss"] / 2**20, float(stats.get("bantin/fetch_seconds", 0.0)),
                  float(stats.get("bantin/extract_seconds", 0.0)), int(stats.get("bantin/extract_processes", 0)),
                  data.get("worker_peak_rss", 0) / 2**20)


def stored(db_path: Path) -> dict[str, int]:
    """What bantin's crawl left in the database: proof that extraction and storage ran."""
    import sqlite3
    con = sqlite3.connect(db_path)
    try:
        one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        return {"pages": one("SELECT count(*) FROM pages"), "articles": one("SELECT count(*) FROM articles"),
                "with date": one("SELECT count(*) FROM articles WHERE published IS NOT NULL"),
                "with an event": one("SELECT count(DISTINCT article_id) FROM events"),
                "extraction errors": one("SELECT count(*) FROM pages WHERE error IS NOT NULL")}
    finally:
        con.close()


def rate_by_tenth(db_path: Path) -> list[float]:
    """bantin's pages/s in each tenth of its crawl (from `pages.fetched_at`): a rate that falls
    as the database grows points at a write whose cost grows with it."""
    import sqlite3
    from datetime import datetime
    con = sqlite3.connect(db_path)
    try:
        times = [datetime.fromisoformat(t).timestamp() for (t,) in con.execute(
            "SELECT fetched_at FROM pages ORDER BY id")]
    finally:
        con.close()
    step = len(times) // 10
    if step < 2:
        return []
    return [step / max(times[i + step - 1] - times[i], 1.0) for i in range(0, step * 10, step)]


def print_table(results: list[Result], bare: dict[str, Result]) -> None:
    print("| crawler (server) | pages | seconds | pages/s | vs bare | CPU ms/page | peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        base = bare.get(r.label.split("(")[1].rstrip(")"))
        label = r.label.replace("bare-items", f"bare, CONCURRENT_ITEMS {_same_items()} as bantin,")
        cpu = f"{1000 * r.cpu / max(r.pages, 1):.1f}"
        if not r.label.startswith("bantin"):
            print(f"| {label} | {r.pages:,} | {r.seconds:.1f} | {r.rate:.1f} | {r.rate / base.rate:.2f}× | {cpu} | "
                  f"{r.peak_mb:.0f} |")
            continue
        workers = f"{r.processes} worker process{'es' if r.processes > 1 else ''}" if r.processes else "in the crawl's process"
        print(f"| {r.label}: the crawl (fetch, store raw, queue) | {r.pages:,} | {r.fetch_seconds:.1f} | "
              f"{r.fetch_rate:.1f} | {r.fetch_rate / base.rate:.2f}× | | {r.peak_mb:.0f} |")
        print(f"| {r.label}: the crawl and its extraction pass ({workers}) | {r.pages:,} | {r.seconds:.1f} | "
              f"{r.rate:.1f} | {r.rate / base.rate:.2f}× | {cpu} | "
              f"{r.peak_mb:.0f} + {r.worker_peak_mb:.0f} a worker |")


def _same_items() -> int:
    from scraper import settings as bantin
    return bantin.CONCURRENT_ITEMS


def verdict(results: list[Result], bare: dict[str, Result], same_items: dict[str, Result]) -> None:
    for r in results:
        if not r.label.startswith("bantin"):
            continue
        server = r.label.split("(")[1].rstrip(")")
        base = bare[server].rate
        crawl, whole = r.fetch_rate / base, r.rate / base
        print(f"{r.label}: the crawl's rate {crawl:.2f} of bare (target ≥ {TARGET_RATIO}: "
              f"{'met' if crawl >= TARGET_RATIO else 'MISSED'}; {r.fetch_rate / same_items[server].rate:.2f} of "
              f"the bare spider with bantin's CONCURRENT_ITEMS); with its extraction pass {whole:.2f} of bare "
              f"(pass {r.extract_seconds:.0f} s); crawl process peak RSS {r.peak_mb:.0f} MB "
              f"(target ≤ {TARGET_RSS_MB:.0f}: {'met' if r.peak_mb <= TARGET_RSS_MB else 'MISSED'}), "
              f"largest extraction worker {r.worker_peak_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--categories", type=int, default=10)
    parser.add_argument("--per-page", type=int, default=25)
    parser.add_argument("--server", choices=("fast", "portal", "both"), default="fast",
                        help="fast: keep-alive asyncio server (default); portal: bantin's PortalServer")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile bantin's crawl into this file")
    parser.add_argument("--keep", type=Path, default=None, help="generate the site into this folder and keep it")
    parser.add_argument("--child", choices=("bare", "bare-items", "bantin"), help=argparse.SUPPRESS)
    parser.add_argument("--registry", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.registry, args.db, args.out, args.profile)
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        bench(args, folder)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def bench(args: argparse.Namespace, folder: Path) -> None:
    print(describe())
    started = time.perf_counter()
    site = generate_site(folder, args.articles, args.categories, args.per_page)
    size = sum(p.stat().st_size for p in site.root.rglob("*") if p.is_file())
    print(f"generated {site.articles:,} articles and {site.list_pages} list pages of a NukeViet 4 portal "
          f"({site.name}), {size / 2**20:.0f} MiB, in {time.perf_counter() - started:.0f} s")
    results: list[Result] = []
    bare: dict[str, Result] = {}
    same_items: dict[str, Result] = {}  # the bare spider with bantin's CONCURRENT_ITEMS
    for server in (("fast", "portal") if args.server == "both" else (args.server,)):
        with serving(server, site.root) as base_url:
            registry_path = write_registry(folder / f"sites-{server}.toml", site, base_url)
            bare[server] = run_child("bare", server, registry_path, folder / "unused.db", folder)
            tuned = run_child("bare-items", server, registry_path, folder / "unused.db", folder)
            db_path = folder / f"bantin-{server}.db"
            mine = run_child("bantin", server, registry_path, db_path, folder, args.profile)
            results += [bare[server], tuned, mine]
            same_items[server] = tuned
            print(f"{server} server: bare {bare[server].rate:.1f} pages/s, bantin crawl {mine.fetch_rate:.1f} "
                  f"pages/s, with extraction {mine.rate:.1f}; "
                  f"stored {stored(db_path)}", flush=True)
            print("  bantin pages/s by tenth of its crawl: "
                  + ", ".join(f"{r:.0f}" for r in rate_by_tenth(db_path)), flush=True)
    print()
    print_table(results, bare)
    print()
    verdict(results, bare, same_items)


if __name__ == "__main__":
    main()
