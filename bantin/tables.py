"""Plain-text tables for the terminal (no colour, safe under cron)."""
from __future__ import annotations

import unicodedata


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _clip(text: str, limit: int) -> str:
    return text if _width(text) <= limit else text[: limit - 1] + "…"


def render(rows: list[dict], columns: list[str], limits: dict[str, int] | None = None) -> str:
    limits = limits or {}
    cells = [[_clip("" if row.get(c) is None else str(row.get(c)), limits.get(c, 60)) for c in columns] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    def line(values):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()
    out = [line(columns), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)
