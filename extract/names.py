"""Runs of capitalised syllables: the raw material of person and place names."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\S")


@dataclass(frozen=True)
class Run:
    words: tuple[str, ...]
    starts: tuple[int, ...]

    @property
    def start(self) -> int:
        return self.starts[0]

    @property
    def end(self) -> int:
        return self.starts[-1] + len(self.words[-1])

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def sub(self, i: int, j: int | None = None) -> "Run":
        return Run(self.words[i:j], self.starts[i:j])


def _capitalised(word: str, allow_caps: bool) -> bool:
    if not word[0].isupper() or not word.replace("'", "").replace("’", "").isalpha():
        return False
    if len(word) > 1 and word.isupper():
        return allow_caps
    return True


def run_at(text: str, pos: int, allow_caps: bool = False, allow_digits: bool = False, limit: int = 6) -> Run | None:
    """The run of capitalised words starting at `pos` (single spaces between words)."""
    words: list[str] = []
    starts: list[int] = []
    i = pos
    while len(words) < limit:
        m = _TOKEN.match(text, i)
        if not m:
            break
        word = m.group()
        ok = _capitalised(word, allow_caps) or (allow_digits and not words and word.isdigit())
        if not ok:
            break
        words.append(word)
        starts.append(i)
        i = m.end()
        if text[i:i + 1] != " " or (words and words[-1].isdigit()):
            break
        i += 1
    if not words:
        return None
    return Run(tuple(words), tuple(starts))


def runs(text: str, allow_caps: bool = False) -> list[Run]:
    out: list[Run] = []
    i = 0
    for m in re.finditer(r"[^\W_\d]+", text):
        if m.start() < i:
            continue
        r = run_at(text, m.start(), allow_caps=allow_caps, limit=12)
        if r:
            out.append(r)
            i = r.end
    return out


def folded_words(run: Run) -> list[str]:
    return [fold(w) for w in run.words]
