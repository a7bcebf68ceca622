"""Reading a saved page or a plain-text article from disk, with clear errors."""
from __future__ import annotations

from pathlib import Path

import extract
from scraper.reading import decode_html


class InputError(ValueError):
    pass


def read_text(path: Path) -> tuple[str, bool]:
    """The file's text and whether it is HTML."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if not raw.strip():
        raise InputError(f"{path} is empty")
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path} is not HTML or text (binary data)")
    head = raw[:2048].lstrip().lower()
    is_html = path.suffix.lower() in (".html", ".htm") or head.startswith(
        (b"<!doctype", b"<html", b"<?xml", b"<head", b"<body"))
    if is_html:
        return decode_html(raw, None), True
    try:
        return raw.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; save it as UTF-8 or as .html with its charset declared") from None


def load_article(path: Path, url: str | None = None, parts: tuple[Path, ...] = ()) -> extract.Article:
    """The article in a saved page (`parts`: its later pages, when it is split over several)."""
    text, is_html = read_text(path)
    later = tuple(read_text(p)[0] for p in parts)
    article = extract.article(text, url, continuations=later) if is_html else extract.article_from_text(text, url)
    if is_html and not article.text.strip():
        raise InputError(f"{path}: no article text found in this HTML")
    return article
