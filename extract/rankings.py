"""Index rankings: CCHC/PAR Index, SIPAS, PAPI, PCI, DTI, as bulletins report them."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import GRADES, INDICES, SCOPES
from .matching import Span

_NUM = r"(\d{1,3}(?:[.,]\d{1,4})?)"
_RANK = re.compile(r"(?:xep|dung|dat)\s+(?:hang\s+|o\s+)?(?:vi\s+tri\s+|vi\s+)?thu\s+(?:hang\s+)?(\d{1,3})(?:\s*/\s*(\d{1,3}))?"
                   r"|vi\s+thu\s+(\d{1,3})(?:\s*/\s*(\d{1,3}))?|thu\s+hang\s+(\d{1,3})(?:\s*/\s*(\d{1,3}))?")
_OF = re.compile(r"(?:tren|trong\s+(?:tong\s+so\s+)?)\s*(\d{1,3})\s+(?:tinh|huyen|xa|don vi|co quan|so|dia phuong)")
_FIRST = re.compile(r"(?<!nguoi )(?:dung dau|dan dau)")
_ASPIRATION = re.compile(r"(phan dau|muc tieu|giu vung|nhom)[^.;]{0,40}$")
_SCORE = re.compile(rf"(?:dat|voi|duoc)\s+(?:so\s+diem\s+|tong\s+diem\s+|chi\s+so\s+)?{_NUM}\s*diem|\({_NUM}\s*diem\)")
_PERCENT = re.compile(rf"(?:dat|voi|la)\s+(?:ty le\s+)?{_NUM}\s*%")
_PROGRESS = re.compile(rf"uoc\s+dat\s+{_NUM}\s*%|(?:dat|hoan thanh)\s+{_NUM}\s*%\s+(?:ke hoach|chi tieu)")
_GRADE = re.compile(r"(?:xep loai|loai|muc|dat muc|danh gia)\s+(" + "|".join(GRADES) + r")(?!\w)")
_CHANGE = re.compile(r"(tang|giam)\s+(\d{1,3})\s+bac")


@dataclass
class RankingMention:
    index: str
    rank: int | None
    of: int | None
    scope: str | None
    score: float | None
    grade: str | None
    progress_percent: float | None
    change: int | None
    rule: str
    at: int = 0  # where the first value phrase starts, to find the year it belongs to


def _num(text: str | None) -> float | None:
    if text is None:
        return None
    return float(text.replace(",", "."))


def index_named(span: Span) -> str | None:
    for phrase, name in INDICES:
        if span.find(phrase) >= 0:
            return name
    return None


def read(span: Span, default_index: str | None) -> RankingMention | None:
    """A ranking in one sentence, if it carries a value (rank, score, grade or percent)."""
    named = index_named(span)
    index = named or default_index
    if index is None:
        return None
    folded = span.folded
    rank = of = None
    rule = []
    m = _RANK.search(folded)
    if m:
        groups = [g for g in m.groups()]
        pairs = [(groups[i], groups[i + 1]) for i in range(0, 6, 2) if groups[i]]
        rank, of = int(pairs[0][0]), (int(pairs[0][1]) if pairs[0][1] else None)
        rule.append("rank")
    elif named and _FIRST.search(folded) and not re.search(r"nhom (?:dan|dung) dau", folded):
        rank = 1
        rule.append("first")
    if rank is not None and of is None:
        o = _OF.search(folded)
        if o:
            of = int(o.group(1))
    score = percent = progress = None
    p = _PROGRESS.search(folded)
    if p:
        progress = _num(next(g for g in p.groups() if g))
        rule.append("progress")
    s = _SCORE.search(folded) if named or rank is not None else None
    if s:
        score = _num(next(g for g in s.groups() if g))
        rule.append("score")
    elif not p and named:
        pc = _PERCENT.search(folded)
        if pc:
            score = _num(pc.group(1))
            rule.append("percent")
    g = _GRADE.search(folded)
    grade = None
    if g and (named or "xep loai" in folded) and not _ASPIRATION.search(folded[:g.start()]):
        grade = span.text[g.start(1):g.end(1)]
        rule.append("grade")
    c = _CHANGE.search(folded)
    change = (int(c.group(2)) * (1 if c.group(1) == "tang" else -1)) if c else None
    if rank is None and score is None and grade is None and progress is None:
        return None
    scope = next((label for phrase, label in SCOPES if span.find(phrase) >= 0), None)
    at = min(x.start() for x in (m, p, s, g) if x is not None) if any((m, p, s, g)) else 0
    return RankingMention(index, rank, of, scope, score, grade, progress, change, "+".join(rule), at)
