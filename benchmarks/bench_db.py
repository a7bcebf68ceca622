"""Database at scale: bulk insert rate and search / who-chaired latency over synthetic bulletins.

A synthetic database of N articles (default 1,000,000) is written through bantin's own schema
(`db.connect`) and bantin's writer: `save_page` + `db.store.Writer.save_article` (article,
facts, its `articles_fts` row, people resolved on one resolver per batch and written at its
flush), 5,000 articles per transaction. The crawl writes through the same Writer, one article
per transaction (`save_article`). Side by side
in the same run, every batch's page and article rows also go into bare tables with plain
`sqlite3.executemany` (no indexes, no facts, no FTS, rows compressed and hashed beforehand:
the floor of what SQLite can do), and the writer's rate is printed as a ratio of it. Then
search and who-chaired latencies (p50, p95) are measured on the finished database.

Articles are generated, not extracted: ~1,500-character texts from a vocabulary of bulletin
sentences, real pre-2025 communes from the gazetteer, invented people, and `extract.model.Facts`
built directly (an event with a chair, 2-3 officials, a unit, a period, sometimes a ranking
and a document). A benchmark, not a test: it asserts nothing.

    python benchmarks/bench_db.py [--articles N] [--db PATH] [--keep] [--profile FILE]
    python benchmarks/bench_db.py --reuse PATH   # only the questions, on a database kept by --keep
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import describe  # noqa: E402
from db import connect  # noqa: E402
from db.queries import who_chaired  # noqa: E402
from db.search import search  # noqa: E402
from db.store import RawPage, Writer, save_page, sha256, upsert_site  # noqa: E402
from extract import gazetteer  # noqa: E402
from extract.model import (EXTRACTOR_VERSION, Article, Document, Event, Evidence, Facts, Official,  # noqa: E402
                           Period, Ranking, Unit)
from extract.text import fold  # noqa: E402

TARGET_INSERT, TARGET_SEARCH_P95, TARGET_CHAIR_P95 = 2000.0, 50.0, 20.0  # articles/s, ms, ms (issue 5)
ICT = timezone(timedelta(hours=7))
BYTES_PER_ARTICLE = 16_000  # ~13 KiB measured on disk, plus headroom: for the free-space check

# ---------------------------------------------------------------- the vocabulary of bulletins

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai", "Tạ", "Châu", "Hà", "Lương")
MIDDLE = ("Văn", "Thị", "Minh", "Đức", "Hữu", "Quốc", "Thanh", "Ngọc", "Thị Thu", "Công", "Xuân", "Hoàng",
          "Trọng", "Thị Mỹ", "Văn Bảo", "Tấn", "Đình", "Kim")
GIVEN = ("Hùng", "Dũng", "Lực", "Quân", "Tuấn", "Hải", "Phúc", "Thắng", "Sơn", "Bình", "Cường", "Khánh",
         "Lan", "Hương", "Hạnh", "Nga", "Trang", "Thảo", "Duyên", "Yến", "Long", "Nam", "Tài", "Thành",
         "Việt", "Huy", "Đạt", "Toàn", "Nhân", "Trí", "Vinh", "Hòa", "Tâm", "Hiếu", "Thịnh", "Lộc", "Quyết",
         "Mến", "Oanh", "Nhung", "Phượng", "Diệp", "Khoa", "Tùng", "Kiên", "Hậu", "Sang", "Luân")
POSTS = ("Bí thư Đảng ủy", "Chủ tịch UBND", "Phó Chủ tịch UBND", "Phó Chủ tịch UBND", "Chủ tịch HĐND",
         "Chủ tịch Ủy ban MTTQ", "Trưởng Công an", "Chủ tịch Hội Nông dân")
TOPICS = ("cải cách hành chính", "chuyển đổi số", "xây dựng nông thôn mới", "phòng chống thiên tai và tìm kiếm cứu nạn",
          "bảo đảm trật tự an toàn giao thông", "phòng cháy, chữa cháy", "phòng, chống dịch bệnh",
          "giảm nghèo bền vững", "phát triển bảo hiểm xã hội tự nguyện và bảo hiểm y tế", "quản lý đất đai",
          "bảo vệ môi trường", "phổ biến, giáo dục pháp luật", "thu ngân sách nhà nước",
          "tuyển chọn và gọi công dân nhập ngũ", "tiêm chủng mở rộng", "bảo đảm an toàn thực phẩm",
          "xây dựng đời sống văn hóa ở khu dân cư", "chi trả an sinh xã hội không dùng tiền mặt")
KINDS = (("meeting", "họp Ban Chỉ đạo", "Họp Ban Chỉ đạo"),
         ("conference", "hội nghị sơ kết công tác", "Hội nghị sơ kết công tác"),
         ("conference", "hội nghị triển khai nhiệm vụ", "Hội nghị triển khai nhiệm vụ"),
         ("campaign", "lễ ra quân thực hiện", "Ra quân thực hiện"),
         ("inspection", "đoàn kiểm tra công tác", "Kiểm tra công tác"))
PARTS_OF_DAY = ("Sáng", "Chiều", "Sáng", "Chiều", "Tối")
FILLER = (
    "Theo báo cáo, trong {period}, công tác {topic} trên địa bàn {unit} đã đạt được nhiều kết quả quan trọng; "
    "các chỉ tiêu cơ bản đều đạt và vượt kế hoạch đề ra.",
    "Các đại biểu đã tập trung thảo luận, đánh giá những mặt làm được, chỉ ra những tồn tại, hạn chế và nguyên nhân, "
    "đồng thời đề xuất nhiều giải pháp thiết thực, phù hợp với điều kiện của địa phương.",
    "Toàn {level} đã tổ chức {n} buổi tuyên truyền với hơn {m} lượt người tham dự, lồng ghép trong các cuộc họp "
    "thôn và sinh hoạt của các đoàn thể chính trị - xã hội.",
    "Tỷ lệ hồ sơ giải quyết đúng và trước hạn đạt {p}%, không có hồ sơ trễ hạn; {q}% thủ tục hành chính được "
    "tiếp nhận trực tuyến trên Cổng Dịch vụ công quốc gia.",
    "Bên cạnh đó, việc triển khai còn gặp một số khó khăn như kinh phí hạn hẹp, đội ngũ cán bộ kiêm nhiệm nhiều "
    "việc, ý thức chấp hành của một bộ phận người dân chưa cao.",
    "Đồng chí yêu cầu công chức chuyên môn thường xuyên rà soát, cập nhật số liệu, kịp thời báo cáo những vướng "
    "mắc để Ban Chỉ đạo xem xét, chỉ đạo xử lý dứt điểm.",
    "Dịp này, Chủ tịch UBND {level} đã tặng giấy khen cho {n} tập thể và {m} cá nhân có thành tích xuất sắc trong "
    "công tác {topic}.",
    "Kinh phí thực hiện năm {year} là {money} triệu đồng, từ nguồn ngân sách {level} và vận động xã hội hóa.",
    "Trong thời gian tới, {unit} tập trung nâng cao chất lượng công tác {topic}, phấn đấu hoàn thành toàn diện "
    "các chỉ tiêu Nghị quyết Đại hội Đảng bộ {level} nhiệm kỳ 2020 - 2025 đã đề ra.",
    "Các thôn, khu dân cư đã huy động {m} ngày công, phát quang {n} km đường giao thông nông thôn, nạo vét "
    "kênh mương nội đồng và vệ sinh môi trường khu dân cư.",
    "Ban Chỉ đạo {level} đã kiện toàn, phân công nhiệm vụ cụ thể cho từng thành viên phụ trách các thôn, "
    "duy trì chế độ giao ban định kỳ hằng tháng.",
    "Nhân dân trên địa bàn đồng tình, hưởng ứng; nhiều hộ gia đình tự nguyện hiến đất, góp công, góp của "
    "cùng chính quyền thực hiện các công trình phúc lợi.",
)


@dataclass
class Site:
    """A portal of a real commune with its invented office holders (name, post)."""
    id: str
    host: str
    unit: gazetteer.Unit
    district: str
    province: str
    people: list[tuple[str, str]]


@dataclass
class Item:
    """One synthetic article as bantin's crawler would hand it to the store."""
    site: Site
    topic: str
    page: RawPage
    article: Article
    facts: Facts


