"""VNPT eportal: Liferay 7 with VNPT's WAR plugins (district and commune portals sold as
"VNPT eportal").

Every page carries portlets `p_p_id_<name>_WAR_vnpteportal<…>portlet_INSTANCE_<id>_`
(instance ids differ per site and per page, so selectors match the id's prefix) and the
theme under `/o/vnpt-eportal…theme/`. An article is rendered by the news portlet
`dsnews_WAR_vnpteportalnewsportlet` through its friendly URL
`…/-/view_content/content/<articleId>/<slug>`: title `h1.title-news`, the date line
"Ngày đăng: dd/mm/yyyy HH:mm" in `.info-news .date-news` (some articles show none: then
the date is unknown, never the related list's "(dd/mm/yyyy)"), summary `.sapo-news`, body
`.content-news`, byline `.news-author` (or a last body line "Tin, ảnh: …"), files in the
body (Liferay documents `/documents/<group>/<folder>/<name>.pdf/<uuid>`, no extension at the
end) and under it in `.file-attach`. The theme's `h1.site-title` comes first on the page.
Other Liferay content (asset publisher full view) keeps its body in `.journal-content-article`.
"""
from .base import Layout

_NEWS = "[id^='p_p_id_dsnews_WAR_vnpteportal']"
_DETAIL = f"{_NEWS} .news-detail"
_FILES = "a[href*='.pdf' i], a[href*='.doc' i], a[href*='.xls' i]"

LAYOUTS = (
    Layout(
        name="liferay-vnpt",
        priority=12,
        markers=(r"p_p_id_\w+_WAR_vnpteportal\w*portlet", r"/o/vnpt-eportal[\w-]*theme/"),
        title=(f"{_DETAIL} h1.title-news", f"{_DETAIL} h1", ".asset-full-content .asset-title", "h1.header-title"),
        date=(f"{_DETAIL} .info-news .date-news", ".asset-full-content .asset-publish-date"),
        summary=(f"{_DETAIL} .sapo-news",),
        body=(f"{_DETAIL} .content-news", ".asset-full-content .journal-content-article"),
        author=(f"{_DETAIL} .news-author",),
        attachments=(", ".join(f"{_DETAIL} .content-news {a}" for a in _FILES.split(", ")),
                     f"{_DETAIL} .file-attach a[href]"),
        category=(".breadcrumb li:nth-last-child(2) a",),
        date_near_title=False,  # no date line on the page: unknown, not the related list's dates
    ),
)
