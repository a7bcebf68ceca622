"""SharePoint portals: list items at `/<sub>/Lists/<List>/View_Detail.aspx?ItemID=N` or
publishing pages `/<sub>/pages/<yyyy-mm-dd>/<slug>-<id>.aspx`; list pages
`/<sub>/Pages/<name>.aspx` paged by query (`?Page=N`, `?CateID=N&page=N`) or by ASP.NET
postback from a GridView pager (`javascript:__doPostBack('ctl00$…$gvNews','Page$2')`).
SharePoint's own machinery (`/_layouts/`, `/_vti_bin/`, list forms, attachments) is skipped."""
import re

from . import NEXT_BY_TEXT, Profile

PROFILES = (
    Profile(
        name="sharepoint",
        article_url=re.compile(r"/Lists/[^/?#]+/View_Detail\.aspx\?(?:[^#]*&)?ItemID=\d+"
                               r"|/pages/\d{4}-\d{2}-\d{2}/[\w-]+-\d+\.aspx$", re.I),
        skip_url=re.compile(r"/_(?:layouts|vti_bin|catalogs|login)/|/Attachments/|/Forms/"
                            r"|(?:DispForm|EditForm|NewForm|AllItems)\.aspx|[?&](?:IsPrint|Print|PrintView)=", re.I),
        next_selectors=(
            "//div[contains(@class,'Paging')]//span[contains(@class,'current')]/following-sibling::a[1]/@href",
            *NEXT_BY_TEXT,
        ),
        list_selectors=("div.NewsList", "table[id$='_gvNews']"),
        item_selectors=("div.NewsItem",),
        # GridView pager (Numeric): the cell after the current page's <span> posts back 'Page$N+1'.
        postback_next=("//td[span][following-sibling::td[1]/a[contains(@href,'__doPostBack') and "
                       "contains(@href,'Page$')]]/following-sibling::td[1]/a/@href"),
    ),
)