def person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def make_sites(rng: random.Random, count: int) -> list[Site]:
    """Real communes (pre-2025 gazetteer) so unit facts carry real codes and successors."""
    communes = [u for u in gazetteer.all_units() if u.era == "pre2025" and not u.abolished
                and u.level in ("xã", "phường", "thị trấn") and u.parent_code]
    sites = []
    for unit in rng.sample(communes, min(count, len(communes))):
        up = gazetteer.ancestors(unit)
        slug = fold(unit.name).replace(" ", "")
        people = [(person(rng), post) for post in POSTS]
        sites.append(Site(f"{fold(unit.level)[:2]}-{slug}-{unit.code}", f"{slug}{unit.code}.gov.vn", unit,
                          up[0].full_name if up else "", up[-1].full_name if up else "", people))
    return sites


class TextBuilder:
    """Appends sentences and paragraphs, remembering where each sentence starts: provenance offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def sentence(self, sentence: str, new_paragraph: bool = False) -> int:
        sep = "\n" if new_paragraph else " "
        if self.parts:
            self.parts.append(sep)
            self.length += 1
        start = self.length
        self.parts.append(sentence)
        self.length += len(sentence)
        return start

    def text(self) -> str:
        return "".join(self.parts)


def evidence(sentence: str, start: int, phrase: str, rule: str) -> Evidence:
    offset = sentence.index(phrase)
    return Evidence(sentence, start + offset, start + offset + len(phrase), rule)


def make_item(rng: random.Random, number: int, site: Site) -> Item:
    """A bulletin about one event chaired by the commune's chairman, with its facts built directly."""
    unit = site.unit.full_name
    kind, phrase, title_phrase = rng.choice(KINDS)
    topic = rng.choice(TOPICS)
    when = datetime(2019, 1, 1, tzinfo=ICT) + timedelta(days=rng.randrange(2400), hours=rng.choice((8, 9, 14, 15)))
    year = when.year
    chair_name, chair_post = site.people[rng.choice((1, 1, 1, 0, 2))]
    attendees = rng.sample([p for p in site.people if p[0] != chair_name], rng.choice((2, 2, 3)))
    org = f"UBND {unit}"
    title = rng.choice((f"{org} tổ chức {phrase} {topic} năm {year}",
                        f"{title_phrase} {topic} {('6 tháng đầu năm', 'quý I', 'năm')[rng.randrange(3)]} {year}",
                        f"{unit.capitalize()}: {title_phrase.lower()} {topic}"))
    body = TextBuilder()
    lead = (f"{rng.choice(PARTS_OF_DAY)} ngày {when.day}/{when.month}/{year}, {org} tổ chức {phrase} {topic}, "
            f"do đồng chí {chair_name} - {chair_post} {site.unit.level} chủ trì.")
    lead_at = body.sentence(lead)
    who = "; ".join(f"đồng chí {n} - {p} {site.unit.level}" for n, p in attendees)
    guests = f"Tham dự có {who} cùng các thành viên Ban Chỉ đạo, lãnh đạo các ban, ngành, đoàn thể và Trưởng các thôn."
    guests_at = body.sentence(guests)
    period_text = f"năm {year - 1}"
    words = {"topic": topic, "unit": unit, "level": site.unit.level, "year": year, "period": period_text,
             "n": rng.randrange(3, 40), "m": rng.randrange(50, 3000), "p": rng.randrange(90, 101),
             "q": rng.randrange(40, 100), "money": rng.randrange(20, 900)}
    first = FILLER[0].format(**words)
    first_at = body.sentence(first, new_paragraph=True)
    facts = Facts(
        events=[Event(kind, when.date().isoformat(), org, [chair_name], [n for n, _ in attendees], lead, lead_at,
                      lead_at + len(lead), "chair")],
        officials=[Official(chair_name, [f"{chair_post} {site.unit.level}"], ["chair"], unit,
                            [evidence(lead, lead_at, chair_name, "honorific")])]
        + [Official(n, [f"{p} {site.unit.level}"], ["attendee"], unit, [evidence(guests, guests_at, n, "honorific")])
           for n, p in attendees],
        units=[Unit(unit, site.unit.level, site.unit.code, site.district,
                    [evidence(lead, lead_at, unit, "level+name"), evidence(first, first_at, unit, "level+name")],
                    "site-unit", [], [f"{s.full_name} ({s.code})" for s in gazetteer.successors(site.unit)])],
        periods=[Period("year", f"{year - 1}-01-01", f"{year - 1}-12-31", period_text, first,
                        first_at + first.index(period_text), first_at + first.index(period_text) + len(period_text))])
    if rng.random() < 0.25:
        rank, of = rng.randrange(1, 25), rng.randrange(25, 40)
        score = round(rng.uniform(60, 95), 2)
        s = (f"Theo kết quả công bố của UBND {site.district}, Chỉ số cải cách hành chính năm {year - 1} của {unit} "
             f"đạt {score} điểm, xếp thứ {rank}/{of} xã, thị trấn.")
        at = body.sentence(s, new_paragraph=True)
        facts.rankings.append(Ranking("CCHC", year - 1, unit, rank, of, "huyện", score, None, None, None,
                                      s, at, at + len(s), "rank-of"))
    if rng.random() < 0.4:
        doc = f"{rng.randrange(10, 300)}/KH-UBND"
        signed = f"{rng.randrange(1, 28)}/{rng.randrange(1, 13)}/{year}"
        s = f"Thực hiện Kế hoạch số {doc} ngày {signed} của UBND {unit} về {topic}."
        at = body.sentence(s, new_paragraph=True)
        facts.documents.append(Document(doc, "kế hoạch", None, f"UBND {unit}", s, at + s.index(doc),
                                        at + s.index(doc) + len(doc), "number"))
    target = rng.randrange(1200, 1800)
    for filler in rng.sample(FILLER[1:], len(FILLER) - 1):
        if body.length >= target:
            break
        body.sentence(filler.format(**words), new_paragraph=rng.random() < 0.3)
    text = body.text()
    url = f"https://{site.host}/tin-tuc/{number}.html"
    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    html = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{paragraphs}</body></html>"
    page = RawPage(url, url, site.id, "article", 200, {"Content-Type": "text/html; charset=utf-8"},
                   html.encode("utf-8"), (when + timedelta(days=1)).astimezone(timezone.utc).isoformat())
    return Item(site, topic, page, Article(url, title, when, None, text), facts)


