"""Index rankings: CCHC/PAR Index, SIPAS, PAPI, PCI, DTI, as bulletins report them."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import GRADES, INDEX_TOPICS, INDICES, SCOPES
from .matching import Span
from .model import Ranking
from .text import fold
from .lexicon import LEVEL_RANK
from .units import UnitMention, mentions, split_unit

_NUM = r"(\d{1,3}(?:[.,]\d{1,4})?)"
_RANK = re.compile(r"(?:xep|dung|dat)\s+(?:hang\s+|o\s+)?(?:vi\s+tri\s+|vi\s+)?thu\s+(?:hang\s+)?(\d{1,3})(?:\s*/\s*(\d{1,3}))?"
                   r"|vi\s+thu\s+(\d{1,3})(?:\s*/\s*(\d{1,3}))?|thu\s+hang\s+(\d{1,3})(?:\s*/\s*(\d{1,3}))?"
                   r"|vi\s+tri\s+thu\s+(\d{1,3})(?:\s*/\s*(\d{1,3}))?")
# "xếp thứ nhất", "đứng thứ ba": the rank written as a word.
_RANK_WORD = re.compile(r"(?:xep|dung)\s+(?:hang\s+|o\s+)?(?:vi\s+tri\s+|vi\s+)?thu\s+(nhat|nhi|hai|ba|tu|nam)(?!\w)(?!\s+\d)")
_ORDINALS = {"nhat": 1, "nhi": 2, "hai": 2, "ba": 3, "tu": 4, "nam": 5}
_MOVED = re.compile(r"tu\s+(?:vi\s+tri\s+)?(?:thu\s+)?\d{1,3}\s+(?:xuong|len)\s+(?:vi\s+tri\s+)?(?:thu\s+)?(\d{1,3})")
_GROUP_LEAD = re.compile(r"nhom[^.;]{0,40}(?:dan|dung) dau")
_OF = re.compile(r"(?:tren|trong)\s+(?:tong\s+so\s+)?(\d{1,3})\s+(?:tinh|huyen|xa|don vi|co quan|so|dia phuong)")
_FIRST = re.compile(r"(?<!nguoi )(?:dung dau|dan dau)")
_ASPIRATION = re.compile(r"(phan dau|muc tieu|giu vung|nhom)[^.;]{0,40}$")
_OUT_OF_100 = r"(?:\s*/\s*100)?"  # "đạt 85,36/100 điểm": the score out of its scale
_SCORE = re.compile(rf"(?:dat|voi|duoc)\s+(?:so\s+diem\s+|tong\s+diem\s+|chi\s+so\s+)?{_NUM}{_OUT_OF_100}\s*diem"
                    rf"|\({_NUM}{_OUT_OF_100}\s*diem\)")
_PERCENT = re.compile(rf"(?:dat|voi|la)\s+(?:ty le\s+)?{_NUM}\s*%")
_PROGRESS = re.compile(rf"uoc\s+dat\s+{_NUM}\s*%|(?:dat|hoan thanh)\s+{_NUM}\s*%\s+(?:ke hoach|chi tieu)")
_GRADE = re.compile(r"(?:xep loai|loai|muc|dat muc|danh gia|xep)\s+(" + "|".join(GRADES) + r"|nhom [abc]|nhom i{1,3})(?!\w)")
_LAST_PLACE = re.compile(r"cuoi bang\s*\(\s*(\d{1,3})\s*/\s*(\d{1,3})\s*\)")
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


def _about_the_index(span: Span) -> bool:
    """'các nhiệm vụ CCHC ước đạt 80% kế hoạch' reports index work; 'giải ngân … ước đạt 61%
    kế hoạch' reports money."""
    if re.search(r"giai ngan|\bvon\b|ngan sach|thu nop|doanh thu", span.folded):
        return False
    return bool(index_named(span, INDEX_TOPICS) or re.search(r"\bnhiem vu\b", span.folded))


def index_named(span: Span, phrases=INDICES) -> str | None:
    for phrase, name in phrases:
        if span.find(phrase) >= 0:
            return name
    return None


