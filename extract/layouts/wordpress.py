"""WordPress themes (unit newspapers, some district news sites): the theme-independent
classes WordPress itself and the Underscores/Twenty-* templates print.

`h1.entry-title`; the date in `time.entry-date.published` (its text is the site's date
format, e.g. "15/03/2024 08:30"; `time.updated` beside it is the edit time, hidden by
CSS); body `.entry-content`; byline `.byline .author.vcard` (an account name, so "admin"
and desk names read as no author); categories `.cat-links a`. Plugins put furniture
inside `.entry-content`: Post Views Counter ("Lượt xem: N"), Jetpack sharing and related
posts, the Gutenberg file block's "Tải xuống" button. Recent posts may print their date
relatively ("2 tuần trước"); the day is then read from a `/YYYY/MM/DD/<slug>/` permalink.
"""
from .base import Layout

LAYOUTS = (
    Layout(
        name="wordpress",
        priority=15,
        markers=(r'<meta name="generator" content="WordPress \d', r'<link rel=["\']https://api\.w\.org/["\']'),
        title=("article.post h1.entry-title", "article.type-post h1.entry-title", "h1.entry-title", "h1.post-title"),
        date=("article.post time.entry-date.published", "article.type-post time.entry-date.published",
              "time.entry-date.published", "time.entry-date", ".entry-meta .posted-on", ".entry-date"),
        body=("article.post .entry-content", "article.type-post .entry-content", ".entry-content", ".post-content"),
        author=("article.post .entry-meta .author.vcard", ".entry-meta .author.vcard", ".byline .author",
                "a[rel=author]"),
        drop=(".post-views", ".sharedaddy", "#jp-relatedposts", ".jp-relatedposts", ".wp-block-file__button",
              ".addtoany_share_save_container", ".code-block", ".wpcnt"),
        category=(".cat-links a[rel~=category]", ".cat-links a"),
        date_near_title=False,
        # day-and-name permalinks carry the local publication day: the last resort when the theme
        # prints the date as "2 tuần trước" (the exact time sits only in <time datetime>)
        url_date=r"^/(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/[^/]+/?$",
    ),
)
