"""underthesea, loaded once per process and asked only what it is good at.

Measured (../shared/reference/measured.md): its `ner()` scores F1 0.41 on official
names, so bantin uses its sentence splitter and word segmentation as signals and
its own rules for names and titles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the article text

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@lru_cache(maxsize=1)
def _underthesea():
    import underthesea  # heavy import: defer until text actually needs splitting

    return underthesea


_FALLBACK_SPLIT = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ỸĐ\"“(])")


def _split_paragraph(paragraph: str) -> list[str]:
    try:
        parts = _underthesea().sent_tokenize(paragraph)
    except Exception:  # a model failure must not lose the article
        parts = _FALLBACK_SPLIT.split(paragraph)
    return [p for p in parts if p.strip()]


def sentences(text: str) -> list[Sentence]:
    """Split into sentences with offsets; a paragraph break always ends a sentence."""
    out: list[Sentence] = []
    cursor = 0
    for paragraph in text.split("\n"):
        para_start = cursor
        cursor += len(paragraph) + 1
        if not paragraph.strip():
            continue
        local = 0
        for part in _split_paragraph(paragraph):
            found = paragraph.find(part, local)
            if found < 0:  # the splitter altered the text: keep the rest whole
                rest = paragraph[local:].strip()
                if rest:
                    out.append(Sentence(rest, para_start + paragraph.find(rest, local)))
                break
            out.append(Sentence(part, para_start + found))
            local = found + len(part)
    return out


@lru_cache(maxsize=4096)
def proper_noun_chunks(sentence: str) -> tuple[str, ...]:
    """underthesea's proper-noun words (POS `Np`) in a sentence, e.g. 'Lý Tùng Linh'."""
    try:
        return tuple(word for word, tag in _underthesea().pos_tag(sentence) if tag == "Np")
    except Exception:
        return ()