def read(span: Span, default_index: str | None, named_nearby: str | None = None) -> RankingMention | None:
    """A ranking in one sentence or clause, if it carries a value (rank, score, grade or percent);
    `named_nearby` is an index the rest of the sentence names."""
    named_here = index_named(span)
    named = named_here or named_nearby
    index = named or default_index
    if index is None:
        return None
    folded = span.folded
    rank = of = None
    rule = []
    m = _RANK.search(folded)
    moved = _MOVED.search(folded)
    if moved:  # "giảm 11 bậc, từ vị trí thứ 6 xuống 17": the rank is where it went
        rank, of = int(moved.group(1)), None
        rule.append("moved")
        m = moved
    elif m:
        groups = [g for g in m.groups()]
        pairs = [(groups[i], groups[i + 1]) for i in range(0, len(groups), 2) if groups[i]]
        rank, of = int(pairs[0][0]), (int(pairs[0][1]) if pairs[0][1] else None)
        rule.append("rank")
    elif word := _RANK_WORD.search(folded):
        rank = _ORDINALS[word.group(1)]
        rule.append("rank-word")
        m = word
    elif last_place := _LAST_PLACE.search(folded):
        rank, of = int(last_place.group(1)), int(last_place.group(2))
        rule.append("last-place")
    elif named and _FIRST.search(folded) and not _GROUP_LEAD.search(folded):
        rank = 1
        rule.append("first")
    if rank is not None and of is None:
        o = _OF.search(folded)
        if o:
            of = int(o.group(1))
    score = progress = pc = None
    p = _PROGRESS.search(folded) if _about_the_index(span) else None
    if p:
        progress = _num(next(g for g in p.groups() if g))
        rule.append("progress")
    s = _SCORE.search(folded) if named or rank is not None else None
    if s:
        score = _num(next(g for g in s.groups() if g))
        rule.append("score")
    elif not p and named_here:  # a bare "đạt 31%" beside the index is some other rate
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
    found = [x.start() for x in (m, p, s, g, pc) if x is not None]
    at = min(found) if found else 0
    return RankingMention(index, rank, of, scope, score, grade, progress, change, "+".join(rule), at)


# --- article level: which unit and year each ranking belongs to, and ranking tables ---

_COUNTED = re.compile(r"(?:\d+|cac|nhung|khong co)\s+(?:don vi|xa|huyen|co quan|so|dia phuong|phuong|thi tran|quan|tinh)[^,;.]{0,12}$")
_COMPARED_YEAR = re.compile(r"so voi(?: cung ky)?\s+$")
_POPULATION = re.compile(r"(?:cua|trong|tren|gom|ca)\s+(?:ubnd\s+)?(\d{1,3})\s+(?:xa|don vi|huyen|co quan|so|dia phuong|phuong)")
_HEADER_WORDS = {"rank": ("stt", "xep hang", "thu hang", "thu tu", "hang"), "unit": ("don vi", "dia phuong", "ten don vi"),
                 "score": ("diem", "tong diem", "ket qua", "chi so"), "grade": ("xep loai", "loai")}


def collect(text, title, sents, spans, units, aliases, local, article_unit, events) -> list[Ranking]:
    """Every ranking in the article, sentences and table rows, each tied to a unit and a year."""
    whole = Span((title or "") + "\n" + text[:3000], spans[0].strict if spans else True)
    default_index = index_named(whole, INDEX_TOPICS)
    population = _POPULATION.search(whole.folded)
    by_sentence: dict[int, list[UnitMention]] = {}
    for named in units.values():
        for i, u in named:
            by_sentence.setdefault(i, []).append(u)
    known = list(units)
    out: list[Ranking] = []
    last_year = None
    for i, (s, span) in enumerate(zip(sents, spans)):
        years = [y for y, at in _years(s.text) if not _COMPARED_YEAR.search(span.folded[max(0, at - 16):at])]
        if " | " in s.text:
            row = _table_row(s, span, sents, i, default_index, population)
            if row is not None:
                row.year = row.year or last_year
                if not any(_repeats(row, o) for o in out):
                    out[:] = [o for o in out if not _repeats(o, row)]
                    out.append(row)
            continue
        if any(ch.isdigit() for ch in s.text) or "xep" in span.folded:
            for ranking in _sentence_rankings(s, span, by_sentence.get(i, []), local, aliases, known,
                                              default_index, last_year, years, article_unit, events):
                if not any(_repeats(ranking, o) for o in out):
                    out.append(ranking)
        if years:
            last_year = years[0]
    return out