# ---------------------------------------------------------------- the writers

def write_bantin(db, conn: sqlite3.Connection, items: list[Item]) -> None:
    """bantin's bulk write path, one transaction for all: save_page, then Writer.save_article
    (article, facts, its articles_fts row, people resolved and written at flush)."""
    with conn:
        writer = Writer(db)
        for item in items:
            writer.save_article(save_page(db, item.page), item.site.id, item.article, item.facts)
        writer.flush()


BARE_SCHEMA = """
CREATE TABLE pages (url, final_url, site_id, kind, status, headers, body, content_hash, fetched_at);
CREATE TABLE articles (page_id, site_id, url, title, published, author, text, content_hash,
                       extractor_version, extracted_at);
"""


def bare_rows(items: list[Item], first_page_id: int) -> tuple[list[tuple], list[tuple]]:
    """The page and article rows bantin stores, ready-made (compressed, hashed) outside the timing."""
    pages, articles = [], []
    for number, item in enumerate(items, first_page_id):
        p, a = item.page, item.article
        pages.append((p.url, p.final_url, p.site_id, p.kind, p.status, json.dumps(p.headers),
                      zlib.compress(p.body, 6), sha256(p.body), p.fetched_at))
        articles.append((number, p.site_id, a.url, a.title, a.published_iso, a.author, a.text, sha256(a.text),
                         EXTRACTOR_VERSION, p.fetched_at))
    return pages, articles


