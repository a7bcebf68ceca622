"""The engine every layout shares: selectors in, the article's parts out.

A layout says where things are (title, visible date line, summary, body, byline,
attachments, category) and what inside the body is furniture; the engine does the
rest the same way for all of them, so a new portal family is a dozen lines of data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from ..dates import VN_TZ, find_published, parse_datetime_line
from ..text import clean_spaces, fold

_BOILERPLATE = re.compile(
    r"sidebar|menu|footer|header|counter|thong-?ke|login|dang-?nhap|comment|binh-?luan|rating|danh-?gia|"
    r"related|other-news|tin-?lien-?quan|tin-?khac|share|social|breadcrumb|banner|van-?ban|pagination|print",
    re.I,
)
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "iframe", "button", "select")
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "tr", "div", "td", "pre")
_ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|zip|rar|7z)(\?|$)", re.I)
_AUTHOR = re.compile(r"^\s*(?:tac gia(?: bai viet)?|but danh|phong vien|nguoi viet|tin,? anh|bai,? anh|tin va anh|"
                     r"bai va anh|tin|bai)\s*:\s*", re.I)
_SOURCE = re.compile(r"^\s*nguon(?: tin)?\s*:", re.I)
_NAME_LINE = re.compile(r"^[A-ZÀ-ỸĐ][\wÀ-ỹđĐ]*(?: [A-ZÀ-ỸĐ][\wÀ-ỹđĐ]*){1,4}$")
# "Lê Hoàng Duy - Trung tâm Văn hóa … huyện Thạnh Hóa": a contributor's name, a dash, their unit.
_NAME_UNIT = re.compile(r"^(?P<name>[^-–]+?)\s+[-–]\s+(?P<unit>.+)$")
_UNIT_HEAD = re.compile(r"^(?:trung tam|ttvh|phong |ban |ubnd|uy ban|van phong|bao |dai |hoi |doan |huyen doan|"
                        r"tinh doan|thanh doan|cong an|so |huyen |xa |phuong |thi tran|thi xa|thanh pho|tp\.|hdnd|mttq)")
_INLINE_GAP = re.compile(r" ([,.;:!?)\]])")  # "tỉnh ," where an inline tag ended before the comma
FURNITURE_TITLES = ("tin cung chuyen muc", "cac tin khac", "tin khac", "tin lien quan", "bai viet lien quan",
                    "thong tin khac", "nhung tin moi hon", "nhung tin cu hon", "van ban moi", "tin noi bat",
                    "tin xem nhieu", "tin moi", "lien ket website", "thong ke truy cap")
FURNITURE_LINE = re.compile(r"^(luot xem|da xem|luot doc)\s*:?\s*[\d.,]+$|^anh tin bai$|^\(\d+\)$|^\|$")


@dataclass(frozen=True)
class PageParts:
    title: str | None
    published: datetime | None
    author: str | None
    text: str
    attachments: tuple[str, ...] = ()
    category: str | None = None
    layout: str = "generic@1"


@dataclass(frozen=True)
class Layout:
    """Where a CMS layout keeps an article's parts. Selectors are CSS, tried in order."""

    name: str  # the platform: "nukeviet4", "sharepoint", "generic"
    version: str = "1"
    priority: int = 50  # lower is tried first by detect(); generic is 1000
    markers: tuple[str, ...] = ()  # regexes; any one found in the page (or URL) recognises it
    url_markers: tuple[str, ...] = ()
    title: tuple[str, ...] = ("h1",)
    date: tuple[str, ...] = ()  # elements holding the visible date line
    summary: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()  # furniture inside the body
    attachments: tuple[str, ...] = ()  # links to files, anywhere on the page
    category: tuple[str, ...] = ()
    date_near_title: bool = True  # else only `date` selectors are read
    continuation: tuple[str, ...] = ()  # link to the next part of an article split over pages
    url_date: str | None = None  # regex with groups y, m, d: the day in the URL, when the page prints none
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def matches(self, html: str, url: str) -> bool:
        head = html[:200_000]
        return any(re.search(m, head, re.I) for m in self.markers) or any(re.search(m, url) for m in self.url_markers)


