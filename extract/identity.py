"""Is this the same article? Keys that survive a portal's many URLs for one article (print and
save-file views, the same item under two categories) and a fingerprint that survives a copy
published again by another portal with its own header and footer."""
from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from bs4 import BeautifulSoup

from extract.text import fold

_ID = re.compile(r"[0-9]{3,}")
_ID_PARAMS = re.compile(r"^(?:id|itemid|articleid|newsid|nid|postid|\w*_articleid)$", re.I)
_GENERIC_SEGMENTS = {"", "index", "default", "detail", "details", "chi-tiet", "view", "news", "tin-tuc"}
_WORD = re.compile(r"[^\W_]+")
SIMHASH_BITS = 64
NEAR_DISTANCE = 6  # SimHash bits that may differ between two copies of one article (measured on the fixtures)


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


def canonical_url(html: str | bytes, base_url: str) -> str | None:
    """The page's own `<link rel="canonical">`, absolute; None when absent or pointing off-site."""
    soup = BeautifulSoup(html, "lxml")
    link = soup.find("link", rel=lambda rel: rel and "canonical" in [r.lower() for r in rel])
    href = (link.get("href") or "").strip() if link else ""
    if not href:
        return None
    absolute = urljoin(base_url, href)
    if urlsplit(absolute).hostname != urlsplit(base_url).hostname:
        return None  # a canonical on another host is a portal's template mistake more often than syndication
    return absolute.split("#")[0]


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