def write_bare(conn: sqlite3.Connection, pages: list[tuple], articles: list[tuple]) -> None:
    with conn:
        conn.executemany("INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", pages)
        conn.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", articles)


@dataclass
class Rate:
    """Articles written and seconds spent by one writer, with the last tenth kept apart."""
    articles: int = 0
    seconds: float = 0.0
    tail_articles: int = 0
    tail_seconds: float = 0.0

    def add(self, articles: int, seconds: float, in_tail: bool) -> None:
        self.articles += articles
        self.seconds += seconds
        if in_tail:
            self.tail_articles += articles
            self.tail_seconds += seconds


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def build(path: Path, bare_path: Path, total: int, batch: int, sites: list[Site], rng: random.Random,
          keep_per_batch: int, profiler: cProfile.Profile | None = None,
          cache_mib: int = 256) -> tuple[dict[str, Rate], list[Sample]]:
    """Write `total` articles through bantin's writer, and every batch also into the bare tables.
    Returns the rates and sample items."""
    db = connect(path, cache_mib=cache_mib)
    with db.conn:
        for site in sites:
            upsert_site(db, {"id": site.id, "name": f"Cổng TTĐT {site.unit.full_name}", "unit": site.unit.full_name,
                             "province": site.province, "platform": "synthetic", "home_url": f"https://{site.host}/"})
    bare = sqlite3.connect(bare_path)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute("PRAGMA synchronous = NORMAL")  # as bantin's connect: the gap is the code, not durability
    bare.executescript(BARE_SCHEMA)
    rates = {"bantin": Rate(), "bare": Rate()}
    samples: list[Sample] = []
    every = max(1, -(-total // batch) // 20)  # about twenty progress lines
    written, started = 0, time.perf_counter()
    for number, first in enumerate(range(0, total, batch)):
        items = [make_item(rng, first + i, rng.choice(sites)) for i in range(min(batch, total - first))]
        in_tail = first + len(items) > total * 0.9  # the batches that write the last tenth
        if profiler:
            profiler.enable()
        seconds = timed(lambda: write_bantin(db, db.conn, items))
        if profiler:
            profiler.disable()
        rates["bantin"].add(len(items), seconds, in_tail)
        pages, articles = bare_rows(items, first + 1)
        bare_seconds = timed(lambda: write_bare(bare, pages, articles))
        rates["bare"].add(len(items), bare_seconds, in_tail)
        samples += [Sample.of(item) for item in rng.sample(items, min(keep_per_batch, len(items)))]
        written += len(items)
        if number % every == every - 1 or written == total:
            print(f"  {written:,} articles written, {time.perf_counter() - started:,.0f} s; last batch: bantin "
                  f"{len(items) / seconds:,.0f}/s, bare {len(items) / bare_seconds:,.0f}/s", file=sys.stderr)
    indexed = db.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    if indexed != total:
        sys.exit(f"save_article left {indexed:,} of {total:,} articles in articles_fts: search would miss them")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    bare.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    bare.close()
    return rates, samples


# ---------------------------------------------------------------- the questions

@dataclass(frozen=True)
class Sample:
    """What the questions ask about one stored article: its chair, its commune, its topic."""
    chair: str
    unit: str
    topic: str

    @classmethod
    def of(cls, item: Item) -> Sample:
        return cls(item.facts.events[0].chairs[0], item.site.unit.name, item.topic)


def save_samples(path: Path, samples: list[Sample]) -> None:
    path.write_text(json.dumps([vars(s) for s in samples], ensure_ascii=False), encoding="utf-8")


def load_samples(path: Path) -> list[Sample]:
    return [Sample(**row) for row in json.loads(path.read_text(encoding="utf-8"))]


def questions(samples: list[Sample], count: int) -> dict[str, list[Callable]]:
    """Per kind of question, `count` calls on names, units and topics that are in the database;
    even calls are typed with diacritics, odd ones without (as a user on a plain keyboard)."""
    def typed(text: str, i: int) -> str:
        return text if i % 2 == 0 else fold(text)

    spread = random.Random(count).sample(samples, min(count, len(samples)))  # from every part of the run
    picks = [spread[i % len(spread)] for i in range(count)]
    chair = [it.chair for it in picks]
    return {
        "search: a person's full name": [lambda db, q=typed(n, i): search(db, q) for i, n in enumerate(chair)],
        "search: commune + topic": [lambda db, q=typed(f"{it.unit} {it.topic}", i): search(db, q)
                                    for i, it in enumerate(picks)],
        "search: a topic alone": [lambda db, q=typed(it.topic, i): search(db, q) for i, it in enumerate(picks)],
        "search: a topic, --unit the commune": [
            lambda db, q=typed(it.topic, i), u=typed(it.unit, i): search(db, q, unit=u)
            for i, it in enumerate(picks)],
        "who_chaired(name=…) with diacritics": [lambda db, q=n: who_chaired(db, name=q) for n in chair],
        "who_chaired(name=…) without diacritics": [lambda db, q=fold(n): who_chaired(db, name=q) for n in chair],
        "who_chaired(name=…) part of a name": [lambda db, q=fold(n).split(" ", 1)[1]: who_chaired(db, name=q)
                                               for n in chair],
    }


def latencies(path: Path, calls: list[Callable]) -> tuple[list[float], float]:
    """Milliseconds per call on a fresh read-only connection, after two warm-up calls; mean rows."""
    db = connect(path, readonly=True)
    for call in calls[:2]:
        call(db)
    out, rows = [], 0
    for call in calls:
        start = time.perf_counter()
        rows += len(call(db))
        out.append((time.perf_counter() - start) * 1000)
    db.conn.close()
    return out, rows / len(calls)


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1] if len(samples) > 1 else samples[0]


# ---------------------------------------------------------------- the report

def file_size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def contents(path: Path) -> str:
    """The articles (with their mean length) and the rows of the tables the writer fills besides them."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    articles, chars = conn.execute("SELECT count(*), avg(length(text)) FROM articles").fetchone()
    sites = conn.execute("SELECT count(*) FROM sites").fetchone()[0]
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("event_participants", "mentions", "articles_fts", "people", "posts")}
    conn.close()
    return (f"{articles:,} synthetic articles (~{chars or 0:,.0f} characters each) from {sites:,} communes; "
            + ", ".join(f"{n:,} {t}" for t, n in counts.items()))


def remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)


def print_rates(rates: dict[str, Rate], batch: int) -> None:
    names = {"bantin": f"bantin save_page + Writer, {batch:,} articles/transaction",
             "bare": "bare executemany: pages+articles, no index/facts/FTS"}
    base = rates["bare"].articles / rates["bare"].seconds
    print(f"| {'writer':<60} | {'articles/s':>10} | {'last 10%':>8} | {'vs bare':>7} | {'target ≥ 2,000/s':>16} |")
    print(f"| {'-' * 60} | {'-' * 10} | {'-' * 8} | {'-' * 7} | {'-' * 16} |")
    for key, rate in rates.items():
        per_s = rate.articles / rate.seconds
        tail = f"{rate.tail_articles / rate.tail_seconds:,.0f}" if rate.tail_seconds else "-"
        verdict = "" if key == "bare" else ("met" if per_s >= TARGET_INSERT else "missed")
        print(f"| {names[key]:<60} | {per_s:>10,.0f} | {tail:>8} | {per_s / base:>6.3f}x | {verdict:>16} |")


def print_latencies(results: dict[str, tuple[list[float], float]]) -> None:
    print(f"| {'question':<51} | {'calls':>5} | {'rows':>6} | {'p50 ms':>8} | {'p95 ms':>8} | {'target p95':>11} |")
    print(f"| {'-' * 51} | {'-' * 5} | {'-' * 6} | {'-' * 8} | {'-' * 8} | {'-' * 11} |")
    for name, (ms, rows) in results.items():
        target = TARGET_SEARCH_P95 if name.startswith("search") else TARGET_CHAIR_P95
        p95 = percentile(ms, 95)
        verdict = f"{'met' if p95 <= target else 'missed'} ({target:.0f})"
        print(f"| {name:<51} | {len(ms):>5} | {rows:>6.1f} | {percentile(ms, 50):>8.1f} | {p95:>8.1f} | {verdict:>11} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000, help="articles to write (default 1,000,000)")
    parser.add_argument("--db", type=Path, default=None, help="new database file (default: a temp file in /tmp)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the database and its question samples (<db>.samples.json) for --reuse")
    parser.add_argument("--reuse", type=Path, default=None, metavar="DB",
                        help="time the questions on a database an earlier --keep run built (no writing)")
    parser.add_argument("--batch", type=int, default=5000, help="articles per transaction")
    parser.add_argument("--cache-mib", type=int, default=256,
                        help="the writer's SQLite page cache (db.connect's cache_mib; 256 by default)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="cProfile the bantin writer into this file (pstats), e.g. on 20,000 articles")
    parser.add_argument("--sites", type=int, default=5000, help="portals (real communes) the articles come from")
    parser.add_argument("--queries", type=int, default=100, help="timed calls per kind of question")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if args.reuse:
        reuse(args.reuse, args.queries)
        return
    own_dir = None if args.db else Path(tempfile.mkdtemp(prefix="bench_db_", dir="/tmp"))
    path = args.db or own_dir / "bantin.db"
    if path.exists():
        sys.exit(f"{path} exists: the benchmark writes a new database; choose another --db (or --reuse it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    bare_path = path.with_name(path.name + ".bare")
    need, free = args.articles * BYTES_PER_ARTICLE, shutil.disk_usage(path.parent).free
    if need > free:
        sys.exit(f"about {need / 2**30:.1f} GiB needed in {path.parent}, {free / 2**30:.1f} GiB free")
    batch = max(1, min(args.batch, args.articles))
    profiler = cProfile.Profile() if args.profile else None
    rng = random.Random(args.seed)
    sites = make_sites(rng, args.sites)
    print(f"writing {args.articles:,} articles to {path} ({free / 2**30:.0f} GiB free, ~{need / 2**30:.1f} GiB needed)",
          file=sys.stderr)
    load = os.getloadavg()[0]
    try:
        rates, samples = build(path, bare_path, args.articles, batch, sites, rng, keep_per_batch=10, profiler=profiler,
                               cache_mib=args.cache_mib)
        if profiler:
            profiler.dump_stats(args.profile)
        sizes = file_size(path), file_size(bare_path)
        remove(bare_path)
        if args.keep:
            save_samples(samples_path(path), samples)
        held = contents(path)
        results = {name: latencies(path, calls) for name, calls in questions(samples, args.queries).items()}
    finally:
        remove(bare_path)
        if not args.keep:
            remove(path)
            if own_dir:
                own_dir.rmdir()
    print(f"machine: {describe(('sqlite-utils',))}, SQLite {sqlite3.sqlite_version}; "
          f"load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end (other work on the machine skews rates)")
    print(f"database: {held}; {sizes[0] / 2**30:.2f} GiB ({sizes[0] / args.articles / 1024:.1f} KiB/article; "
          f"bare tables {sizes[1] / 2**30:.2f} GiB); writer's page cache {args.cache_mib:,} MiB; "
          f"{path if args.keep else 'removed'}\n")
    print_rates(rates, batch)
    print()
    print_latencies(results)


def samples_path(path: Path) -> Path:
    return path.with_name(path.name + ".samples.json")


def reuse(path: Path, queries: int) -> None:
    """Only the questions, on a database kept by an earlier run: to measure a query change
    without writing a million articles again. The write rates are those of the run that built it."""
    if not path.exists() or not samples_path(path).exists():
        sys.exit(f"{path} and {samples_path(path)} are made by a run with --keep; one of them is missing")
    connect(path).conn.close()  # upgrades an older file's schema in place, as bantin would
    results = {name: latencies(path, calls) for name, calls in questions(load_samples(samples_path(path)),
                                                                         queries).items()}
    print(f"machine: {describe(('sqlite-utils',))}, SQLite {sqlite3.sqlite_version}; load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"database: {contents(path)}; {file_size(path) / 2**30:.2f} GiB; {path} (reused: nothing written)\n")
    print_latencies(results)


if __name__ == "__main__":
    main()