def _first(soup: Tag, selectors: tuple[str, ...]) -> Tag | None:
    for selector in selectors:
        el = soup.select_one(selector)
        if el is not None and el.get_text(strip=True):
            return el
    return None


def block_text(el: Tag) -> str:
    if el.name == "tr":
        cells = [c.get_text(" ", strip=True) for c in el.find_all(["td", "th"])]
        return " | ".join(c for c in cells if c)
    return el.get_text(" ", strip=True)


def _data_row(tr: Tag, container: Tag) -> bool:
    """A row of a data table inside the article ("1 | Xã Đức Liễu | 92,64 | Tốt"), not a row
    of the layout table an old CMS puts the whole article in."""
    if container not in tr.parents or tr.find("table"):
        return False
    # Word-pasted tables put one <p class="MsoNormal"> in each cell; a layout cell holds many
    return all(len(cell.find_all(["p", "div", "ul"])) <= 1 for cell in tr.find_all(["td", "th"], recursive=False))


def blocks(container: Tag) -> list[str]:
    """Text of the leaf blocks in document order (a data-table row is one block)."""
    out: list[str] = []
    for el in container.find_all(_BLOCKS):
        row = el if el.name == "tr" else el.find_parent("tr")
        if row is not None and _data_row(row, container):
            if el is not row:
                continue
        elif el.name == "tr":
            continue  # a layout row: its cells' blocks are read one by one
        if el.name in ("div", "td") and el.find(_BLOCKS):
            continue
        if el.find_parent(["p", "li", "blockquote"]) and el.name != "tr":
            continue
        text = _INLINE_GAP.sub(r"\1", clean_spaces(block_text(el)).replace("\n", " "))
        if text:
            out.append(text)
    if not out:
        text = clean_spaces(container.get_text("\n", strip=True))
        out = [line for line in text.split("\n") if line]
    return out


def _gone(tag: Tag) -> bool:
    """Decomposed already (inside a box removed earlier). Read from the instance itself: on a
    Tag, an attribute it lacks is a search of its descendants (`tag.decomposed` made this
    quadratic in the page's depth: 2,000 nested divs took 14 s)."""
    state = vars(tag)
    return bool(state.get("_decomposed")) or "attrs" not in state or state["attrs"] is None


def strip_furniture(root: Tag, extra: tuple[str, ...] = (), keep: str = "") -> None:
    for selector in extra:
        for tag in root.select(selector):
            tag.decompose()
    for heading in root.find_all(["h2", "h3", "h4", "h5", "strong", "b", "span", "div", "p"]):
        if _gone(heading):
            continue
        own = heading.get_text(" ", strip=True)
        if len(own) < 40 and fold(own).strip(" :") in FURNITURE_TITLES:
            box = heading.parent if heading.parent is not None and heading.parent is not root else heading
            if not keep or not box.select_one(keep):
                box.decompose()  # "Tin cùng chuyên mục" and the list under it
    for tag in root.find_all(_DROP_TAGS):
        tag.decompose()
    for form in root.find_all("form"):  # login and search boxes; not ASP.NET's form around the whole page
        if len(form.get_text(" ", strip=True)) < 400 or form.find("input", attrs={"type": "password"}):
            form.decompose()
    for tag in list(root.find_all(True)):
        if _gone(tag):
            continue
        marker = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
        if tag.name in ("table", "thead", "tbody", "tfoot", "tr", "td", "th"):
            continue  # "ms-rteTableHeaderRow": a table's own header row is content
        if marker.strip() and _BOILERPLATE.search(marker) and tag.name not in ("body", "html"):
            if not keep or not tag.select_one(keep):
                tag.decompose()


def densest(root: Tag) -> Tag:
    """No known container: the element whose own paragraphs hold the most text that is not
    link text (related lists and document lists are mostly links; an article almost none)."""
    best, best_score = root, 0.0
    for el in root.find_all(["div", "section", "article", "td", "main"]):
        score = 0.0
        for child in el.find_all(["p", "div"], recursive=False):
            if child.name == "div" and child.find(_BLOCKS):
                continue  # only text-only divs count as paragraphs
            text = len(child.get_text(strip=True))
            links = sum(len(a.get_text(strip=True)) for a in child.find_all("a"))
            score += text - 3 * links
        if score > best_score:
            best, best_score = el, score
    return best


