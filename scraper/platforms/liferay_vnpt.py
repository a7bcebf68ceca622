"""VNPT eportal (Liferay 7 with VNPT's news plugin `dsnews_WAR_vnpteportalnewsportlet`).

Articles: the news portlet's friendly URL `/web/<site>/<page>/-/view_content/content/<id>/<slug>`
(also Liferay's asset publisher `/-/asset_publisher/<instance>/content/<slug>` and
`?…articleId=N` detail pages). Lists: `#p_p_id_dsnews_…_INSTANCE_<id>_ h2 a`, paged by the
portlet's query `?p_p_id=<portlet>&p_p_lifecycle=0&…&_<portlet>_cur=N&_<portlet>_delta=N`,
linked from Liferay's pager `ul.lfr-pagination-buttons` ("Tiếp theo"; disabled buttons are
`javascript:;`). Instance ids differ per site: selectors match id prefixes. Skipped: print
pop-ups (`p_p_state=pop_up`, `_print=true`), action URLs (`p_p_lifecycle=1`), `/c/` (login,
captcha, render_portlet) and document-library files."""
import re

from . import NEXT_BY_TEXT, Profile

_NEWS = "div[id^='p_p_id_dsnews_WAR_vnpteportal']"
_NEXT_WORDS = ("Tiếp theo", "Tiếp", "Sau", "Trang sau", "»", "›")

PROFILES = (
    Profile(
        name="liferay-vnpt",
        article_url=re.compile(r"/-/view_content/content/\d+(?:/[\w.%-]*)?$"
                               r"|/-/asset_publisher/\w+/content/[\w.%-]+(?:/\d+)?$"
                               r"|[?&](?:_\w+_)?articleId=\d+(?:&|$)"),
        skip_url=re.compile(r"^/c/|p_p_state=(?:pop_up|exclusive)|_print=true|p_p_lifecycle=[12]"
                            r"|^/documents/|^/image/|/-/view_content/content/\d+/[\w.%-]+/"),
        next_selectors=(
            "//div[starts-with(@id,'p_p_id_dsnews_WAR_vnpteportal')]"
            "//ul[contains(@class,'lfr-pagination-buttons') or contains(@class,'pagination')]"
            "/li[not(contains(@class,'disabled'))]/a["
            + " or ".join(f"normalize-space(.)='{w}'" for w in _NEXT_WORDS) + "]/@href",
            *NEXT_BY_TEXT,
        ),
        # h2 only: the sidebar's "Tin xem nhiều" (another dsnews instance) lists undated h3 items
        list_selectors=(f"{_NEWS} h2",),
        item_selectors=(f"{_NEWS} .news-list-item",),
    ),
)
