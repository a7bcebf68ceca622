"""`article(html, url)` and `article_from_text(text)`: the article out of its page.

HTML goes through the platform's layout (`extract/layouts/`); a page saved as plain
text is read line by line, its furniture (counters, "Thông tin khác", "Văn bản mới")
cut off. The visible date line near the title is trusted over metadata, which portals
get wrong (non-ISO og:article:published_time, datePublished = edit time).
"""
from __future__ import annotations

import re

from . import layouts
from .dates import find_published, parse_datetime_line
from .layouts.base import FURNITURE_LINE, byline
from .model import Article
from .text import clean_spaces, fold

# Lines that start page furniture in a saved-as-text page (seeds 000-004).
FURNITURE_HEADS = (
    "thong ke truy cap", "thong tin khac", "van ban moi", "van ban - chi dao dieu hanh", "tin lien quan",
    "y kien ban doc", "tong so diem cua bai viet", "click de danh gia", "moi ban la nguoi dau tien",
    "tin cung chuyen muc", "cac tin khac", "nhung tin moi hon", "nhung tin cu hon", "dang nhap",
    "ban da khong su dung site", "tin khac", "tin da dua", "bai viet lien quan", "xem them", "tin moi",
    "tin noi bat", "tin xem nhieu", "chia se",
)
_PUB_LINE_LABEL = re.compile(r"^(ngay dang|dang luc|dang ngay|cap nhat|ngay cap nhat|thoi gian dang)\s*:?")


def _is_furniture_head(line: str) -> bool:
    f = fold(line).strip(" :•-")
    return any(f == h or f.startswith(h + " ") or f.startswith(h + ":") for h in FURNITURE_HEADS)
















def article(html: str | bytes, url: str | None = None, platform: str | None = None,
            continuations: tuple[str, ...] = ()) -> Article:
    """The article on a page, read with the platform's layout (detected when not given);
    `continuations` are the later pages of an article split over several."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    layout = (layouts.get(platform) if platform else None) or layouts.detect(text, url)
    parts = layouts.parse_with(layout, text, url)
    body, attachments, author = [parts.text], list(parts.attachments), parts.author
    for later in continuations:
        more = layouts.parse_with(layout, later, url)
        body.append(more.text)
        attachments += [a for a in more.attachments if a not in attachments]
        author = author or more.author
    return Article(url, parts.title, parts.published, author, "\n".join(t for t in body if t), attachments,
                   parts.category, parts.layout)


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
        if FURNITURE_LINE.match(fold(line)) or fold(line) == fold(title):
            continue
        body.append(line)
    labelled = _labelled_date_line(body)
    if labelled is not None and (published is None or (published.hour, published.minute) == (0, 0)):
        published = parse_datetime_line(body.pop(labelled))
    author, author_line = byline(body)
    if author_line is not None:
        body = body[:author_line] + body[author_line + 1:]
    return Article(url, title, published, author, "\n".join(body))


def _labelled_date_line(lines: list[str]) -> int | None:
    """'Đăng lúc: 15:10:22 19/07/2024' may stand below the body, after a header-only date."""
    for i, line in enumerate(lines):
        if len(line) < 60 and _PUB_LINE_LABEL.match(fold(line)) and parse_datetime_line(line):
            return i
    return None
