"""Scoring page extraction (title, publication time, body, boilerplate) on the fixture web,
for bantin and, side by side, for trafilatura + htmldate on the same pages."""
from __future__ import annotations

import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from extract.text import clean_spaces, fold

# Phrases of page furniture that must never reach an article's text.
FURNITURE = ("Thống kê truy cập", "Đang truy cập", "Tổng lượt truy cập", "Đăng nhập", "Văn bản mới",
             "Thông tin khác", "Tin liên quan", "Những tin mới hơn", "Những tin cũ hơn", "Ý kiến bạn đọc",
             "Bài viết liên quan", "Lượt xem", "Tin cùng chuyên mục", "Các tin khác", "lượt tải")


@dataclass
class PageScore:
    pages: int = 0
    title: int = 0
    day: int = 0
    time: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    leaks: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: "PageScore") -> None:
        for name in ("pages", "title", "day", "time", "tp", "fp", "fn", "leaks"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        n = self.pages or 1
        return {"pages": self.pages, "title": self.title / n, "published_day": self.day / n,
                "published_time": self.time / n, "body_precision": p, "body_recall": r,
                "body_f1": 2 * p * r / (p + r) if p + r else 0.0, "leak_rate": self.leaks / n}


def tokens(text: str | None) -> Counter:
    return Counter(clean_spaces(text or "").split())


def leaked(text: str, expected: str, repeated: set[str]) -> bool:
    """Any furniture phrase, or any line repeated across the site's pages, that the
    expected text does not hold."""
    for line in (text or "").split("\n"):
        if line and line not in expected and (line in repeated or any(f in line for f in FURNITURE)):
            return True
    return False


def score(expected: dict, title: str | None, published: str | None, text: str | None,
          repeated: set[str]) -> PageScore:
    s = PageScore(pages=1)
    s.title = int(clean_spaces(title or "") == expected["title"])
    want = expected.get("published")
    s.day = int((published or "")[:10] == (want or "")[:10])
    s.time = int((published or None) == want)
    got, wanted = tokens(text), tokens(expected["text"])
    common = sum((got & wanted).values())
    s.tp, s.fp, s.fn = common, sum(got.values()) - common, sum(wanted.values()) - common
    s.leaks = int(leaked(text or "", expected["text"], repeated))
    return s


def load_pages(portals: Path) -> list[tuple[str, str, Path, dict]]:
    """(site id, platform, page file, expected) for every article page of the fixture web."""
    platforms = {}
    for registry in [portals / "sites.toml", *sorted(portals.glob("*.site.toml"))]:
        if registry.exists():
            for entry in tomllib.loads(registry.read_text(encoding="utf-8")).get("site", []):
                platforms[entry["id"]] = entry["platform"]
    out = []
    for path in sorted(portals.rglob("*.expected.json")):
        site_id = path.relative_to(portals).parts[0]
        if site_id not in platforms:
            continue
        out.append((site_id, platforms[site_id], path.with_name(path.name[: -len(".expected.json")]),
                    json.loads(path.read_text(encoding="utf-8"))))
    return out


def repeated_lines(pages: list[tuple[str, str, Path, dict]], texts: dict[Path, str]) -> dict[str, set[str]]:
    """Per site, the lines found on three pages or more: the site's furniture."""
    counts: dict[str, Counter] = {}
    for site_id, _, path, _ in pages:
        lines = set(texts[path].split("\n"))
        counts.setdefault(site_id, Counter()).update(lines)
    return {site: {line for line, n in c.items() if n >= 3 and len(line) > 3} for site, c in counts.items()}


def visible_lines(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    return "\n".join(line for line in clean_spaces(soup.get_text("\n")).split("\n") if line)


def continuation_files(site_root: Path, html: str, url: str, limit: int = 10) -> list[Path]:
    """The saved later pages of an article split over pages, found as the crawler finds them:
    the layout's continuation link, resolved to a file the way the demo server does."""
    from urllib.parse import urljoin, urlsplit

    from parsel import Selector

    from bantin.portal_server import resolve
    from extract import layouts
    from scraper.reading import decode_html

    layout = layouts.detect(html, url)
    found: list[Path] = []
    while len(found) < limit:
        sel = Selector(text=html)
        href = next((sel.css(s).attrib.get("href") for s in layout.continuation if sel.css(s)), None)
        if not href:
            return found
        url = urljoin(url, href)
        parts = urlsplit(url)
        part = resolve(site_root, parts.path + (f"?{parts.query}" if parts.query else ""))
        if part is None:
            return found
        found.append(part)
        html = decode_html(part.read_bytes(), None)
    return found


def fold_title(text: str | None) -> str:
    return fold(clean_spaces(text or ""))
