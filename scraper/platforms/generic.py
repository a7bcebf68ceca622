"""The long tail: article URLs that end in an id, next pages linked by rel=next or by the
words Vietnamese portals use ("Trang sau", "Tiếp", "»")."""
import re

from . import NEXT_BY_TEXT, Profile

PROFILES = (
    Profile(
        name="generic",
        article_url=re.compile(r"[\w-]+-\d{2,}\.(?:html?|aspx)$|[?&](?:id|ItemID|newsid)=\d+"),
        skip_url=re.compile(r"/(?:print|savefile|sendmail|login|dang-nhap|admin|rss)\b", re.I),
        next_selectors=NEXT_BY_TEXT,
    ),
)
