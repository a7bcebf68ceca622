"""Is this the same article? Keys that survive a portal's many URLs for one article (print and
save-file views, the same item under two categories) and a fingerprint that survives a copy
published again by another portal with its own header and footer."""
from __future__ import annotations

import hashlib
import re
from html import unescape as html_unescape
from urllib.parse import parse_qsl, urljoin, urlsplit


from extract.text import fold

_ID = re.compile(r"[0-9]{3,}")
_ID_PARAMS = re.compile(r"^(?:id|itemid|articleid|newsid|nid|postid|\w*_articleid)$", re.I)
_GENERIC_SEGMENTS = {"", "index", "default", "detail", "details", "chi-tiet", "view", "news", "tin-tuc"}
_WORD = re.compile(r"[^\W_]+")
SIMHASH_BITS = 64
# SimHash bits that may differ between two copies of one article. Measured on the 50 fixture
# articles: distinct articles are 15 or more bits apart; a changed digit moves 4 at most, a
# source line added above and below 7 (short articles move most); a dropped sentence up to 13
# (such copies are missed).
NEAR_DISTANCE = 8


def url_key(url: str) -> str | None:
    """Host and the article's own slug-with-id (`xa.gov.vn/hop-ban-chi-dao-1240`), or None when the URL
    carries no id: a key shared by every URL of one article on its portal, never by two articles."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    query = parse_qsl(parts.query, keep_blank_values=True)
    segment = _last_segment(parts.path)
    if segment in _GENERIC_SEGMENTS or segment.endswith((".php", ".aspx", ".asp")):
        op = dict((k.lower(), v) for k, v in query).get("op")
        if op and _ID.search(_last_segment(op)):
            return f"{host}/{_last_segment(op)}"
    if segment not in _GENERIC_SEGMENTS and _ID.search(segment):
        return f"{host}/{segment}"
    ids = [(k.lower(), v) for k, v in query if _ID_PARAMS.match(k) and v.isdigit()]
    if ids:
        return f"{host}/{segment}?{ids[0][0]}={ids[0][1]}"
    return None


def _last_segment(path: str) -> str:
    segment = next((s for s in reversed(path.lower().split("/")) if s), "")
    return re.sub(r"\.(?:html?|php|aspx?|jsp)$", "", segment) if "." in segment else segment


_LINK = re.compile(r"<link\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def canonical_url(html: str | bytes, base_url: str) -> str | None:
    """The page's own `<link rel="canonical">`, absolute; None when absent or pointing off-site."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    for tag in _LINK.finditer(text):
        attrs = {m.group(1).lower(): html_unescape(next(v for v in m.groups()[1:] if v is not None))
                 for m in _ATTR.finditer(tag.group(0))}
        if "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href", "").strip():
            absolute = urljoin(base_url, attrs["href"].strip())
            if urlsplit(absolute).hostname != urlsplit(base_url).hostname:
                return None  # a canonical on another host is a template mistake more often than syndication
            return absolute.split("#")[0]
    return None


_LANE = 20  # bits per counter when the 64 bit counters are summed as one big integer (up to 2**20 grams)
_SPREAD = [sum(((byte >> i) & 1) << (_LANE * i) for i in range(8)) for byte in range(256)]


def simhash(text: str) -> int:
    """64-bit SimHash of the folded text's word 3-grams: near texts get near hashes."""
    words = _WORD.findall(fold(text or ""))
    grams = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))} if words else set()
    total = 0  # 64 counters side by side, one lane each: adding spread hashes counts every bit at once
    for gram in grams:
        value = int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "big")
        total += sum(_SPREAD[(value >> (8 * k)) & 255] << (8 * _LANE * k) for k in range(8))
    mask, half = (1 << _LANE) - 1, len(grams) / 2
    return sum(1 << bit for bit in range(SIMHASH_BITS) if (total >> (_LANE * bit)) & mask > half)


def fingerprint(text: str) -> str:
    return f"{simhash(text):016x}"


def distance(a: str, b: str) -> int:
    """Bits that differ between two fingerprints."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")
