"""The `extract --json` contract as plain dataclasses.

Keys may be added by later versions, never renamed. Every fact carries its
provenance: the sentence, character offsets into `Article.text`, and the rule.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

# Recorded on every article row (articles.extractor_version), so facts read by different rules
# can be told apart. Bumped whenever what extraction returns can change (rules, lexicons,
# layouts, gazetteer); tests/test_extractor_version.py fails when extract/ changes unrecorded.
EXTRACTOR_VERSION = "0.2.0"


@dataclass
class Evidence:
    sentence: str
    start: int
    end: int
    rule: str


@dataclass
class Event:
    kind: str
    date: str | None
    organizer: str | None
    chairs: list[str]
    attendees: list[str]
    sentence: str
    start: int
    end: int
    rule: str


@dataclass
class Official:
    name: str
    titles: list[str]
    roles: list[str]
    unit: str | None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Unit:
    name: str
    level: str
    code: str | None  # pre-July-2025 statistics-office code, when the gazetteer pins it down
    parent: str | None
    evidence: list[Evidence] = field(default_factory=list)
    linked_by: str = "not-found"  # how the gazetteer chose: unique, parent-in-article, site-unit, …
    candidates: list[str] = field(default_factory=list)  # codes still possible when ambiguous
    successors: list[str] = field(default_factory=list)  # post-2025 units it became: "xã Sơn Mỹ (23266)"


@dataclass
class Ranking:
    index: str
    year: int | None
    unit: str | None
    rank: int | None
    of: int | None
    scope: str | None
    score: float | None
    grade: str | None
    progress_percent: float | None
    change: int | None
    sentence: str
    start: int
    end: int
    rule: str


@dataclass
class Document:
    number: str
    kind: str | None
    date: str | None
    issuer: str | None
    sentence: str
    start: int
    end: int
    rule: str


@dataclass
class Period:
    """A span the article reports on ("9 tháng đầu năm 2023", "quý III/2024")."""

    kind: str  # year | quarter | months | month | range
    first_day: str
    last_day: str
    text: str
    sentence: str
    start: int
    end: int
    rule: str = "period"


@dataclass
class Facts:
    events: list[Event] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    rankings: list[Ranking] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Article:
    url: str | None
    title: str | None
    published: datetime | None
    author: str | None
    text: str
    attachments: list[str] = field(default_factory=list)
    category: str | None = None
    layout: str | None = None  # which page layout read it: "nukeviet4@1", "generic@1"

    @property
    def published_iso(self) -> str | None:
        return self.published.isoformat() if self.published else None

    @property
    def published_date(self) -> date | None:
        return self.published.date() if self.published else None


@dataclass
class Context:
    """What the page around the text tells the fact extractor."""

    published: datetime | None = None
    title: str | None = None
    site_unit: str | None = None  # e.g. "xã Tân Thắng": the publishing portal's unit
    site_province: str | None = None
