"""Pages built to hurt, or broken badly enough to: the extractor answers with data or a clear
error, never with an unexpected exception or minutes of work."""
from __future__ import annotations

import pytest

import extract
from extract.layouts.base import MAX_DEPTH, PageTooDeep

PAGE = """<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="news-detail"><h1 class="news-title">{title}</h1>
<div class="news-meta"><span class="news-date">Đăng lúc: 08:00:00 12/03/2024</span></div>
<div class="news-content">{content}</div></div></body></html>"""


def page(content: str, title: str = "Kết quả Chỉ số cải cách hành chính năm 2023 các xã") -> str:
    return PAGE.format(title=title, content=content)


def test_a_superscript_rank_is_no_rank_and_no_crash():
    table = """<p>UBND huyện công bố kết quả Chỉ số cải cách hành chính năm 2023 của các xã như sau:</p>
    <table><tr><td>STT</td><td>Đơn vị</td><td>Tổng điểm</td><td>Xếp loại</td></tr>
    <tr><td>¹</td><td>Xã Thử Nghiệm</td><td>92,64</td><td>Tốt</td></tr>
    <tr><td>2</td><td>Xã Diên Phú</td><td>90,10</td><td>Tốt</td></tr></table>"""
    article = extract.article(page(table), "http://xa.gov.vn/tin-tuc/ket-qua-1012.html")
    facts = extract.extract_all(article, "huyện Diên Khánh", "tỉnh Khánh Hòa")
    ranks = {r.unit: r.rank for r in facts.rankings}
    assert ranks.get("xã Diên Phú") == 2
    assert ranks.get("xã Thử Nghiệm") is None


def test_nesting_deeper_than_any_bulletin_is_refused_with_a_clear_error():
    with pytest.raises(PageTooDeep, match="nested"):
        extract.article(page("<div>" * 5000 + "<p>Nội dung.</p>"), "http://xa.gov.vn/a-1.html")


def test_nesting_within_the_limit_is_read():
    depth = MAX_DEPTH - 20
    article = extract.article(page("<div>" * depth + "<p>Hội nghị triển khai nhiệm vụ năm 2024.</p>"),
                              "http://xa.gov.vn/a-2.html")
    assert "Hội nghị triển khai nhiệm vụ năm 2024." in article.text
