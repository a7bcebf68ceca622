"""WordPress: day-and-name (`/2024/03/15/<slug>/`), month-and-name (`/2024/03/<slug>/`) and
numeric (`/archives/123`) permalinks; archives paged as `<base>page/N/` with
`<link rel="next">` and `a.next.page-numbers`; the REST API `/wp-json/wp/v2/posts`
(`X-WP-TotalPages`); core sitemaps `/wp-sitemap.xml`; the RSS feed `/feed/`.

Not articles: month and day archives (`/2024/03/`, `/2024/03/15/`), a post's comment
feed, embed and AMP copies (`…/<slug>/feed/`, `/embed/`, `/amp/`), attachment pages,
comment-reply and share links (`?replytocom=`, `?share=`), shortlinks `/?p=N`, login and
admin pages, the API itself.
"""
import re

from . import NEXT_BY_TEXT, Profile

PROFILES = (
    Profile(
        name="wordpress",
        article_url=re.compile(r"^/\d{4}/\d{2}/\d{2}/[\w%.-]+/?$"
                               r"|^/\d{4}/\d{2}/(?=[\w%.-]*[^\W\d_])[\w%.-]+/?$"
                               r"|^/archives/\d+/?$"),
        skip_url=re.compile(r"/(?:feed|embed|amp|trackback|attachment|comment-page-\d+|page/\d+)/?(?:$|\?)"
                            r"|[?&](?:replytocom|share|p|s|preview|amp|print)="
                            r"|^/(?:wp-admin|wp-login\.php|wp-json|wp-content|wp-includes|xmlrpc\.php)"),
        next_selectors=("//link[@rel='next']/@href", "a.next.page-numbers::attr(href)",
                        ".nav-links .nav-previous a::attr(href)", *NEXT_BY_TEXT[1:]),
        list_selectors=("main#main", "#primary", ".site-main", "#content"),
        item_selectors=("article.post", "article.type-post"),
        feeds=("/feed/",),
        sitemaps=("/wp-sitemap.xml",),
        api="wordpress",
        # The demo site answers /wp-json/wp/v2/posts?page=N&per_page=5 (two pages); on a real
        # site any size up to 100 works, at a cost of more requests for smaller pages.
        api_page_size=5,
    ),
)
