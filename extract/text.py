"""Text normalisation shared by every extractor.

`fold` keeps string length, so a regex run on folded text gives offsets that are
valid in the original: rules match with or without diacritics and still point a
journalist at the exact characters of the source.
"""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")

# Old-style tone placement (hoà, thuỷ) and its modern form fold to the same
# letters anyway; NFC first so that NFD pages from some CMSs compare equal.


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_spaces(text: str) -> str:
    """NFC, one space between words, no zero-width junk, trimmed lines."""
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines)


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    low = base.lower()
    return low if len(low) == 1 else ch


class _FoldTable(dict):
    """Code point -> folded character, filled on first sight: `str.translate` then folds a
    whole text in C (a Python loop per character was a tenth of a crawl's time)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, strip diacritics, đ→d; same length as `text` (NFC input)."""
    return text.translate(_FOLD_TABLE)


def strip_marks(text: str) -> str:
    """Diacritics off, case kept: 'Bộ Nội vụ' -> 'Bo Noi vu'."""
    return "".join(ch if len(f := fold(ch)) != 1 else (f.upper() if ch.isupper() else f) for ch in text)


def is_upper_word(word: str) -> bool:
    return bool(word) and word[0].isupper()


def titlecase_vi(text: str) -> str:
    """'XÃ TÂN THẮNG' -> 'Xã Tân Thắng' (for names read from all-caps headlines)."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())
