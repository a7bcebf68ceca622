"""One article, many URLs and copies: URL keys, canonical links, SimHash, and the database
lookup that finds the original of a copy."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from db import connect, crawlstate
from db.store import RawPage, save_article, save_page, sha256
from extract import identity
from extract.model import Article, Facts

ARTICLES = sorted((Path(__file__).parent / "fixtures" / "articles").glob("*.txt"))


@pytest.mark.parametrize("url, key", [
    ("http://a.gov.vn/vi/news/tin-tuc/hop-ban-chi-dao-1240.html", "a.gov.vn/hop-ban-chi-dao-1240"),
    ("http://a.gov.vn/vi/news/print/tin-tuc/hop-ban-chi-dao-1240.html", "a.gov.vn/hop-ban-chi-dao-1240"),
    ("http://a.gov.vn/vi/news/su-kien/hop-ban-chi-dao-1240.html", "a.gov.vn/hop-ban-chi-dao-1240"),
    ("http://A.gov.vn/index.php?language=vi&nv=news&op=print/tin-tuc/hop-1240", "a.gov.vn/hop-1240"),
    ("http://a.gov.vn/index.php?language=vi&nv=news&op=tin-tuc/hop-1240", "a.gov.vn/hop-1240"),
    ("http://a.gov.vn/Pages/tin-tuc.aspx?ItemID=123", "a.gov.vn/tin-tuc?itemid=123"),
    ("http://a.gov.vn/2024/04/05/hop-ban-chi-dao/", None),  # no id: no key, never a false match
    ("http://a.gov.vn/tin-tuc/", None),
])
def test_url_key(url, key):
    assert identity.url_key(url) == key


def test_canonical_url_is_absolute_and_on_site():
    page = '<html><head><link rel="canonical" href="/tin-tuc/hop-1240.html"></head><body></body></html>'
    assert identity.canonical_url(page, "http://a.gov.vn/print/hop-1240.html") == "http://a.gov.vn/tin-tuc/hop-1240.html"
    elsewhere = page.replace('href="/', 'href="http://other.vn/')
    assert identity.canonical_url(elsewhere, "http://a.gov.vn/x-1.html") is None
    assert identity.canonical_url("<html><body>no head</body></html>", "http://a.gov.vn/") is None


def test_simhash_tells_copies_from_other_articles():
    texts = [p.read_text(encoding="utf-8") for p in ARTICLES]
    prints = [identity.fingerprint(t) for t in texts]
    closest = min(identity.distance(a, b) for a, b in itertools.combinations(prints, 2))
    assert closest > identity.NEAR_DISTANCE
    for text, print_ in zip(texts, prints):
        framed = f"Nguồn: Cổng Thông tin điện tử huyện\n{text}\nTin, ảnh: Văn phòng HĐND-UBND"
        assert identity.distance(print_, identity.fingerprint(framed)) <= identity.NEAR_DISTANCE


def _store(db, url: str, text: str, published: str = "2024-04-05T08:00:00+07:00", canonical: str | None = None):
    page_id = save_page(db, RawPage(url, url, "s", "article", 200, {}, text.encode(), "2024-04-05T01:00:00+00:00"))
    article = Article(url, "Tiêu đề", None, None, text)
    columns = crawlstate.identity_columns(canonical, identity.url_key(url), identity.fingerprint(text), None, 1,
                                          "2024-04-05T01:00:00+00:00")
    article_id = save_article(db, page_id, "s", article, Facts(), columns)
    db.execute("UPDATE articles SET published = ? WHERE id = ?", [published, article_id])
    return article_id


def test_find_original(tmp_path):
    db = connect(tmp_path / "copies.db")
    db.execute("INSERT INTO sites (id) VALUES ('s')")
    text = ARTICLES[0].read_text(encoding="utf-8")
    other = ARTICLES[1].read_text(encoding="utf-8")
    with db.conn:
        first = _store(db, "http://a.gov.vn/tin-tuc/hop-1240.html", text, canonical="http://a.gov.vn/tin-tuc/hop-1240.html")
        _store(db, "http://b.gov.vn/tin/khac-77.html", other)

    def find(url, body, canonical=None, published="2024-04-06T09:00:00+07:00"):
        return crawlstate.find_original(db, url, canonical, identity.url_key(url), body, sha256(body),
                                        identity.fingerprint(body), published)

    assert find("http://a.gov.vn/x.html", "khác", canonical="http://a.gov.vn/tin-tuc/hop-1240.html") == \
        crawlstate.Copy(first, "same-canonical")
    assert find("http://a.gov.vn/print/hop-1240.html", "bản in") == crawlstate.Copy(first, "same-url-key")
    assert find("http://c.gov.vn/tin/ban-sao-9.html", text) == crawlstate.Copy(first, "same-text")
    near = find("http://c.gov.vn/tin/ban-sao-9.html", "Nguồn: huyện\n" + text + "\nTin: Văn phòng")
    assert near and near.article_id == first and near.rule.startswith("near-text")
    assert find("http://c.gov.vn/tin/ban-sao-9.html", "Nguồn: huyện\n" + text, published="2024-06-01") is None
    assert find("http://c.gov.vn/tin/bai-moi-10.html", ARTICLES[2].read_text(encoding="utf-8")) is None
    assert find("http://c.gov.vn/tin/ngan-11.html", "Ảnh: hội nghị") is None  # too short to call a copy