def _sentence_rankings(s, span, mentions, local, aliases, known, default_index, last_year, years, article_unit,
                       events) -> list[Ranking]:
    """Rankings of one sentence, read clause by clause (';' separates results for different
    units: '6/15 đơn vị xếp loại Tốt; xã Minh Tân đứng thứ 15/15 …')."""
    out = []
    offset = 0
    named = index_named(span)
    for clause in _clauses(span):
        r = read(Span(clause, span.strict), default_index, named)
        start, offset = offset, offset + len(clause)
        if r is None:
            continue
        at = start + r.at
        grade_only = r.rank is None and r.score is None and r.progress_percent is None
        if grade_only and _COUNTED.search(span.folded[:at]):
            continue  # "5 đơn vị xếp loại Tốt" counts units, it ranks none
        year = _year_before(s.text, span, at) or last_year or (years[0] if years else None)
        if year is None and events and events[0].date:
            year = int(events[0].date[:4])
        shared = _sharing_units(span, at, mentions, aliases) if grade_only else []
        ranked = shared or [_ranked_unit(span, at, mentions, local, aliases, known) or article_unit]
        for unit in ranked:
            out.append(Ranking(r.index, year, unit, r.rank, r.of, r.scope, r.score, r.grade, r.progress_percent,
                               r.change, s.text, s.start, s.end, r.rule))
    return out