def _titled(soup: BeautifulSoup, selectors: tuple[str, ...]) -> Tag | None:
    """The first matching heading; where several match (a site-name h1 in the header), the
    one whose text the page's <title> or og:title repeats."""
    for selector in selectors:
        found = [el for el in soup.select(selector) if el.get_text(strip=True)]
        if len(found) > 1:
            named = fold(" ".join(filter(None, [soup.title.string if soup.title else "",
                                                (soup.select_one("meta[property='og:title']") or {}).get("content", "")])))
            heads = [(fold(clean_spaces(el.get_text(" ", strip=True))), el) for el in found]
            best = max(heads, key=lambda h: (named.startswith(h[0]), h[0] in named, len(h[0])))
            if best[0] in named:
                return best[1]  # "Article - Category - Site": the article's title opens the <title>
        if found:
            return found[0]
    return None


def _teaser(el: Tag) -> bool:
    """A lead that sits beside a link to another article, in a related list, is that article's."""
    parent = el.parent
    if parent is None or parent.name not in ("p", "li", "dd", "td"):
        return False  # a list item holds the link and its lead; an article's lead stands alone
    return any(a for a in parent.find_all("a") if el not in a.parents and a not in el.descendants)


def _fallback_title(soup: BeautifulSoup) -> str | None:
    og = soup.select_one("meta[property='og:title']")
    if og and og.get("content"):
        return clean_spaces(og["content"])
    if soup.title and soup.title.string:
        return clean_spaces(soup.title.string).split(" - ")[0] or None
    return None


def visible_date(start: Tag, limit: int = 40) -> datetime | None:
    """The first date line at or after `start`, in document order."""
    candidates: list[str] = []
    nodes = [start] if isinstance(start, NavigableString) else []
    for node in nodes + list(start.find_all_next(string=True, limit=600)) + list(start.find_all(string=True)):
        if isinstance(node, NavigableString) and node.parent is not None and node.parent.name not in ("script", "style"):
            text = clean_spaces(str(node))
            if text:
                candidates.append(text)
        if len(candidates) >= limit:
            break
    published, _ = find_published(candidates, max_lines=limit)
    return published


def byline(lines: list[str]) -> tuple[str | None, int | None]:
    """'Tác giả: X' near the end, or a bare name as the last line (or the line above a
    closing 'Nguồn: …'); its index in `lines`."""
    for i in range(len(lines) - 1, max(-1, len(lines) - 6), -1):
        m = _AUTHOR.match(fold(lines[i]))
        if m:
            return (lines[i][m.end():].strip(" .") or None), i
        if _SOURCE.match(fold(lines[i])):
            continue  # "Nguồn: …" names a source, not an author; a byline may stand above it
    end = len(lines) - 1
    while end >= 0 and _SOURCE.match(fold(lines[end])):
        end -= 1
    if end >= 0:
        last = lines[end].strip(" .")
        if _NAME_LINE.match(last) and not fold(last).startswith(("ubnd", "uy ban", "ban ", "phong ")) and len(last) < 40:
            return last, end
        m = _NAME_UNIT.match(last)
        if m and _NAME_LINE.match(m["name"]) and len(m["name"]) < 40 and _UNIT_HEAD.match(fold(m["unit"])):
            return m["name"], end
    return None, None


def _machine_date(el: Tag) -> datetime | None:
    """The datetime attribute of a date element (or of a <time> inside it), in Vietnam time."""
    stamp = el.get("datetime") or next((t.get("datetime") for t in el.find_all("time") if t.get("datetime")), None)
    if not stamp:
        return None
    try:
        parsed = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=VN_TZ)).astimezone(VN_TZ)


