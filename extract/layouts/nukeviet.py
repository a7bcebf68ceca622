"""NukeViet, the most common open-source CMS of commune and district portals.

v4 (default theme since 4.0): `div.news_column`, `h1.title[itemprop=headline]`, the date
line "Thứ hai - 18/03/2024 03:41" in `div.row.margin-bottom-lg span.h5`, summary
`div.hometext`, body `#news-bodyhtml`, byline `p.h5.text-right` ("Tác giả:", "Nguồn tin:").
v3: `div#news_detail h1`, `span.time`, `div#hometext`, `div.bodytext`.
"""
from .base import Layout

LAYOUTS = (
    Layout(
        name="nukeviet4",
        priority=10,
        markers=(r'<meta name="generator" content="NukeViet v4', r'class="news_column'),
        title=("h1.title[itemprop=headline]", ".news_column h1", "h1"),
        date=("div.row.margin-bottom-lg span.h5", ".news_column .h5"),
        summary=("div.hometext[itemprop=description]", "div.hometext"),
        body=("#news-bodyhtml", "div.bodytext"),
        author=("p.h5.text-right",),
        drop=(".other-news", "#form3B", ".news-download-file"),
        attachments=(".news-download-file a",),
        category=(".breadcrumbs li:last-child a", ".breadcrumb li:last-child a"),
    ),
    Layout(
        # NukeViet 3 pages also carry `class="news_column"`, nukeviet4's marker: at the same
        # priority, "nukeviet3" sorts first, so its own markers are tried before it.
        name="nukeviet3",
        priority=10,
        markers=(r'<meta name="generator" content="NukeViet v3', r'<div id="news_detail"'),
        title=("div#news_detail h1", "h1"),
        date=("div#news_detail span.time", "span.time"),  # "Thứ sáu - 12/01/2024  16:20"
        summary=("div#news_detail div#hometext", "div#hometext"),
        body=("div#news_detail div.bodytext", "div.bodytext"),
        # `<p style="text-align: right;"><strong>Tác giả: </strong>…</p>` after the body; the
        # "Nguồn tin: …" line beside it names a source, not an author
        author=("div#news_detail > p:-soup-contains('Tác giả')", "div#news_detail .author", "p.author"),
        attachments=(".download a",),
    ),
)
