"""The custom (Yii 1) CMS of Đồng Tháp's ward and commune portals (seed 001).

Every page carries the `Entries` model's search box (`Entries[title]`); lists page by
`?Entries_page=N`; an article page ends with a rating widget of "(0)" lines and
"Mời bạn là người đầu tiên xếp hạng và nhận xét", then "Thông tin khác" as
`TITLE (dd/mm/yyyy)`. The top bar prints TODAY's date ("Thứ bảy, 28/09/2024"), so only
the labelled line `span.entry-date` ("Ngày đăng: 05/09/2024 - 09:25") is read, never a
date near the title. Entries imported from the old site show no date at all: their
URL (`/tin-tuc/2024/03/15/<slug>-<id>.html`) carries the day; `url_date` is that
pattern for an engine that reads it. A long article continues on `<url>?page=2`,
linked by "Xem tiếp trang 2 »" (`continuation`).
"""
from .base import Layout

LAYOUTS = (
    Layout(
        name="dongthap-ward",
        priority=15,
        markers=(r'name="Entries\[title\]"', r"Mời bạn là người đầu tiên xếp hạng và nhận xét",
                 r"[?&](?:amp;)?Entries_page=\d"),
        title=(".entry-detail h1.entry-title", ".entry-detail h1"),
        date=(".entry-detail .entry-meta .entry-date",),
        summary=(".entry-detail .entry-summary",),
        body=(".entry-detail .entry-content",),
        drop=(".entry-paging", ".entry-tools", ".entry-rating", ".entry-others"),
        attachments=(".entry-detail .entry-files a[href]",),
        category=(".breadcrumbs a:nth-of-type(2)",),
        date_near_title=False,  # the header's "Thứ bảy, 28/09/2024" is today, and "Thông tin khác" dates are others'
        continuation=(".entry-detail .entry-paging a.next-part",),
        url_date=(r"^/tin-tuc/(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/[\w-]+-\d+\.html$"),
    ),
)
