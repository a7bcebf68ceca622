"""Pure extraction: page or text in, an Article and its Facts out. No I/O here."""
from __future__ import annotations

from typing import Any

from .facts import facts
from .model import EXTRACTOR_VERSION, Article, Context, Facts
from .page import article, article_from_text

__all__ = ["EXTRACTOR_VERSION", "Article", "Context", "Facts", "article", "article_from_text", "facts", "to_json",
           "extract_all"]


def extract_all(article_: Article, site_unit: str | None = None, site_province: str | None = None) -> Facts:
    context = Context(published=article_.published, title=article_.title, site_unit=site_unit,
                      site_province=site_province)
    return facts(article_.text, context)


def to_json(article_: Article, facts_: Facts) -> dict[str, Any]:
    """The `extract --json` contract: stable keys, provenance alongside."""
    data = facts_.to_dict()
    return {
        "url": article_.url,
        "title": article_.title,
        "published": article_.published_iso,
        "author": article_.author,
        "text": article_.text,
        "attachments": article_.attachments,
        "category": article_.category,
        "layout": article_.layout,
        **data,
    }
