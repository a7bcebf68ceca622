"""Officials: who is named, with which titles, doing what.

Three ways a name shows up in a bulletin, each a rule:
- `honorific`: "đồng chí / ông / bà NAME" (the honorific is stripped);
- `name-title`: "NAME - Chủ tịch UBND xã", a surname-first name followed by a title;
- `title-name`: "Chủ tịch UBND huyện NAME", the title before the name.
Titles after the name form a chain split on " - ", "–", ",", "/" and glued "-".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import (ATTEND_CUES, CHAIR_OF_CUES, COMMITTEE_LEVEL, HONORIFICS, LEVELS, ROLE_VERBS, SURNAMES,
                      TITLE_HEADS, TITLE_STOPS)
from .matching import Span
from .names import Run, folded_words, run_at, runs
from .nlp import proper_noun_chunks
from .text import fold, strip_marks
from .units import display, hyphenated_end

ROLE_ORDER = ("chair", "attendee", "speaker", "signer", "awardee", "mentioned")
NATIONAL = "quốc gia"
_NATIONAL = re.compile(r"(?:^|\s)(?:Bo|Vu|Cuc|Tong cuc|Chinh phu|Trung uong|Quoc hoi|Thu tuong|Bo truong|Thu truong)"
                       r"(?:\s|$)")  # matched with case kept: "Nội vụ" (home affairs) is not a "Vụ" (department)
_CLAUSE_SPEAKER = ("phat bieu", "ket luan", "bao cao tai", "tham luan", "chi dao tai", "trinh bay")
# "Tại hội nghị, ông X …": X spoke, if X is otherwise known to be at the event.
_CLAUSE_AT_EVENT = ("tai hoi nghi", "tai buoi", "tai cuoc hop", "tai ky hop", "tai lop tap huan")
_SEPARATOR = re.compile(r"\s*(?:[-–—,/(:]|\s-)\s*")
_LEVEL_BEFORE = re.compile(r"(?:^|\s)(thanh pho|thi xa|thi tran|tinh|huyen|quan|xa|phuong)\s$")
_LEADS_DELEGATION = (("lam truong doan", "chair", "Trưởng đoàn"), ("lam pho truong doan", "attendee", "Phó Trưởng đoàn"))
_ATTEND_AFTER = ("tham du", "den du", "cung du")
# The role put first: "Chủ trì buổi làm việc có đồng chí A …", "Chủ trì hội nghị là ông B …".
_CHAIR_FIRST = re.compile(r"\s*(?:dong )?chu (?:tri|toa)\b[^,.;:]{0,40}?\s(?:co|la|gom)\s")
_AWARD_VERB = re.compile(r"\b(trao|tang|khen thuong)\b")
_AWARD = re.compile(r"(trao|tang|khen thuong)[^,;.]{0,60}\bcho\s*$")


@dataclass
class Title:
    text: str  # as written, without the unit's proper name: "Chủ tịch UBND huyện"
    level: str | None  # the unit level the title names, if any
    unit: str | None  # explicit unit ("huyện Bù Đăng") when the title names one


@dataclass
class Mention:
    name: str
    start: int  # of the name, in the sentence
    end: int  # of the whole mention (name and title chain)
    titles: list[Title]
    rule: str
    name_end: int = 0
    roles: set[str] = field(default_factory=set)
    head: int = -1  # where the mention starts, title before the name included

    def __post_init__(self) -> None:
        if self.head < 0:
            self.head = self.start


def _is_surname(word: str) -> bool:
    return fold(re.split(r"['’]", word)[0]) in SURNAMES  # "H'Nguyệt": the H' of Ê Đê names


def _cut_at_title(run: Run) -> Run:
    """'Nguyễn Văn A Phó Chủ tịch' -> 'Nguyễn Văn A'."""
    words = folded_words(run)
    for i in range(1, len(words)):
        tail = " ".join(words[i:])
        if any(tail == h or tail.startswith(h + " ") for h in TITLE_HEADS):
            return run.sub(0, i)
    return run


def _title_head_at(span: Span, pos: int) -> str | None:
    return span.starts_with_any(pos, TITLE_HEADS)


def _title_end(span: Span, pos: int) -> int:
    """Where the title starting at `pos` ends: a separator, a verb, or the sentence end."""
    text, folded = span.text, span.folded
    i = pos
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in ",;:()/.\u201c\"" or (ch in "-–—" and (text[i - 1:i] == " " or text[i + 1:i + 2] == " "
                                                      or _title_head_at(span, i + 1))):
            if ch in "-–—":
                after = _SEPARATOR.match(text, i)
                nxt = after.end() if after else i + 1
                if (_title_head_at(span, nxt) or _name_starts(span, nxt) or span.starts_with_any(nxt, TITLE_STOPS)
                        or span.starts_with_any(nxt, HONORIFICS) or not text[nxt:nxt + 1].isalpha()):
                    return i
                i = nxt
                continue
            return i
        if i > pos and folded[i - 1] == " " and not text[i].isupper():
            stop = span.starts_with_any(i, TITLE_STOPS)
            if stop and not _stop_is_part_of_title(span, i, stop):
                return i
        if i > pos and folded[i - 1] == " ":
            unit_end = _after_unit(span, i)
            if unit_end is not None:
                return unit_end
        i += 1
    return n


_UNIT_WORD = re.compile(r"(huyen uy|thanh uy|thi uy|quan uy|tinh uy|thanh pho|thi xa|thi tran|tinh|huyen|quan|xa|"
                        r"phuong)(?=[\s,;.:)/-]|$)(?! hoi)")


def _after_unit(span: Span, pos: int) -> int | None:
    """'Chủ tịch UBND xã An Định nêu …': a title ends after its unit word and the unit's name,
    unless a lower-case word continues it ('Văn phòng - thống kê xã')."""
    m = _UNIT_WORD.match(span.folded, pos)
    if not m or not span.is_word_at(pos, m.group(1)):
        return None
    end = m.end()
    run = run_at(span.text, end + 1) if span.text[end:end + 1] == " " else None
    if run is not None:
        number = re.match(r" \d{1,2}(?!\d)", span.text[run.end:])
        end = run.end + (number.end() if number else 0)
        end = hyphenated_end(span.text, run, m.group(1))
    elif re.match(r" \d{1,2}(?![\d/])", span.text[end:]):  # "Phường 3"
        end += len(re.match(r" \d{1,2}", span.text[end:]).group())
    rest = span.text[end:]
    if re.match(r"\s*(?:[-–,;/(:]|và\s|$|\.)", rest):
        return end
    if re.match(r"\s+[a-zà-ỹđ]", rest) and not _UNIT_WORD.match(span.folded, end + 1) and \
            not span.starts_with_any(end + 1, ("va ",)):
        return end
    return None


def _stop_is_part_of_title(span: Span, pos: int, stop: str) -> bool:
    before = span.folded[max(0, pos - 8):pos]
    if stop == "chi dao" and (before.endswith("ban ") or before.endswith("bcd ")):
        return True
    if stop == "kiem tra" and before.endswith("doan "):
        return True  # "Trưởng đoàn kiểm tra"
    if stop == "va ":
        nxt = pos + 3
        return (span.text[nxt:nxt + 1].isupper() and not _name_starts(span, nxt)
                and not span.starts_with_any(nxt, HONORIFICS) and not _title_head_at(span, nxt))
    return False


def _name_starts(span: Span, pos: int) -> bool:
    run = run_at(span.text, pos)
    return bool(run and len(run.words) >= 2 and _is_surname(run.words[0]) and not _title_head_at(span, pos))


def parse_title(raw: str, strict: bool) -> Title:
    """Split the unit off a title: 'Chủ tịch UBND huyện Bù Đăng' -> title + 'huyện Bù Đăng'."""
    raw = raw.strip(" -–,.;:")
    span = Span(raw, strict)
    level = unit = None
    cut = len(raw)
    for m in re.finditer(r"(huyen uy|thanh uy|thi uy|quan uy|tinh uy|thanh pho|thi xa|thi tran|tinh|huyen|quan|xa|phuong)"
                         r"(?=\s|$)", span.folded):
        key = m.group(1)
        if not span.is_word_at(m.start(), key):
            continue
        level = COMMITTEE_LEVEL.get(key) or LEVELS.get(key)
        run = run_at(raw, m.end() + 1, allow_digits=key in ("xa", "phuong", "quan")) if m.end() < len(raw) else None
        if run is not None and level:
            end = hyphenated_end(raw, run, key)
            proper = str(int(run.text)) if run.text.isdecimal() else raw[run.start:end]
            unit = display(level, proper)
            cut = m.end()
        else:
            unit = None
            cut = len(raw)
    if level is None and re.search(r"(?:^|\s)(so|tinh uy|ban thuong vu tinh uy)(?:\s|$)", span.folded) and "Sở" in raw:
        level = "tỉnh"  # a Sở (provincial department) belongs to the province
    if level is None and _NATIONAL.search(strip_marks(raw)):
        level = NATIONAL  # a ministry, the Government, the Party centre: no local unit
    text = raw[:cut].strip()
    last = text.rsplit(" ", 1)
    if len(last) == 2 and fold(last[1]) in ("xa", "phuong", "huyen", "quan", "tinh") and last[1][0].isupper():
        text = f"{last[0]} {last[1].lower()}"  # "Phó Chủ tịch UBND Phường 7" -> "… phường" + unit
    return Title(text, level, unit)


def _title_chain(span: Span, pos: int) -> tuple[list[Title], int]:
    titles: list[Title] = []
    end = pos
    while True:
        sep = _SEPARATOR.match(span.text, end)
        if not sep or sep.end() == end and titles:
            break
        start = sep.end()
        if not _title_head_at(span, start):
            break
        stop = _title_end(span, start)
        raw = span.text[start:stop]
        if not raw.strip():
            break
        titles.append(parse_title(raw, span.strict))
        end = len(span.text[:stop].rstrip())
    return titles, end


def _honorific_mentions(span: Span) -> list[Mention]:
    out = []
    for hon in HONORIFICS:
        for pos in span.find_all(hon):
            after = pos + len(hon)
            if span.text[after:after + 1] != " ":
                continue
            run = run_at(span.text, after + 1)
            if run is None:
                continue
            run = _cut_at_title(run)
            if not 2 <= len(run.words) <= 5:
                continue
            out.append(_mention(span, run, "honorific"))
    return out


def _mention(span: Span, run: Run, rule: str, titles_before: list[Title] | None = None) -> Mention:
    titles, end = _title_chain(span, run.end)
    return Mention(run.text, run.start, max(end, run.end), (titles_before or []) + titles, rule, run.end)


def _other_mentions(span: Span, taken: list[tuple[int, int]]) -> list[Mention]:
    out = []
    for run in runs(span.text):
        if any(run.start < e and s < run.end for s, e in taken):
            continue
        before = span.folded[:run.start]
        level = _LEVEL_BEFORE.search(before)
        if level:
            mention = _title_name(span, run, level.start(1) if before[level.start():level.start() + 1] != " "
                                  else level.start() + 1)
            if mention:
                out.append(mention)
            continue
        name = _cut_at_title(run)
        if 2 <= len(name.words) <= 5 and _is_surname(name.words[0]):
            titles, end = _title_chain(span, name.end)
            if titles:
                out.append(Mention(name.text, name.start, end, titles, "name-title", name.end))
            else:
                prefix = _title_before(span, name.start)
                if prefix:
                    m = _mention(span, name, "title-name", [prefix])
                    m.head = _clause_head(span, name.start)
                    out.append(m)
    return out


def _clause_head(span: Span, pos: int) -> int:
    """Start of the clause holding `pos`: after punctuation or a joining 'và'/'cùng'."""
    start = max([span.text.rfind(ch, 0, pos) + 1 for ch in ",;:("]
                + [span.folded.rfind(w, 0, pos) + len(w) for w in (" va ", " cung ", " do ", " cua ")
                   if span.folded.rfind(w, 0, pos) >= 0])
    while start < pos and span.text[start] == " ":
        start += 1
    return start


def _title_before(span: Span, pos: int) -> Title | None:
    """'…, Chủ tịch UBND huyện NAME': the clause before `pos` is one title."""
    head = _clause_head(span, pos)
    if head >= pos or not _title_head_at(span, head) or _title_end(span, head) < pos - 1:
        return None
    return parse_title(span.text[head:pos], span.strict)


def _split_by_segmentation(sentence: str, run: Run) -> int | None:
    """Where underthesea's word segmentation ends the place and starts the person:
    'huyện | Bù Đăng | Nguyễn Văn Khoa' -> 2. Only asked for runs our rules find ambiguous."""
    if len(run.words) < 4:
        return None
    chunks = [c.split() for c in proper_noun_chunks(sentence)]
    words = list(run.words)
    for i in range(1, len(words) - 1):
        if words[:i] in chunks and words[i:] in chunks and _is_surname(words[i]):
            return i
    return None


def _title_name(span: Span, run: Run, level_pos: int) -> Mention | None:
    """'Chủ tịch UBND huyện Bù Đăng Nguyễn Văn A' or 'Chủ tịch UBND huyện Vũ Xuân Trường'."""
    words = run.words
    split = _split_by_segmentation(span.text, run)
    if split is not None:
        pass
    elif 3 <= len(words) <= 4 and _is_surname(words[0]):
        split = 0  # "huyện Vũ Xuân Trường": the title's unit is the article's own
    else:
        splits = [i for i in range(1, len(words) - 1) if _is_surname(words[i]) and 2 <= len(words) - i <= 4]
        split = min(splits, key=lambda i: (abs(len(words) - i - 3), i), default=None)
        if split is None:
            return None  # "huyện Lâm Hà" is a place, not a person
    name = run.sub(split)
    title = _title_before(span, name.start)
    if title is None:
        return None
    mention = _mention(span, name, "title-name", [title])
    mention.head = _clause_head(span, name.start)
    return mention


def _gap_is_list(span: Span, a: int, b: int) -> bool:
    gap = span.folded[a:b].strip(" ,;")
    return gap in ("", "va", "cung", "va dong chi", "va ong", "va ba")


def _chairs_listed_from(span: Span, mentions: list[Mention], start: int) -> None:
    """The first mention at or after `start` chairs, and each one listed right after it."""
    following = [m for m in mentions if m.start >= start]
    for k, m in enumerate(following):
        if k and not _gap_is_list(span, following[k - 1].end, m.head):
            break
        m.roles.add("chair")


def assign_roles(span: Span, mentions: list[Mention]) -> None:
    """Roles from the verbs and cues around each mention."""
    mentions.sort(key=lambda m: m.start)
    folded = span.folded
    for i, m in enumerate(mentions):
        after = folded[m.end:].lstrip(" ,")
        offset = len(folded) - len(after)
        for phrase, role, title in _LEADS_DELEGATION:
            if span.is_word_at(offset, phrase):
                m.roles.add(role)
                m.titles.append(Title(title, None, None))
                after = folded[offset + len(phrase):].lstrip(" ,")
                offset = len(folded) - len(after)
                after = re.sub(r"^(da|se)\s+", "", after)
                offset = len(folded) - len(after)
        after = re.sub(r"^(?:da|se|cung|deu)\s+", "", folded[offset:])
        offset = len(folded) - len(after)
        for role, verbs in ROLE_VERBS.items():
            verb = span.starts_with_any(offset, verbs)
            if verb:
                m.roles.add(role)
                if role == "chair":  # co-chairs listed before: "A và B đồng chủ trì"
                    j = i
                    while j > 0 and _gap_is_list(span, mentions[j - 1].end, mentions[j].head):
                        mentions[j - 1].roles.add("chair")
                        j -= 1
                break
    for cue in CHAIR_OF_CUES:
        for pos in span.find_all(cue):
            _chairs_listed_from(span, mentions, pos + 1)
    chair_first = _CHAIR_FIRST.match(folded)
    if chair_first:
        _chairs_listed_from(span, mentions, chair_first.end())
    for verb in _ATTEND_AFTER:  # "…; ông Z - Trưởng phòng Nội vụ cùng lãnh đạo các phòng tham dự."
        for pos in span.find_all(verb):
            before = [m for m in mentions if m.end <= pos]
            if not before or pos - before[-1].end > 60:
                continue
            j = len(before) - 1
            before[j].roles.add("attendee") if "chair" not in before[j].roles else None
            while j > 0 and _gap_is_list(span, before[j - 1].end, before[j].head):
                if "chair" not in before[j - 1].roles:
                    before[j - 1].roles.add("attendee")
                j -= 1
    award_at = _AWARD_VERB.search(folded)
    if award_at:
        after = [m for m in mentions if m.start > award_at.start()]
        for k, m in enumerate(after):
            if re.search(r"trong do co\s+(?:ong|ba|dong chi)?\s*$", folded[:m.start]):
                m.roles.add("awardee")
                for later in after[k + 1:]:  # "…, trong đó có ông A - … và bà B - …"
                    if not _gap_is_list(span, after[after.index(later) - 1].end, later.head):
                        break
                    later.roles.add("awardee")
    cue_pos = min((p for cue in ATTEND_CUES for p in span.find_all(cue)), default=None)
    if cue_pos is not None:
        for m in mentions:
            if m.start > cue_pos and "chair" not in m.roles:
                m.roles.add("attendee")
    clause_role = "speaker" if folded.startswith(_CLAUSE_SPEAKER) else (
        "soft-speaker" if folded.startswith(_CLAUSE_AT_EVENT) else None)
    if clause_role:
        comma = folded.find(",")
        subject = next((m for m in mentions if comma >= 0 and m.start > comma), None)
        gap = folded[comma + 1:subject.head].strip() if subject is not None else None
        if subject is not None and (gap == "" or gap in HONORIFICS or fold(gap) in HONORIFICS):
            subject.roles.add(clause_role)
    for m in mentions:
        head = folded[:m.start]
        head = re.sub(r"(dong chi|ong|ba|d/c)\s*$", "", head)
        if _AWARD.search(head):
            m.roles.add("awardee")


def sentence_mentions(span: Span) -> list[Mention]:
    found = _honorific_mentions(span)
    found += _other_mentions(span, [(m.start, m.end) for m in found])
    unique: dict[int, Mention] = {}
    for m in found:
        if m.start not in unique or len(m.titles) > len(unique[m.start].titles):
            unique[m.start] = m
    mentions = sorted(unique.values(), key=lambda m: m.start)
    assign_roles(span, mentions)
    return mentions


def title_only_roles(span: Span, known: dict[str, list[str]]) -> list[tuple[str, str, int, int]]:
    """'Chủ tịch UBND xã kết luận' names nobody, but one official in the article holds that title."""
    out = []
    for head in TITLE_HEADS:
        for pos in span.find_all(head):
            if pos and span.folded[pos - 1] not in " ,(":
                continue
            end = _title_end(span, pos)
            title = fold(parse_title(span.text[pos:end], span.strict).text)
            rest = span.folded[end:]
            chain_rest = _SEPARATOR.match(span.text, end)
            # skip the rest of a title chain: "Chủ tịch UBND xã - Trưởng BCĐ xã kết luận"
            while chain_rest and _title_head_at(span, chain_rest.end()):
                end = _title_end(span, chain_rest.end())
                chain_rest = _SEPARATOR.match(span.text, end)
            rest = span.folded[end:].lstrip(" ,")
            rest = re.sub(r"^(?:da|se|cung)\s+", "", rest)
            clause_speaker = span.folded.startswith(_CLAUSE_SPEAKER) and 0 < span.folded.find(",") < pos
            for role in ("speaker", "chair", "soft-speaker"):
                if clause_speaker and role == "speaker" or span.starts_with_any(len(span.folded) - len(rest), ROLE_VERBS[role]):
                    owners = [name for name, titles in known.items() if title in titles]
                    if len(owners) == 1:
                        out.append((owners[0], role, pos, end))
    return out
