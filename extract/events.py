"""Events: meetings, conferences, campaign launches and inspections, with their chairs."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .lexicon import EVENT_KINDS
from .matching import Span
from .units import UnitMention


@dataclass
class EventDraft:
    kind: str
    date: date | None
    sentence_index: int
    sentence: str
    start: int
    end: int
    rule: str
    organizer: str | None = None
    chairs: list[str] = field(default_factory=list)
    attendees: list[str] = field(default_factory=list)


_ISSUES_PLAN = re.compile(r"(ban hanh|ky|xay dung)[^,.;]{0,30}ke hoach")


def kind_of(span: Span) -> str | None:
    """The event word that comes first in the sentence decides its kind."""
    best, best_kind = -1, None
    for phrase, kind in EVENT_KINDS:
        if kind is None:
            continue
        pos = span.find(phrase)
        while pos >= 0 and (span.folded[max(0, pos - 9):pos] == "ke hoach "
                            or kind == "inspection" and _ISSUES_PLAN.search(span.folded[:pos])):
            pos = span.find(phrase, pos + len(phrase))  # "kế hoạch kiểm tra" is a plan, not an inspection
        if pos >= 0 and (best < 0 or pos < best or best_kind == "other"):
            if kind == "other" and best_kind not in (None, "other"):
                continue
            best, best_kind = pos, kind
    return best_kind


_ORG = re.compile(r"(ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan|dang uy|ban thuong vu huyen uy|huyen uy|thanh uy|"
                  r"thi uy|tinh uy|uy ban mttq|ban chi dao[^,;.]{0,40}?)\s+(?=(xa|huyen|phuong|thi tran|thi xa|thanh pho|tinh|quan)(?!\w))")
_ORG_LABEL = {"ubnd": "UBND", "uy ban nhan dan": "UBND", "hdnd": "HĐND", "hoi dong nhan dan": "HĐND",
              "dang uy": "Đảng ủy", "uy ban mttq": "Ủy ban MTTQ"}


def organizer(span: Span, units: list[UnitMention], local: dict[str, str], aliases: dict[str, str]) -> str | None:
    """'UBND xã Tân Thắng tiến hành họp …': the first body + unit in the event's sentence."""
    m = _ORG.search(span.folded)
    if not m:
        return None
    label = _ORG_LABEL.get(m.group(1)) or span.text[m.start(1):m.end(1)]
    level_pos = m.start(2)
    named = next((u for u in units if u.start == level_pos), None)
    if named is not None:
        return f"{label} {aliases.get(named.name, named.name)}"
    level_word = span.text[level_pos:level_pos + len(m.group(2))].lower()
    unit = local.get(level_word)
    return f"{label} {unit}" if unit else None