def _date_in_url(pattern: str, url: str) -> datetime | None:
    """'/tin-tuc/2024/03/15/<slug>-<id>.html': the CMS's own day, at midnight in Vietnam."""
    m = re.search(pattern, urlsplit(url).path)
    try:
        return datetime(int(m["y"]), int(m["m"]), int(m["d"]), tzinfo=VN_TZ) if m else None
    except ValueError:
        return None


MAX_DEPTH = 200  # elements nested in one another; the deepest fixture page has 24


class PageTooDeep(ValueError):
    """Elements nested deeper than any bulletin page nests them: a broken or hostile page whose
    parse would cost time growing faster than its size. Refused with this error (the crawl
    keeps the raw page and records the error) rather than read for seconds or minutes."""


def _depth(soup: BeautifulSoup) -> int:
    deepest, stack = 0, [(soup, 0)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element.contents if isinstance(child, Tag))
    return deepest


def parse_with(layout: Layout, html: str | bytes, url: str | None = None) -> PageParts:
    soup = BeautifulSoup(html, "lxml")
    depth = _depth(soup)
    if depth > MAX_DEPTH:
        raise PageTooDeep(f"elements nested {depth} deep (more than {MAX_DEPTH}): not read as an article")
    order = {id(a): i for i, a in enumerate(soup.find_all("a"))}  # attachments keep the page's order
    title_el = _titled(soup, layout.title)
    title = clean_spaces(title_el.get_text(" ", strip=True)) if title_el else _fallback_title(soup)
    date_el = _first(soup, layout.date)
    published = parse_datetime_line(clean_spaces(date_el.get_text(" ", strip=True))) if date_el else None
    if published is None and date_el is not None:
        published = visible_date(date_el, limit=6)
    if published is None and date_el is not None:
        published = _machine_date(date_el)  # "2 tuần trước" printed, the time in <time datetime>
    if published is None and layout.date_near_title:
        published = visible_date(title_el if title_el is not None else (soup.body or soup))
    if published is None and layout.url_date and url:
        published = _date_in_url(layout.url_date, url)
    summary_el = next((el for sel in layout.summary for el in soup.select(sel)
                       if el.get_text(strip=True) and not _teaser(el)), None)
    summary = clean_spaces(summary_el.get_text(" ", strip=True)) if summary_el else None
    author_el = _first(soup, layout.author)
    author_hint = clean_spaces(author_el.get_text(" ", strip=True)) if author_el else None
    category_el = _first(soup, layout.category)
    category = clean_spaces(category_el.get_text(" ", strip=True)) if category_el else None
    attachments = [(a, urljoin(url or "", a["href"])) for sel in layout.attachments for a in soup.select(sel)
                   if a.get("href")]
    container = _first(soup, layout.body)
    if container is None:
        body = soup.body or soup
        strip_furniture(body, layout.drop)
        container = densest(body)
    else:
        strip_furniture(container, layout.drop, keep=", ".join(layout.body))
    attachments += [(a, urljoin(url or "", a["href"])) for a in container.find_all("a", href=True)
                    if _ATTACHMENT.search(a["href"])]
    lines = blocks(container)
    if summary_el is not None and container.find(lambda t: t is summary_el):
        summary = None  # the summary sits inside the body: it is read there, once
    if title and lines and fold(lines[0]) == fold(title):
        lines = lines[1:]
    lines = [line for line in lines if not FURNITURE_LINE.match(fold(line))]
    if lines and len(lines[0]) < 80 and parse_datetime_line(lines[0]):
        lines = lines[1:]
    author, author_line = byline(lines)
    if author_line is not None:
        lines = lines[:author_line] + lines[author_line + 1:]
    while lines and _SOURCE.match(fold(lines[-1])):
        lines.pop()  # "Nguồn: Sở Nội vụ" credits a source: not the article's text
    if author is None and author_hint:
        author = byline([author_hint])[0]
    if summary and (not lines or fold(lines[0]) != fold(summary)):
        lines = [summary] + lines
    in_page_order = sorted(attachments, key=lambda pair: order.get(id(pair[0]), len(order)))
    unique = tuple(dict.fromkeys(url for _, url in in_page_order))
    return PageParts(title, published, author, "\n".join(lines), unique, category, layout.label)
