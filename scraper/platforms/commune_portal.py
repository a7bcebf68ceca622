"""The commune-portal family of seeds 000/002: `/<category>/<slug>-<id>.html` articles,
`?page=N` list pages linked by "Trang sau"."""
import re

from . import NEXT_BY_TEXT, Profile

PROFILES = (
    Profile(
        name="commune-portal",
        article_url=re.compile(r"^/[\w/-]+/[\w-]+-\d+\.html?$"),
        skip_url=re.compile(r"/(?:dang-nhap|quan-tri|in-bai|print)"),
        next_selectors=NEXT_BY_TEXT,
        item_selectors=(".news-list li", ".news-item", "li"),
    ),
)
