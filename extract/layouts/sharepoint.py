"""SharePoint portals (many ministries, provinces and their departments).

Pages carry `<meta name="GENERATOR" content="Microsoft SharePoint">` and the
`_spPageContextInfo` script; the whole body is one ASP.NET form. The common Vietnamese
news template: title `#divArticleDescription3 h1`, summary `#divArticleDescription1`,
body `#divArticleDescription2` (rich text wrapped in `div.ExternalClass<hex>`), the date
line "15:22 27/12/2024" in `span.News_Time_Post`, the byline or source in a panel whose id
ends in `_pnNguontin`, list-item attachments in a panel ending in `_pnAttach`. Web-part
ids (`ctl00_ctl30_g_<guid>`) differ per site: match id suffixes, never whole ids.
"""
from .base import Layout

LAYOUTS = (
    Layout(
        name="sharepoint",
        priority=15,
        markers=(
            r'<meta name="GENERATOR" content="Microsoft SharePoint',
            r'id="divArticleDescription[123]"',
            r"var _spPageContextInfo\s*=",
        ),
        url_markers=(r"/Lists/[^/?#]+/View_Detail\.aspx\?ItemID=\d",),
        title=("#divArticleDescription3 h1", ".News_Detail_Title h1", "h1.News_Detail_Title", "#divArticleDescription3"),
        date=("span.News_Time_Post", ".News_Time_Post", ".News_Detail_Info"),
        summary=("#divArticleDescription1",),
        body=("#divArticleDescription2", ".News_Detail_Content"),
        author=("[id$='_pnNguontin']", ".News_Detail_Author"),
        drop=("[id$='_pnTinLienQuan']", ".News_Other"),
        attachments=("[id$='_pnAttach'] a[href]", ".News_Detail_Attach a[href]"),
        category=(".BreadCrumb a:last-of-type",),
    ),
)
