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
)
