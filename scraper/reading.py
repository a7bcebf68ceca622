"""Reading a stored page: its bytes decoded as a browser would, then the article, its facts and
its canonical URL. No I/O: the extraction pass calls it in worker processes, `bantin
reextract` over stored pages, the tools on saved files."""
from __future__ import annotations

from w3lib.encoding import html_body_declared_encoding, html_to_unicode

import extract
from db.store import RawPage
from extract import identity

_LATIN = ("windows-1252", "cp1252", "iso-8859-1", "latin-1", "latin1")


def decode_html(body: bytes, content_type: str | None) -> str:
    """Bytes to text the way browsers do: BOM, then header, then <meta charset>, then guess;
    except that a header claiming a Latin charset loses to a page that declares UTF-8 and
    is valid UTF-8 (servers of .gov.vn portals send windows-1252 for UTF-8 pages), and a
    header claiming UTF-8 loses to the page's own charset when the bytes are not UTF-8 (an old
    windows-1258 page behind a server that says utf-8)."""
    if content_type and "utf-8" in content_type.lower() and html_body_declared_encoding(body):
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            content_type = None  # the header lies: read the page by its <meta charset>
    if content_type and any(name in content_type.lower() for name in _LATIN):
        declared = (html_body_declared_encoding(body) or "").lower().replace("_", "-")
        if declared in ("utf-8", "utf8"):
            try:
                return body.decode("utf-8")
            except UnicodeDecodeError:
                pass
    _, text = html_to_unicode(content_type, body)
    return text


def read_page(page: RawPage, site_unit: str | None, site_province: str | None, platform: str | None = None,
              parts: list[RawPage] = ()):
    """The article, its facts and its canonical URL: everything taken from the page, no I/O."""
    html = decode_html(page.body, page.headers.get("Content-Type"))
    later = tuple(decode_html(p.body, p.headers.get("Content-Type")) for p in parts)
    article = extract.article(html, page.final_url, platform, later)
    return article, extract.extract_all(article, site_unit, site_province), identity.canonical_url(html, page.final_url)
