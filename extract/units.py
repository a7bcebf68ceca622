"""Administrative units named in the text: level word + name ("xã Tân Thắng", "Phường 03")."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .lexicon import COMMITTEE_LEVEL, LEVEL_RANK, LEVELS
from .matching import Span
from .names import run_at
from .text import fold, titlecase_vi

_LEVEL_WORDS = sorted(LEVELS, key=len, reverse=True)


@dataclass(frozen=True)
class UnitMention:
    name: str  # "xã Tân Thắng": level word in lower case, then the proper name
    level: str
    start: int
    end: int


def display(level: str, proper: str) -> str:
    return f"{level} {proper}"


def split_unit(name: str) -> tuple[str, str]:
    """'thành phố Sa Đéc' -> ('thành phố', 'Sa Đéc')."""
    words = name.split()
    size = 2 if fold(" ".join(words[:2])) in ("thanh pho", "thi xa", "thi tran") else 1
    return " ".join(words[:size]), " ".join(words[size:])


def _proper(words: tuple[str, ...]) -> str:
    if len(words) == 1 and words[0].isdecimal():
        return str(int(words[0]))
    text = " ".join(words)
    return titlecase_vi(text) if text.isupper() and len(text) > 2 else text


def mentions(span: Span, known: set[str] | None = None) -> list[UnitMention]:
    """Unit mentions in one sentence; all-caps names only when `known` confirms them."""
    out: list[UnitMention] = []
    text, folded = span.text, span.folded
    for m in re.finditer(r"(?<![\w.])(thanh pho|thi xa|thi tran|tinh|huyen|quan|xa|phuong|tp\.|tx\.|p\.)\s?", folded):
        level_key = m.group(1)
        if not span.is_word_at(m.start(), level_key) and not level_key.endswith("."):
            continue
        original = text[m.start():m.end(1)]
        if level_key.endswith(".") and not original[0].isupper():
            continue
        level = LEVELS[level_key]
        caps = original.isupper() and len(original) > 1 and not level_key.endswith(".")  # "TP." is always upper
        run = run_at(text, m.end(), allow_caps=caps, allow_digits=level in ("phường", "quận", "xã"), limit=4)
        if run is None:
            continue
        if caps or any(w.isupper() and len(w) > 1 for w in run.words):
            run = _confirm_caps(run, level, known or set())
            if run is None:
                continue
        proper, end = _proper(run.words), run.end
        joined = hyphenated_end(text, run, level_key)
        if joined != run.end:
            proper, end = text[run.start:joined], joined
        number = _NUMBER_AFTER.match(text, end)
        if number and not run.words[-1].isdigit():
            proper, end = f"{proper} {int(number.group(1))}", number.end()
        out.append(UnitMention(display(level, proper), level, m.start(), end))
        if folded[max(0, m.start() - 4):m.start()] == "cac ":
            out += _listed(span, level, end)
    for m in re.finditer(r"(?<![\w.])(huyen uy|thanh uy|thi uy|quan uy|tinh uy)\s", folded):
        level = COMMITTEE_LEVEL[m.group(1)]
        run = run_at(text, m.end(), limit=4)
        if run is not None and not any(w.isupper() and len(w) > 1 for w in run.words):
            out.append(UnitMention(display(level, run.text), level, m.start(), run.end))
    return out


_NUMBER_AFTER = re.compile(r" (\d{1,2})(?![\d/%]|[.,]\d)")
_LIST_GAP = re.compile(r"(?:, | và | va )")


def _listed(span: Span, level: str, pos: int) -> list[UnitMention]:
    """'các xã Bom Bo, Bình Minh, Minh Hưng': every name after the plural level word."""
    out = []
    while True:
        gap = _LIST_GAP.match(span.text, pos)
        if not gap:
            return out
        run = run_at(span.text, gap.end(), limit=4)
        if run is None:
            return out
        out.append(UnitMention(display(level, run.text), level, run.start, run.end))
        pos = run.end


def _confirm_caps(run, level: str, known: set[str]):
    """In 'XÃ TÂN THẮNG HỌP BAN …' the name's end is unknowable; take the longest known prefix."""
    for size in range(len(run.words), 0, -1):
        if fold(display(level, " ".join(run.words[:size]))) in known:
            return run.sub(0, size)
    return None


def collapse_stutter(names: list[str]) -> dict[str, str]:
    """'xã Tân Tân Thắng' is a typo of 'xã Tân Thắng' when the latter is also written."""
    folded = {fold(n): n for n in names}
    mapping: dict[str, str] = {}
    for name in names:
        level, proper = split_unit(name)
        words = proper.split()
        if len(words) >= 3 and fold(words[0]) == fold(words[1]):
            shorter = fold(f"{level} {' '.join(words[1:])}")
            if shorter in folded:
                mapping[name] = folded[shorter]
    return mapping


def main_units(all_mentions: list[UnitMention], site_unit: str | None) -> dict[str, str]:
    """The article's own unit per level: the site's unit first, else the most named."""
    by_level: dict[str, Counter] = {}
    for m in all_mentions:
        by_level.setdefault(m.level, Counter())[m.name] += 1
    chosen = {level: counts.most_common(1)[0][0] for level, counts in by_level.items()}
    if site_unit:
        chosen[split_unit(site_unit)[0]] = site_unit
    return chosen


def parent_of(unit: UnitMention, chosen: dict[str, str]) -> str | None:
    """The next level up named in the same article (the gazetteer refines this later)."""
    rank = LEVEL_RANK.get(unit.level)
    if rank is None or rank == 0:
        return None
    candidates = [name for level, name in chosen.items() if LEVEL_RANK.get(level) == rank - 1]
    return candidates[0] if len(candidates) == 1 else None


def hyphenated_end(text: str, run, level_key: str) -> int:
    """'tỉnh Bà Rịa - Vũng Tàu': extend a unit's name over a hyphen when the gazetteer
    knows the joined name; otherwise the hyphen separates titles."""
    m = re.match(r"\s?[-–]\s?", text[run.end:])
    if not m:
        return run.end
    second = run_at(text, run.end + m.end(), limit=3)
    if second is None:
        return run.end
    from . import gazetteer

    level = LEVELS.get(level_key, COMMITTEE_LEVEL.get(level_key))
    if gazetteer.lookup(f"{run.text} - {second.text}", level):
        return second.end
    return run.end
