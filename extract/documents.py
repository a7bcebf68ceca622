"""Document references: "Kế hoạch số 84/KH-UBND ngày 15/3/2024", "Nghị quyết 60-NQ/TW"."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import document_date
from .lexicon import DOCUMENT_ISSUERS, DOCUMENT_KINDS, ISSUER_CODES, PARTY_ISSUERS
from .text import fold

_CODE = r"[A-ZĐ][A-ZĐa-z&]*"
_NUMBER = re.compile(
    rf"(?<![\w/])(?P<num>\d{{1,5}})(?P<year>/\d{{4}})?\s?/\s?(?P<code>{_CODE}(?:\s?-\s?{_CODE}|/{_CODE})*)"
    rf"|(?<![\w/])(?P<num2>\d{{1,5}})-(?P<code2>{_CODE}/{_CODE})"
)
_CODE_KINDS = {
    "kh": "Kế hoạch", "qd": "Quyết định", "nd": "Nghị định", "nq": "Nghị quyết", "ct": "Chỉ thị", "cv": "Công văn",
    "tb": "Thông báo", "tt": "Thông tư", "bc": "Báo cáo", "ttr": "Tờ trình", "hd": "Hướng dẫn", "kl": "Kết luận",
    "ctr": "Chương trình", "cd": "Công điện", "qdi": "Quy định",
}
_KIND_BEFORE = re.compile(r"(" + "|".join(fold(k) for k in DOCUMENT_KINDS) + r")\s*(?:so\s*)?(?:\d+\s*)?$")
_GENERIC_BEFORE = re.compile(r"van ban\s*(?:so\s*)?$")
# "… ngày 10/5/2024 của (Chủ tịch) UBND tỉnh": a chairman's decision is issued in the committee's name.
_UBND_OF = re.compile(r"^\s*,?\s*(?:ngay[^,;]{0,30})?\s*,?\s*cua\s+(?:chu tich\s+)?(ubnd|uy ban nhan dan|hdnd)\s+"
                      r"(tinh|huyen|xa|thanh pho|thi xa|phuong|thi tran)")


def _named_after(sentence: str, offset: int, match: re.Match) -> str | None:
    from .names import run_at
    from .units import display

    level_end = offset + match.end()
    run = run_at(sentence, level_end + 1) if sentence[level_end:level_end + 1] == " " else None
    if run is None:
        return None
    level = sentence[offset + match.start(2):level_end].lower()
    return display(level, run.text)


_SUBJECT = re.compile(r"(ubnd|hdnd|uy ban nhan dan)\s+(tinh|huyen|xa|thanh pho|thi xa|phuong|thi tran)\s+(?=\S)")
_ISSUES = re.compile(r"^(?:\s*da)?\s*(?:ky,?\s*)?(?:ban hanh|ky ban hanh|ky)\s+(?:\w+\s+){0,2}so\s*$")


def _issuing_subject(sentence: str, number_at: int) -> str | None:
    """'UBND tỉnh An Giang ban hành Quyết định số 785/QĐ-UBND': the subject issued it."""
    from . import gazetteer
    from .names import run_at

    folded = fold(sentence[:number_at])
    for m in _SUBJECT.finditer(folded):
        run = run_at(sentence, m.end())
        if run is None or not _ISSUES.match(folded[run.end:]) or folded[:m.start()].rstrip().endswith("chu tich"):
            continue  # "Chủ tịch UBND huyện Nguyễn Văn Khiêm đã ký": a person signed, see issuer()
        level = sentence[m.start(2):m.end(2)].lower()
        if not gazetteer.lookup(run.text, level):
            continue
        body = "UBND" if m.group(1) != "hdnd" else "HĐND"
        return f"{body} {level} {run.text}"
    return None


@dataclass(frozen=True)
class DocumentMention:
    number: str
    kind: str | None
    date: date | None
    issuer_code: str  # the issuing body's code in the number: "UBND", "CP", "TW"
    start: int
    end: int


def _normalise(num: str, year: str | None, code: str) -> str:
    code = re.sub(r"\s", "", code)
    return f"{num}{year or ''}/{code}"


def find(sentence: str) -> list[DocumentMention]:
    folded = fold(sentence)
    out: list[DocumentMention] = []
    for m in _NUMBER.finditer(sentence):
        if m["num2"]:
            number, code = f"{m['num2']}-{m['code2']}", m["code2"]
        else:
            number, code = _normalise(m["num"], m["year"], m["code"]), re.sub(r"\s", "", m["code"])
        parts = [p for p in re.split(r"[-/]", fold(code)) if p]
        before = folded[max(0, m.start() - 30):m.start()]
        kind_match = _KIND_BEFORE.search(before)
        code_kind = _CODE_KINDS.get(parts[0])
        if kind_match:
            kind = next(k for k in DOCUMENT_KINDS if fold(k) == kind_match.group(1))
            kind = kind[0].upper() + kind[1:]
            if code_kind and code_kind != kind and fold(code_kind) in before:
                kind = code_kind  # "Thông báo kết luận số 45-TB/HU": a Thông báo, as its code says
        elif _GENERIC_BEFORE.search(before) and not code_kind:
            kind = "Công văn"  # "Văn bản số 123/UBND-NC": numbered without a kind, as công văn are
        else:
            kind = code_kind
        if kind is None and not before.rstrip().endswith("so"):
            continue  # "3/4 số xã" or a score: not a document
        tail = sentence[m.end():]
        shared = re.match(r"\s*(?:và|,)\s*[^\d]{0,30}\d+(?:/\d{4})?/[^\s,;.]+", tail)
        doc_date = document_date(tail) or (document_date(tail[shared.end():]) if shared else None)
        out.append(DocumentMention(number, kind, doc_date, parts[-1].upper() if parts else "", m.start(), m.end()))
    return out


def issuer(mention: DocumentMention, sentence: str, local_unit: str | None,
           local: dict[str, str] | None = None) -> str | None:
    """Who issued it: from the number's suffix, a 'của UBND huyện' after it, or the article's unit."""
    code = fold(mention.number)
    for suffix, body in sorted(DOCUMENT_ISSUERS.items(), key=lambda kv: -len(kv[0])):
        if code.endswith(suffix):
            return body
    parts = [p for p in re.split(r"[-/]", code)[1:] if p and not p.isdigit()]
    for part in parts:
        if part in ISSUER_CODES:
            return ISSUER_CODES[part]
    if "/" in code and parts and parts[-1] in PARTY_ISSUERS:
        body, level = PARTY_ISSUERS[parts[-1]]
        unit = (local or {}).get(level)
        return f"{body} {unit.split(' ', 1)[1] if level != 'thành phố' else unit.split(' ', 2)[2]}" if unit else body
    if "ubnd" in parts or "hdnd" in parts or "ct" in parts[1:]:  # "QĐ-CT": the chairman's, in the UBND's name
        mention = DocumentMention(mention.number, mention.kind, mention.date,
                                  "HĐND" if "hdnd" in parts else "UBND", mention.start, mention.end)
    subject = _issuing_subject(sentence, mention.start)
    if subject:
        return subject
    if mention.issuer_code in ("UBND", "HĐND", "HDND"):
        tail = fold(sentence[mention.end:mention.end + 80])
        of = _UBND_OF.match(tail)
        if of:
            named = _named_after(sentence, mention.end, of)
            level = {"thanh pho": "thành phố", "thi xa": "thị xã", "thi tran": "thị trấn", "tinh": "tỉnh",
                     "huyen": "huyện", "xa": "xã", "phuong": "phường"}[of.group(2)]
            unit = named or (local or {}).get(level)
            local_unit = unit or local_unit
        body = "UBND" if mention.issuer_code == "UBND" else "HĐND"
        return f"{body} {local_unit}" if local_unit else None
    return None
