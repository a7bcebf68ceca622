"""Reading feeds, sitemaps, the WordPress API, postback pagers and list-item dates."""
from datetime import date

from scraper import discovery

RSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Tin</title>
<item><title>A</title><link>http://p.test/tin/a-1.html</link><pubDate>Sat, 13 Apr 2024 21:53:07 +0700</pubDate></item>
<item><title>B</title><guid>http://p.test/tin/b-2.html</guid></item></channel></rss>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>C</title>
<link rel="alternate" href="http://p.test/c-3.html"/><updated>2024-03-18T03:41:00+07:00</updated></entry></feed>"""
INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://p.test/sitemap-vi.news.xml</loc></sitemap></sitemapindex>"""
URLSET = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://p.test/vi/news/a/b-12.html</loc><lastmod>2024-05-06</lastmod></url><url><loc>http://p.test/x</loc></url></urlset>"""


def test_rss_and_atom_items():
    assert discovery.feed_items(RSS) == [discovery.Listed("http://p.test/tin/a-1.html", date(2024, 4, 13)),
                                          discovery.Listed("http://p.test/tin/b-2.html", None)]
    assert discovery.feed_items(ATOM) == [discovery.Listed("http://p.test/c-3.html", date(2024, 3, 18))]


def test_sitemaps_and_indexes():
    assert discovery.sitemap_entries(INDEX) == (["http://p.test/sitemap-vi.news.xml"], [])
    children, pages = discovery.sitemap_entries(URLSET)
    assert children == [] and pages[0] == discovery.Listed("http://p.test/vi/news/a/b-12.html", date(2024, 5, 6))


def test_wordpress_posts_and_bad_json():
    body = b'[{"id": 7, "date": "2024-03-15T08:00:00", "link": "http://p.test/2024/03/15/hop/"}]'
    assert discovery.wordpress_posts(body) == [discovery.Listed("http://p.test/2024/03/15/hop/", date(2024, 3, 15))]
    assert discovery.wordpress_posts(b"<html>not json</html>") == []
    assert discovery.feed_items(b"not xml at all") == []


def test_postback_and_item_dates():
    href = "javascript:__doPostBack('ctl00$ctl30$g_1$gvNews','Page$2')"
    assert discovery.postback(href) == ("ctl00$ctl30$g_1$gvNews", "Page$2")
    assert discovery.postback("/tin-tuc?page=2") is None
    assert discovery.item_date("Họp giao ban (15/03/2024)") == date(2024, 3, 15)
    assert discovery.item_date("Đã xem: 120") is None
