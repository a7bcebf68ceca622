"""Page layouts: one small declarative description per CMS layout (Fundus-style).

Each module in this package defines `LAYOUTS`: a tuple of `Layout`s, each named by
the platform it belongs to and versioned when the platform changes its templates.
`detect` picks the first layout whose markers match a page; the generic layout, which
finds the densest block of paragraphs, is the fallback for the long tail.
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from .base import Layout, PageParts, parse_with

__all__ = ["Layout", "PageParts", "all_layouts", "detect", "get", "parse_with"]


@lru_cache(maxsize=1)
def all_layouts() -> tuple[Layout, ...]:
    """Every layout, most specific first (by `priority`), the generic one last."""
    found: list[Layout] = []
    for module in pkgutil.iter_modules(__path__):
        if module.name == "base":
            continue
        found.extend(importlib.import_module(f"{__name__}.{module.name}").LAYOUTS)
    return tuple(sorted(found, key=lambda layout: (layout.priority, layout.name, layout.version)))


def get(platform: str) -> Layout | None:
    """The newest layout of a platform ('nukeviet4'), or a pinned one ('nukeviet4@1')."""
    name, _, version = platform.partition("@")
    matching = [layout for layout in all_layouts() if layout.name == name and (not version or layout.version == version)]
    return max(matching, key=lambda layout: layout.version) if matching else None


def detect(html: str, url: str | None = None) -> Layout:
    for layout in all_layouts():
        if layout.matches(html, url or ""):
            return layout
    return get("generic")
