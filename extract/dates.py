"""A small Vietnamese date grammar.

dateparser misses the portals' own date lines ("Thứ 7, 13/04/2024 | 21:53:07
[GMT +7]", "Chiều ngày 22/3/2024") and reads "80%" as 1980, so bantin matches
the few shapes that bulletins use. Patterns run on folded text (see
`text.fold`), so they also match pages typed without diacritics.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from .text import fold

VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

_D = r"(?P<d>\d{1,2})"
_M = r"(?P<m>\d{1,2})"
_Y = r"(?P<y>\d{4})"
_TIME = r"(?P<H>\d{1,2})[:hg](?P<Mi>\d{2})(?::(?P<S>\d{2}))?"
_WEEKDAY = r"(?:thu\s*(?:hai|ba|tu|nam|sau|bay|[2-7])|chu\s*nhat|cn)"

# A publication line: the date, then (optionally) the time, or the time first.
_PUB_DATE_TIME = re.compile(
    rf"(?:{_WEEKDAY}\s*[-,|]?\s*)?(?<![\d/])(?<![a-z]/){_D}[/.-]{_M}[/.-]{_Y}(?![\d/])"
    rf"(?:\s*(?:[-|,]|luc)?\s*{_TIME})?"
)
_PUB_TIME_DATE = re.compile(rf"(?<![\d:]){_TIME}\s*(?:[-|,]\s*)?(?:ngay\s*)?{_D}/{_M}/{_Y}(?![\d/])")
_PUB_LABEL = re.compile(r"(ngay dang|dang luc|cap nhat|ngay cap nhat|dang ngay|thoi gian dang)\s*:?")

# Event dates inside sentences.
_FULL_NUMERIC = re.compile(rf"(?<![\w/.-]){_D}\s*[/.-]\s*{_M}\s*[/.-]\s*{_Y}(?![\d/])")
_WORDY = re.compile(rf"ngay\s+{_D}\s+thang\s+{_M}\s*(?:,\s*)?nam\s+{_Y}")
_DAY_MONTH = re.compile(
    rf"(?:(?:sang|chieu|toi|trua|dem)(?:\s+ngay)?|ngay)\s+{_D}\s*[/-]\s*{_M}(?![\d/-])"
)
# "Sáng nay (30/9)": the news style's today, its day and month in brackets.
_TODAY = re.compile(rf"(?:sang|chieu|toi|trua|hom)\s+nay\s*\(\s*{_D}\s*[/-]\s*{_M}\s*\)")
# "Trong 2 ngày 26 và 27/9/2024", "từ ngày 26 - 27/9/2024": an event over days starts on the first.
_DAY_SPAN = re.compile(rf"ngay\s+{_D}\s*(?:va|-|–|den(?:\s+ngay)?)\s*\d{{1,2}}\s*[/.-]\s*{_M}\s*[/.-]\s*{_Y}(?![\d/])")
# "Kế hoạch số 84/KH-UBND ngày 15/3/2024": that date belongs to the document.
_AFTER_DOC_NUMBER = re.compile(r"\d+\s*(?:/\s*(?:\d{4}/)?|-)[a-z&]+(?:[-/][a-z&]+)*\s*(?:cua [^,.;]{0,40})?\s*ngay\s*$")


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _build_dt(g: dict[str, str | None]) -> datetime | None:
    day = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
    if day is None or not 1900 <= day.year <= 2100:
        return None
    hour = int(g.get("H") or 0)
    minute = int(g.get("Mi") or 0)
    second = int(g.get("S") or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=VN_TZ)


def parse_datetime_line(line: str, fallback: bool = True) -> datetime | None:
    """Read one visible date line ("Thứ hai - 18/03/2024 03:41", "15:22 27/12/2024"); forms
    our grammar does not know ("2024-03-18 10:30", "March 18, 2024") go to dateparser."""
    folded = fold(line)
    for pattern in (_PUB_TIME_DATE, _PUB_DATE_TIME):
        for match in pattern.finditer(folded):
            built = _build_dt(match.groupdict())
            if built is not None:
                return built
    if fallback and len(line) <= 60 and _YEAR_ANYWHERE.search(line) and not _NOT_A_DATE_LINE.search(folded):
        return _dateparser_fallback(line.strip())
    return None


_YEAR_ANYWHERE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
# Lines that carry a year but are not a date: percentages, document numbers, periods.
_NOT_A_DATE_LINE = re.compile(r"%|/[a-z]{2,}|\bquy\b|\bgiai doan\b|\bthang (?:dau|cuoi)\b")


@lru_cache(maxsize=2048)
def _dateparser_fallback(line: str) -> datetime | None:
    import dateparser  # slow to import and to run: only for lines our grammar could not read

    try:
        parsed = dateparser.parse(line, languages=["vi", "en"], settings={
            "DATE_ORDER": "DMY", "TIMEZONE": "Asia/Ho_Chi_Minh", "RETURN_AS_TIMEZONE_AWARE": True,
            "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"})
    except Exception:  # dateparser raises on some odd inputs; an unreadable line is no date
        return None
    if parsed is None or not 1900 <= parsed.year <= 2100:
        return None
    return parsed.astimezone(VN_TZ)


def find_published(lines: list[str], max_lines: int = 8) -> tuple[datetime | None, int | None]:
    """The first line near the top that is a date line, and its index.

    A date line is short and mostly the date; a sentence that mentions a date is not.
    """
    for fallback in (False, True):  # the portals' own date forms first, anywhere near the top
        date_only: tuple[datetime | None, int | None] = (None, None)
        for index, line in enumerate(lines[:max_lines]):
            folded = fold(line)
            if len(line) > 80 and not _PUB_LABEL.match(folded):
                continue
            parsed = parse_datetime_line(line, fallback)
            if parsed is None:
                continue
            if _has_time(folded):
                return parsed, index
            if date_only[0] is None:  # a header's "Thứ sáu, 19/07/2024" may precede "Đăng lúc: 15:10 …"
                date_only = (parsed, index)
        if date_only[0] is not None:
            return date_only
    return None, None


def _has_time(folded: str) -> bool:
    return bool(re.search(r"(?<!\d)\d{1,2}[:h]\d{2}(?!\d)", folded))


def _year_for(day: int, month: int, reference: date | None) -> date | None:
    """'Sáng 19-7' takes the publication year, never a date after publication."""
    if reference is None:
        return None
    candidate = _safe_date(reference.year, month, day)
    if candidate is None:
        candidate = _safe_date(reference.year - 1, month, day)
        return candidate
    if candidate > reference:
        candidate = _safe_date(reference.year - 1, month, day)
    return candidate


def event_dates(sentence: str, reference: date | None = None) -> list[tuple[date, int, int]]:
    """Dates an event in `sentence` may take place on, with their offsets.

    Dates right after a document number are the document's, not the event's.
    """
    folded = fold(sentence)
    found: list[tuple[date, int, int]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def after_document(start: int) -> bool:
        return bool(_AFTER_DOC_NUMBER.search(folded[max(0, start - 80):start]))

    for pattern in (_DAY_SPAN, _WORDY, _FULL_NUMERIC):
        for m in pattern.finditer(folded):
            g = m.groupdict()
            day = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
            if day is None or not free(m.start(), m.end()):
                continue
            taken.append((m.start(), m.end()))
            if not after_document(m.start()):
                found.append((day, m.start(), m.end()))
    for m in (*_TODAY.finditer(folded), *_DAY_MONTH.finditer(folded)):
        if not free(m.start(), m.end()):
            continue
        day = _year_for(int(m["d"]), int(m["m"]), reference)
        if day is not None and not after_document(m.start()):
            found.append((day, m.start(), m.end()))
    found.sort(key=lambda item: item[1])
    return found


def document_date(tail: str) -> date | None:
    """The 'ngày 15/3/2024' that directly follows a document number."""
    m = re.match(rf"\s*(?:,\s*)?ngay\s+{_D}\s*[/.-]\s*{_M}\s*[/.-]\s*{_Y}", fold(tail))
    if m:
        return _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    m = re.match(rf"\s*(?:,\s*)?ngay\s+{_D}\s+thang\s+{_M}\s+nam\s+{_Y}", fold(tail))
    if m:
        return _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return None


_YEAR = re.compile(r"(?<![\d/.,])(?:nam\s+)(?P<y>(?:19|20)\d{2})(?![\d/])")


def years_in(sentence: str) -> list[int]:
    return [int(m["y"]) for m in _YEAR.finditer(fold(sentence))]


# --- periods: spans of time a bulletin reports on, never an event's day ---

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = re.compile(r"quy\s+(iv|iii|ii|i|[1-4])(?:\s*/\s*|\s+nam\s+)((?:19|20)\d{2})(?!\d)")
_MONTHS = re.compile(r"(\d{1,2})\s+thang\s+(dau|cuoi)\s+nam(?:\s+((?:19|20)\d{2}))?(?!\d)")
_RANGE = re.compile(r"giai\s+doan\s+((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})(?!\d)")
_MONTH_YEAR = re.compile(r"(?<![\d/])thang\s+(\d{1,2})\s*(?:/|\s+nam\s+)((?:19|20)\d{2})(?!\d)")


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))


def periods(sentence: str, reference: date | None = None) -> list[tuple[str, date, date, int, int]]:
    """(kind, first day, last day, start, end) for "quý III/2024", "9 tháng đầu năm 2023",
    "giai đoạn 2021-2025", "tháng 3/2024"; a year left out ("3 tháng cuối năm") is the
    reference year."""
    folded = fold(sentence)
    out: list[tuple[str, date, date, int, int]] = []
    for m in _QUARTER.finditer(folded):
        q, year = _ROMAN[m.group(1)], int(m.group(2))
        out.append(("quarter", date(year, 3 * q - 2, 1), _month_end(year, 3 * q), m.start(), m.end()))
    for m in _MONTHS.finditer(folded):
        months = int(m.group(1))
        later = re.search(r"nam\s+((?:19|20)\d{2})(?!\d)", folded[m.end():])  # "9 tháng đầu năm và 3 tháng cuối năm 2023"
        year = int(m.group(3)) if m.group(3) else int(later.group(1)) if later else (reference.year if reference else None)
        if year is None or not 1 <= months <= 12:
            continue
        if m.group(2) == "dau":
            out.append(("months", date(year, 1, 1), _month_end(year, months), m.start(), m.end()))
        else:
            out.append(("months", date(year, 13 - months, 1), date(year, 12, 31), m.start(), m.end()))
    for m in _RANGE.finditer(folded):
        first, last = int(m.group(1)), int(m.group(2))
        if first <= last:
            out.append(("range", date(first, 1, 1), date(last, 12, 31), m.start(), m.end()))
    for m in _MONTH_YEAR.finditer(folded):
        month, year = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            out.append(("month", date(year, month, 1), _month_end(year, month), m.start(), m.end()))
    taken = [(s, e) for *_, s, e in out]
    for m in _YEAR.finditer(folded):
        if all(m.end() <= s or m.start() >= e for s, e in taken):
            year = int(m["y"])
            out.append(("year", date(year, 1, 1), date(year, 12, 31), m.start(), m.end()))
    out.sort(key=lambda p: p[3])
    return out
