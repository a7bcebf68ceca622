"""The custom CMS of the Long An provincial news site (seed 003).

Every page carries a header line with the page's *current* time, "Thứ Bảy, 25/05/2024 02:47
(GMT +7)" (never the publication time); an article shows its own line "Thứ 7, 13/04/2024 |
21:53:07 [GMT +7]" in `.detail-time` under `h1.detail-title`, the sapo in `h2.detail-sapo`,
the body in `#content-detail` (photos with an `<em>` caption in the same `<p>`, pull quotes as
`<blockquote>`, "Tin liên quan" boxes inside the body), the author field in `.detail-author`
after the body (a contributed article may instead end its body with "NAME - UNIT"), files in
`.detail-attach`, then tags, the comment box "Ý kiến () 0 / 500 ký tự" and "Tin cùng chuyên mục".
The markers are ASCII so that they also match pages served in windows-1258 with decomposed tone
marks.
"""
from .base import Layout

LAYOUTS = (
    Layout(
        name="longan-news",
        priority=15,
        markers=(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2} \(GMT \+7\)",  # the header clock, on every page
                 r"\| \d{2}:\d{2}:\d{2} \[GMT \+7\]"),  # an article's date line
        title=("h1.detail-title",),
        date=(".detail-time",),
        summary=("h2.detail-sapo", ".detail-sapo"),
        body=("#content-detail", ".detail-content"),
        author=(".detail-author",),
        drop=(".news-related-inline",),
        attachments=(".detail-attach a",),
        category=(".breadcrumb li:last-child a",),
        date_near_title=False,  # the header clock precedes the title; trust only .detail-time
    ),
)
