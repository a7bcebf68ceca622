"""The commune-portal family of seeds 000/002: "Lượt xem: N" under the title, a visit
counter footer, a login box, "Văn bản mới" sidebar; the date line "Đăng lúc: …"."""
from .base import Layout

LAYOUTS = (
    Layout(
        name="commune-portal",
        priority=20,
        markers=(r"Thống kê truy cập[\s\S]{0,2000}Tổng lượt truy cập", r'class="news-detail'),
        title=(".news-detail h1", ".news-detail h2", "h1"),
        date=(".news-detail .news-date", ".news-detail .news-meta"),
        body=(".news-detail .news-content", ".news-content", ".content-detail"),
        drop=(".news-other", ".tin-lien-quan", ".thong-tin-khac", ".related"),
    ),
)
