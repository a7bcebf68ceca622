"""Events: meetings, conferences, campaign launches and inspections, with their chairs."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .lexicon import COMMITTEE_LEVEL, EVENT_KINDS, TITLE_HEADS
from .matching import Span
from .text import fold
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
                  r"thi uy|tinh uy|uy ban mttq(?: viet nam)?|ban chi dao[^,;.]{0,40}?|doan thanh nien|huyen doan|hoi nong dan|"
                  r"hoi lien hiep phu nu|hoi lhpn|hoi cuu chien binh|hoi ccb|ban chi huy quan su|cong an)"
                  r"\s+(?=(xa|huyen|phuong|thi tran|thi xa|thanh pho|tinh|quan)(?!\w))")
# A party committee carries its level in its name: "Huyện ủy Kim Thành", or a bare "Huyện ủy".
_COMMITTEE = re.compile(r"(?<!\w)((?:ban thuong vu )?(huyen uy|thanh uy|thi uy|tinh uy|quan uy))(?!\w)")
# A committee in someone's title or in another body's name holds nothing: "Bí thư Huyện ủy", "Văn phòng Huyện ủy".
_IN_A_TITLE = re.compile(r"(?:" + "|".join(re.escape(h) for h in TITLE_HEADS) + r"|thuong truc|van phong|"
                         r"ban tuyen giao|ban to chuc|ban dan van|uy ban kiem tra)\s+$")
_PROPER = re.compile(r"\s+((?:[A-ZÀ-ỸĐ][\wÀ-ỹđ]*)(?:\s+[A-ZÀ-ỸĐ][\wÀ-ỹđ]*){0,3})")
_ORG_LABEL = {"ubnd": "UBND", "uy ban nhan dan": "UBND", "hdnd": "HĐND", "hoi dong nhan dan": "HĐND",
              "dang uy": "Đảng ủy", "uy ban mttq": "Ủy ban MTTQ"}


def _holder(pattern: re.Pattern, folded: str, not_after: str | None = None) -> re.Match | None:
    """The first body `pattern` finds that is not inside someone's title (nor right after
    `not_after`: in "làm việc với Huyện ủy" the committee is the one visited)."""
    for m in pattern.finditer(folded):
        before = folded[:m.start()]
        if not _IN_A_TITLE.search(before) and not (not_after and before.endswith(not_after)):
            return m
    return None


def organizer(span: Span, units: list[UnitMention], local: dict[str, str], aliases: dict[str, str]) -> str | None:
    """'UBND xã Tân Thắng tiến hành họp …': the first body + unit in the event's sentence."""
    m = _holder(_ORG, span.folded)
    committee = _holder(_COMMITTEE, span.folded, not_after="voi ")
    if committee and (not m or committee.start() < m.start()):
        return _committee(span, committee, local)
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


_COMMITTEE_LABEL = {"huyen uy": "Huyện ủy", "thanh uy": "Thành ủy", "thi uy": "Thị ủy", "tinh uy": "Tỉnh ủy",
                    "quan uy": "Quận ủy"}


def _committee(span: Span, m: re.Match, local: dict[str, str]) -> str | None:
    """'Huyện ủy Kim Thành', or a bare 'Huyện ủy' named after the article's own unit of that
    level ('Huyện ủy' in a Kim Thành bulletin is Huyện ủy Kim Thành); the article's own unit is
    also how a name in capitals ("HUYỆN ỦY KIM THÀNH TỔ CHỨC …") is written."""
    label = ("Ban Thường vụ " if m.group(1).startswith("ban thuong vu") else "") + _COMMITTEE_LABEL[m.group(2)]
    level = COMMITTEE_LEVEL[m.group(2)]
    unit = local.get(level)
    own = unit[len(level):].strip() if unit and unit.lower().startswith(level) else unit
    named = _PROPER.match(span.text, m.end(1))
    if named and own and fold(named.group(1)).startswith(fold(own)):
        return f"{label} {own}"
    if named and not named.group(1).isupper():
        return f"{label} {named.group(1)}"
    return f"{label} {own}" if own else None
