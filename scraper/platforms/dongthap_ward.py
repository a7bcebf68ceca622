"""The custom (Yii 1) CMS of Đồng Tháp's ward and commune portals (seed 001).

Articles answer at `/tin-tuc/<slug>-<id>.html`, at the legacy route
`/index.php/tin-tuc/chi-tiet/<id>`, and (entries imported from the old site) at
`/tin-tuc/YYYY/MM/DD/<slug>-<id>.html`. Lists are a Yii CListView paged by
`?Entries_page=N` (`ul.yiiPager`; page 1 is the bare path; on the last page `li.next`
is `hidden` but still links to the last page). The second page of a split article,
`<article>?page=2`, is a continuation, never an article of its own.
"""
import re

from . import NEXT_BY_TEXT, Profile

PROFILES = (
    Profile(
        name="dongthap-ward",
        article_url=re.compile(r"^/(?:index\.php/)?tin-tuc/(?:chi-tiet/\d+|(?:\d{4}/\d{1,2}/\d{1,2}/)?[\w-]+-\d+\.html)$"),
        skip_url=re.compile(r"[?&](?:page|Entries_page)=|/(?:site/log(?:in|out)|tim-kiem|binh-luan|in-bai|print)\b"),
        next_selectors=("ul.yiiPager li.next:not(.hidden) a::attr(href)", *NEXT_BY_TEXT),
        list_selectors=("div.list-view div.items",),
        item_selectors=("div.list-view div.items div.view",),
    ),
)