def _clauses(span: Span) -> list[str]:
    """The sentence cut at each ';' (which keeps it), and again where a part names a second,
    different index ("Chỉ số SIPAS … đạt 88,5%, Chỉ số CCHC đạt 86,2 điểm"): each part is read
    for its own index. The parts put together are the sentence."""
    out = []
    for piece in re.split(r"(?<=;)", span.text):
        part = Span(piece, span.strict)
        starts: dict[int, str] = {}
        for phrase, name in INDICES:
            for at in part.find_all(phrase):  # on word boundaries, as index_named finds them
                starts.setdefault(at, name)
        cuts, last = [], None
        for at in sorted(starts):
            if last is not None and starts[at] != last:
                cuts.append(_clause_start(part.folded, at))
            last = starts[at]
        bounds = [0, *cuts, len(piece)]
        out += [piece[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
    return out


def _clause_start(folded: str, at: int) -> int:
    """Where the clause naming an index at `at` begins: after the last comma before it."""
    comma = folded.rfind(",", 0, at)
    return comma + 1 if comma >= 0 else at


def _sharing_units(span: Span, at: int, mentions: list[UnitMention], aliases: dict[str, str]) -> list[str]:
    """'thị trấn Vôi và xã Tân Hưng cùng xếp loại Xuất sắc': the same grade for each unit."""
    if not re.search(r"cung\s+(?:duoc\s+)?(?:(?:xep|dat)[^,;]{0,12})?$", span.folded[:at]):
        return []
    listed = sorted((u for u in mentions if u.end <= at), key=lambda u: u.start)
    chain = []
    for u in reversed(listed):
        if chain and not re.fullmatch(r"\s*(?:,|va)\s*", span.folded[u.end:chain[-1].start]):
            break
        chain.append(u)
    return [aliases.get(u.name, u.name) for u in reversed(chain)] if len(chain) > 1 else []


# "năm 2023", and a year written right after the index's name: "PCI 2023", "Chỉ số CCHC 2023".
_YEAR_OF = re.compile(r"(?<![\d/.,])(?:nam|pci|papi|sipas|dti|index|cchc)\s+((?:19|20)\d{2})(?![\d/])")


def _years(sentence: str) -> list[tuple[int, int]]:
    folded = fold(sentence)
    return [(int(m.group(1)), m.start()) for m in _YEAR_OF.finditer(folded)]


def _year_before(sentence: str, span: Span, at: int) -> int | None:
    """'trong năm 2024 …, năm 2023 … xếp loại khá': the year nearest before the value."""
    before = [y for y, pos in _years(sentence[:at]) if not _COMPARED_YEAR.search(span.folded[max(0, pos - 16):pos])]
    return before[-1] if before else None


def _ranked_unit(span: Span, at: int, mentions: list[UnitMention], local: dict[str, str], aliases: dict[str, str],
                 known: list[str]) -> str | None:
    """The unit being ranked: the named or bare ('huyện đạt …') unit closest before the value,
    never one that only names the scope ('trong toàn tỉnh') or the publisher ('do tỉnh công bố')."""
    candidates: list[tuple[int, str]] = []
    for u in mentions:
        if not _is_scope(span, u.start):
            candidates.append((u.start, aliases.get(u.name, u.name)))
    spans_named = [(u.start, u.end) for u in mentions]
    for name in sorted(known, key=lambda n: LEVEL_RANK.get(split_unit(n)[0], 9)):
        level, proper = split_unit(name)  # "của Long Hồ": a known unit named without its level word
        pos = span.find(fold(proper)) if proper else -1
        if pos >= 0 and any(s <= pos < e for s, e in spans_named):
            continue
        if pos >= 0 and span.text[pos:pos + 1].isupper() and not span.folded[:pos].endswith(fold(level) + " "):
            if not any(c[0] == pos for c in candidates) or span.find("cap " + fold(level)) >= 0:
                candidates = [c for c in candidates if c[0] != pos] + [(pos, name)]
    for level, unit in local.items():
        for pos in span.find_all(fold(level)):
            end = pos + len(level)
            if not span.text[end + 1:end + 2].isupper() and not _is_scope(span, pos) and \
                    not span.folded[max(0, pos - 4):pos].endswith(("cac ", "cap ")):
                candidates.append((pos, unit))
    before = sorted(c for c in candidates if c[0] < at)
    if before:
        if len(before) > 1 and span.folded[before[-2][0]:before[-1][0]].rstrip().endswith(",") and \
                _is_above(before[-1][1], before[-2][1]):
            return before[-2][1]  # "Phường 03, thành phố Đà Lạt đạt …": the ward, not its city
        return before[-1][1]
    return min(candidates)[1] if candidates else None


def _is_above(upper: str, lower: str) -> bool:
    return LEVEL_RANK.get(split_unit(upper)[0], 9) < LEVEL_RANK.get(split_unit(lower)[0], 9)


def _is_scope(span: Span, pos: int) -> bool:
    return span.folded[max(0, pos - 10):pos].endswith(("toan ", "trong ", "ca ", "cua ca ", "do ", "tren "))


def _table_row(s, span: Span, sents, i: int, default_index: str | None, population) -> Ranking | None:
    """A row of a ranking table ('1 | Xã Đức Liễu | 92,64 | Tốt') read by its header row."""
    header = None
    for j in range(i - 1, max(-1, i - 40), -1):
        if " | " not in sents[j].text:
            break
        cells = [fold(c).strip() for c in sents[j].text.split(" | ")]
        if any(c in words for c in cells for words in _HEADER_WORDS.values()):
            header = cells
            break
    if header is None or default_index is None:
        return None
    columns = {key: header.index(c) for key, words in _HEADER_WORDS.items() for c in header if c in words}
    cells = s.text.split(" | ")
    if len(cells) != len(header) or "unit" not in columns:
        return None

    def cell(key):
        return cells[columns[key]].strip() if key in columns else None

    unit_cell = cell("unit")
    found = mentions(Span(unit_cell, span.strict))
    unit = found[0].name if found else unit_cell
    rank = int(cell("rank")) if cell("rank") and cell("rank").isdecimal() else None
    score = _num(cell("score")) if cell("score") and re.fullmatch(r"\d{1,3}(?:[.,]\d+)?", cell("score")) else None
    grade = cell("grade") or None
    if rank is None and score is None and grade is None:
        return None
    of = int(population.group(1)) if population else None
    return Ranking(default_index, None, unit, rank, of, None, score, grade, None, None, s.text, s.start, s.end,
                   "table-row")


def _repeats(new: Ranking, old: Ranking) -> bool:
    """The same result said twice: no value of `new` beyond what `old` already says, or a
    grade-only echo of an earlier ranking."""
    keys = ("rank", "score", "grade", "progress_percent")
    if (new.index, new.unit) == (old.index, old.unit) and new.year in (old.year, None) and \
            all(getattr(new, k) in (None, getattr(old, k)) for k in keys):
        return True
    grade_only = new.rank is None and new.score is None and new.progress_percent is None
    return grade_only and new.index == old.index and new.unit == old.unit and \
        (new.grade or "").lower() == (old.grade or "").lower()
