"""The Long An provincial news site's CMS: articles at `/<category>/<slug>-a<id>.html`
(older links drop the category: `/<slug>-a<id>.html`), category lists at `/<category>/`,
`/<category>/trang-2.html`, … whose pager's `a.next` ("Trang sau", ›) leads on (`»` is the
*last* page, so the generic "»" rule must not be used), and an RSS 2.0 feed per category at
`/rss/<category>.rss` (set per site in the registry). Print copies `/in-bai-a<id>.html` are
skipped."""
import re

from . import Profile

PROFILES = (
    Profile(
        name="longan-news",
        article_url=re.compile(r"^/(?:[a-z0-9-]+/)?[a-z0-9-]+-a\d+\.html$"),
        skip_url=re.compile(r"^/(?:in-bai-a\d+\.html|print/|tag/|tim-kiem\.html|dang-nhap\.html|dang-ky\.html|rss/|admin/)"),
        next_selectors=("div.paging a.next::attr(href)", "//link[@rel='next']/@href",
                        "//div[@class='paging']//a[@title='Trang sau']/@href"),
        list_selectors=("#list-news", ".list-news"),
        item_selectors=(".news-item",),
    ),
)
