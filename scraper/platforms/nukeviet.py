"""NukeViet 3 and 4: rewritten `/vi/news/<cat>/<alias>-<id>.html` and raw `index.php?…&op=`
URLs, `/page-N/` pagination with `<link rel="next">`, RSS per category, sitemaps; the
print/savefile/sendmail copies of an article are skipped."""
import re

from . import NEXT_BY_TEXT, Profile

PROFILES = (
    Profile(
        name="nukeviet4",
        article_url=re.compile(r"^/(?:[a-z]{2}/)?(?:news/)?[\w-]+/[\w-]+-\d+\.html$"
                               r"|[?&]nv=news&(?:amp;)?op=[\w-]+/[\w-]+-\d+"),
        skip_url=re.compile(r"/(?:print|savefile|sendmail|rss|tag|topic|admin)/|op=(?:print|savefile|sendmail)"),
        next_selectors=("//link[@rel='next']/@href", "ul.pagination li.page-item a.page-link[rel=next]::attr(href)",
                        *NEXT_BY_TEXT[1:]),
        list_selectors=("div.panel-body", ".news_column", "#main"),
        item_selectors=("div.panel-body",),
        feeds=("/vi/news/rss/",),
        sitemaps=("/sitemap.xml",),
    ),
    Profile(
        # NukeViet 3, mostly without URL rewriting: every page is index.php?language=vi&nv=<module>&op=<op>.
        # Articles: op=<cat>/<alias>-<id> (rewritten: /vi/news/<cat>/<alias>-<id>/). Lists page by item
        # OFFSET (op=<cat>/page-4, page-8; page-0 repeats page 1), linked "Trang trước"/"Trang sau"
        # with no <link rel=next>; a page past the end redirects to page 1. Print/savefile/sendmail
        # copies are op=print/<cat>/<alias>-<id>; other modules (laws, about) use the same op shape.
        name="nukeviet3",
        article_url=re.compile(r"[?&](?:amp;)?nv=news&(?:amp;)?op=[\w-]+/[\w-]+-\d+$"
                               r"|^/(?:[a-z]{2}/)?news/[\w-]+/[\w-]+-\d+(?:/|\.html)?$"),
        skip_url=re.compile(r"op=(?:print|savefile|sendmail|rss|search|tag|topic|content)(?:/|&|$)"
                            r"|op=[\w-]+/page-\d+$|/(?:print|savefile|sendmail)/|/page-\d+/?$"),
        next_selectors=NEXT_BY_TEXT,
        list_selectors=("div.news_column",),
        item_selectors=("div.news_column div.items",),
        sitemaps=("/sitemap.xml",),
    ),
)
