"""`article(html, url)` and `article_from_text(text)`: the article out of its page.

Generic rules for issue-2-era portals; per-platform profiles live in scraper/.
The visible date line near the title is trusted over metadata, which portals
get wrong (non-ISO og:article:published_time, datePublished = edit time).
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from .dates import find_published, parse_datetime_line
from .model import Article
from .text import clean_spaces, fold

_BODY_SELECTORS = (
    "#news-bodyhtml", "[itemprop=articleBody]", "div.bodytext", ".news-content", ".content-detail",
    ".detail-content", ".noi-dung", ".journal-content-article", "#divArticleDescription2", ".entry-content",
    "article .content", "article",
)
_SUMMARY_SELECTORS = (".hometext", "[itemprop=description]", "#divArticleDescription1", ".sapo", ".summary")
_BOILERPLATE = re.compile(
    r"sidebar|menu|footer|header|counter|thong-?ke|login|dang-?nhap|comment|binh-?luan|rating|danh-?gia|"
    r"related|other-news|tin-?lien-?quan|tin-?khac|share|social|breadcrumb|banner|van-?ban|pagination|print",
    re.I,
)
_DROP_TAGS = ("script", "style", "noscript", "form", "nav", "header", "footer", "aside", "iframe", "button", "select")
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "tr", "div", "td", "pre")
_AUTHOR = re.compile(r"^\s*(?:tac gia(?: bai viet)?|but danh|phong vien|nguoi viet|tin,? anh|bai,? anh|tin va anh|bai va anh|tin|bai)\s*:\s*", re.I)
_SOURCE = re.compile(r"^\s*nguon(?: tin)?\s*:", re.I)
_PUB_LINE_LABEL = re.compile(r"^(ngay dang|dang luc|dang ngay|cap nhat|ngay cap nhat|thoi gian dang)\s*:?")
_NAME_LINE = re.compile(r"^[A-ZÀ-ỸĐ][\wÀ-ỹđĐ]*(?: [A-ZÀ-ỸĐ][\wÀ-ỹđĐ]*){1,4}$")

# Lines that are page furniture in a saved-as-text page (seeds 000-004).
FURNITURE_HEADS = (
    "thong ke truy cap", "thong tin khac", "van ban moi", "van ban - chi dao dieu hanh", "tin lien quan",
    "y kien ban doc", "tong so diem cua bai viet", "click de danh gia", "moi ban la nguoi dau tien",
    "tin cung chuyen muc", "cac tin khac", "nhung tin moi hon", "nhung tin cu hon", "dang nhap", "ban da khong su dung site",
    "tin khac", "tin da dua", "bai viet lien quan", "xem them", "tin moi", "tin noi bat", "tin xem nhieu", "chia se",
)
_FURNITURE_LINE = re.compile(r"^(luot xem|da xem|luot doc)\s*:?\s*[\d.,]+$|^anh tin bai$|^\(\d+\)$|^\|$")


def _is_furniture_head(line: str) -> bool:
    f = fold(line).strip(" :•-")
    return any(f == h or f.startswith(h + " ") or f.startswith(h + ":") for h in FURNITURE_HEADS)


def _block_text(el: Tag) -> str:
    if el.name == "tr":
        cells = [c.get_text(" ", strip=True) for c in el.find_all(["td", "th"])]
        return " | ".join(c for c in cells if c)
    return el.get_text(" ", strip=True)


def _blocks(container: Tag) -> list[str]:
    """Text of the leaf blocks in document order (a table row is one block)."""
    out: list[str] = []
    for el in container.find_all(_BLOCKS):
        if el.name != "tr" and el.find_parent("tr"):
            continue  # a table row is one block: "1 | Xã Đức Liễu | 92,64 | Tốt"
        if el.name in ("div", "td") and el.find(_BLOCKS):
            continue
        if el.name in ("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption") and el.find_parent("tr"):
            continue
        if el.find_parent(["p", "li", "blockquote"]) and el.name not in ("tr",):
            continue
        text = clean_spaces(_block_text(el)).replace("\n", " ")
        if text:
            out.append(text)
    if not out:
        text = clean_spaces(container.get_text("\n", strip=True))
        out = [line for line in text.split("\n") if line]
    return out


def _strip_boilerplate(root: Tag) -> None:
    for tag in root.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in root.find_all(True):
        if tag.decomposed if hasattr(tag, "decomposed") else False:
            continue
        marker = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
        if marker.strip() and _BOILERPLATE.search(marker) and tag.name not in ("body", "html"):
            if not tag.select_one("#news-bodyhtml, [itemprop=articleBody]"):
                tag.decompose()


def _densest(root: Tag) -> Tag:
    """No known container: the element holding the most paragraph text."""
    best, best_len = root, 0
    for el in root.find_all(["div", "section", "article", "td", "main"]):
        length = sum(len(p.get_text(strip=True)) for p in el.find_all("p", recursive=False))
        if length > best_len:
            best, best_len = el, length
    return best


def _title(soup: BeautifulSoup, root: Tag) -> str | None:
    for selector in ("h1[itemprop=headline]", "h1.title", ".news-detail h1", "article h1", "h1", ".title-detail", "h2.title"):
        el = root.select_one(selector) or soup.select_one(selector)
        if el and el.get_text(strip=True):
            return clean_spaces(el.get_text(" ", strip=True))
    og = soup.select_one("meta[property='og:title']")
    if og and og.get("content"):
        return clean_spaces(og["content"])
    if soup.title and soup.title.string:
        return clean_spaces(soup.title.string).split(" - ")[0] or None
    return None


def _visible_date(soup: BeautifulSoup, title_el: Tag | None):
    """The first date line after the title, in document order."""
    candidates: list[str] = []
    start = title_el if title_el is not None else soup.body or soup
    for node in start.find_all_next(string=True, limit=400):
        if isinstance(node, NavigableString) and node.parent and node.parent.name not in ("script", "style"):
            text = clean_spaces(str(node))
            if text:
                candidates.append(text)
        if len(candidates) >= 40:
            break
    published, _ = find_published(candidates, max_lines=40)
    return published


def _author(lines: list[str]) -> tuple[str | None, int | None]:
    """'Tác giả: X' anywhere near the end, or a bare name as the last line."""
    for i in range(len(lines) - 1, max(-1, len(lines) - 6), -1):
        line = lines[i]
        m = _AUTHOR.match(fold(line))
        if m:
            name = line[m.end():].strip(" .")
            return (name or None), i
        if _SOURCE.match(fold(line)):
            continue  # "Nguồn: …" names a source, not an author; a byline may stand above it
    if lines:
        last = lines[-1].strip(" .")
        if _NAME_LINE.match(last) and not fold(last).startswith(("ubnd", "uy ban", "ban ", "phong ")) and len(last) < 40:
            return last, len(lines) - 1
    return None, None


def article(html: str | bytes, url: str | None = None) -> Article:
    soup = BeautifulSoup(html, "lxml")
    title_el = None
    for selector in ("h1[itemprop=headline]", "h1.title", "h1"):
        title_el = soup.select_one(selector)
        if title_el:
            break
    title = _title(soup, soup)
    published = _visible_date(soup, title_el)
    summary_el = next((el for s in _SUMMARY_SELECTORS if (el := soup.select_one(s))), None)
    summary = clean_spaces(summary_el.get_text(" ", strip=True)) if summary_el else None
    author_el = soup.select_one("p.h5.text-right, .author, .tac-gia, [itemprop=author]")
    author_hint = clean_spaces(author_el.get_text(" ", strip=True)) if author_el else None
    container = next((el for s in _BODY_SELECTORS if (el := soup.select_one(s))), None)
    if container is None:
        body = soup.body or soup
        _strip_boilerplate(body)
        container = _densest(body)
    else:
        _strip_boilerplate(container)
    lines = _blocks(container)
    if title and lines and fold(lines[0]) == fold(title):
        lines = lines[1:]
    lines = [line for line in lines if not _FURNITURE_LINE.match(fold(line))]
    if lines and parse_datetime_line(lines[0]) and len(lines[0]) < 80:
        lines = lines[1:]
    author, author_line = _author(lines)
    if author_line is not None:
        lines = lines[:author_line] + lines[author_line + 1:]
    if author is None and author_hint:
        author = _author([author_hint])[0]
    if summary and (not lines or fold(lines[0]) != fold(summary)):
        lines = [summary] + lines
    attachments = [a["href"] for a in container.find_all("a", href=True)
                   if re.search(r"\.(pdf|docx?|xlsx?|zip|rar)(\?|$)", a["href"], re.I)]
    return Article(url, title, published, author, "\n".join(lines), attachments)


def article_from_text(text: str, url: str | None = None) -> Article:
    """A page saved as plain text: title on the first line, furniture at the end."""
    lines = [line for line in clean_spaces(text).split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return Article(url, None, None, None, "")
    title = lines[0]
    rest = lines[1:]
    published, date_index = find_published(rest, max_lines=6)
    if date_index is not None:
        rest = rest[:date_index] + rest[date_index + 1:]
    body: list[str] = []
    for line in rest:
        if _is_furniture_head(line):
            break
        if _FURNITURE_LINE.match(fold(line)) or fold(line) == fold(title):
            continue
        body.append(line)
    labelled = _labelled_date_line(body)
    if labelled is not None and (published is None or (published.hour, published.minute) == (0, 0)):
        published = parse_datetime_line(body.pop(labelled))
    author, author_line = _author(body)
    if author_line is not None:
        body = body[:author_line] + body[author_line + 1:]
    return Article(url, title, published, author, "\n".join(body))


def _labelled_date_line(lines: list[str]) -> int | None:
    """'Đăng lúc: 15:10:22 19/07/2024' may stand below the body, after a header-only date."""
    for i, line in enumerate(lines):
        if len(line) < 60 and _PUB_LINE_LABEL.match(fold(line)) and parse_datetime_line(line):
            return i
    return None
