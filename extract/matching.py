"""Word matching on folded text that stays strict where folding is ambiguous.

Folding lets rules match pages typed without diacritics, but some folded words
collide: "họp" (meet) and "hợp" (suit), "ký" (sign) and "kỳ" (term), "xã" and "xa".
Where a page has diacritics, those words must match as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from .text import fold

# Whole phrases (folded) that must be written exactly so on a page with diacritics.
STRICT = {
    "ky": "ký", "quan": "quận", "chi": "chị", "ba": "bà", "ong": "ông", "anh": "anh", "xa": "xã",
    "tinh": "tỉnh", "du": "dự", "hop": "họp", "le": "lễ", "tang": "tăng", "huyen": "huyện",
    "da ky": "đã ký", "ky ban hanh": "ký ban hành", "du hop": "dự họp", "cuoc hop": "cuộc họp",
    "buoi hop": "buổi họp", "phuong": "phường", "thi xa": "thị xã", "thi tran": "thị trấn",
    "thanh pho": "thành phố", "dong chi": "đồng chí", "ky ": "ký ", "du ": "dự ", "hop ": "họp ",
    "hop,": "họp,", "le ": "lễ ", "tang ": ("tăng ", "tặng "), "thi uy": "thị ủy", "quan uy": "quận ủy",
    # words that end a title chain, each colliding with a word inside titles when folded
    "giao ": "giao ", "tai ": "tại ", "da ": "đã ", "dang ": "đang ", "se ": "sẽ ", "lam ": "làm ",
    "cung ": "cùng ", "duoc ": "được ", "voi ": "với ", "va ": "và ", "hop ": "họp ", "trao ": "trao ",
}
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f]")


def has_diacritics(text: str) -> bool:
    """A page with at least one accented letter per 40 letters is typed with diacritics."""
    letters = sum(ch.isalpha() for ch in text[:5000])
    return letters > 0 and len(_NON_ASCII_LETTER.findall(text[:5000])) * 40 >= letters


@dataclass
class Span:
    """One sentence (or any text) seen three ways at the same offsets."""

    text: str
    strict: bool = True
    folded: str = field(init=False)

    def __post_init__(self) -> None:
        self.folded = fold(self.text)

    @cached_property
    def lower(self) -> str:
        low = self.text.lower()
        return low if len(low) == len(self.text) else self.folded

    def is_word_at(self, pos: int, phrase: str) -> bool:
        """`phrase` (folded) starts at `pos` on word boundaries, strict where needed."""
        end = pos + len(phrase)
        if self.folded[pos:end] != phrase:
            return False
        if pos > 0 and self.folded[pos - 1].isalnum() and phrase[0].isalnum():
            return False
        if end < len(self.folded) and self.folded[end].isalnum() and phrase[-1].isalnum():
            return False
        want = STRICT.get(phrase) if self.strict else None
        if want is not None:
            written = self.lower[pos:end].replace("uỷ", "ủy")
            return written in ((want,) if isinstance(want, str) else want)
        return True

    def find(self, phrase: str, start: int = 0, end: int | None = None) -> int:
        stop = len(self.folded) if end is None else end
        pos = self.folded.find(phrase, start, stop)
        while pos >= 0:
            if pos + len(phrase) <= stop and self.is_word_at(pos, phrase):
                return pos
            pos = self.folded.find(phrase, pos + 1, stop)
        return -1

    def find_all(self, phrase: str) -> list[int]:
        out, pos = [], self.find(phrase)
        while pos >= 0:
            out.append(pos)
            pos = self.find(phrase, pos + len(phrase))
        return out

    def first_of(self, phrases, start: int = 0, end: int | None = None) -> tuple[int, str | None]:
        best, which = -1, None
        for phrase in phrases:
            pos = self.find(phrase, start, end)
            if pos >= 0 and (best < 0 or pos < best):
                best, which = pos, phrase
        return best, which

    def starts_with_any(self, pos: int, phrases) -> str | None:
        for phrase in phrases:
            if self.is_word_at(pos, phrase):
                return phrase
        return None
