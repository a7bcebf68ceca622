"""Who held an event: the body and unit of the event's sentence, never one inside someone's
title (invented people, one sentence pattern per case)."""
from __future__ import annotations

import pytest

import extract

HEAD = "Tin hoạt động\nThứ Hai, 30/09/2024 08:00 (GMT +7)\n"

CASES = [
    ("Sáng 5/9/2024, Huyện ủy Kim Thành tổ chức hội nghị quán triệt Nghị quyết, do đồng chí Lại Văn Đông - "
     "Bí thư Huyện ủy chủ trì.", "Huyện ủy Kim Thành"),
    ("Sáng 5/9/2024, Huyện ủy tổ chức hội nghị quán triệt Nghị quyết, do đồng chí Lại Văn Đông - Bí thư Huyện ủy "
     "chủ trì.", "Huyện ủy Kim Thành"),  # a bare committee of the bulletin's own district
    ("Sáng 5/9/2024, Ban Thường vụ Huyện ủy Kim Thành họp phiên thường kỳ, do đồng chí Lại Văn Đông - Bí thư "
     "Huyện ủy chủ trì.", "Ban Thường vụ Huyện ủy Kim Thành"),
    ("Dưới sự chủ trì của đồng chí Lại Văn Đông - Bí thư Huyện ủy và đồng chí Mai Thị Sen - Phó Bí thư Huyện ủy, "
     "Chủ tịch UBND huyện, sáng ngày 5/9/2024, Huyện ủy Kim Thành tổ chức hội nghị sơ kết.", "Huyện ủy Kim Thành"),
    ("Sáng 5/9/2024, Ủy ban MTTQ Việt Nam xã An Lạc tổ chức hội nghị hiệp thương, do bà Lê Thị Hạnh - Chủ tịch "
     "Ủy ban MTTQ xã chủ trì.", "Ủy ban MTTQ Việt Nam xã An Lạc"),
    ("Sáng 5/9/2024, Đoàn Thanh niên xã An Lạc tổ chức lễ ra quân tình nguyện hè, do đồng chí Lý Văn Hùng - "
     "Bí thư Đoàn xã chủ trì.", "Đoàn Thanh niên xã An Lạc"),
    ("Chiều 5/9/2024, UBND xã An Lạc tổ chức hội nghị triển khai nhiệm vụ, do đồng chí Lò Văn Sáu - Chủ tịch "
     "UBND xã chủ trì.", "UBND xã An Lạc"),
]


@pytest.mark.parametrize("sentence, expected", CASES, ids=[c[1] for c in CASES])
def test_the_organizer_is_the_body_that_held_it(sentence, expected):
    article = extract.article_from_text(HEAD + sentence, "http://127.0.0.2/tin.html")
    events = extract.extract_all(article, "huyện Kim Thành", "tỉnh Hải Dương").events
    assert [e.organizer for e in events] == [expected]


def test_a_committee_written_in_capitals_takes_the_bulletins_spelling():
    article = extract.article_from_text(
        HEAD + "SÁNG 5/9/2024, HUYỆN ỦY KIM THÀNH TỔ CHỨC HỘI NGHỊ SƠ KẾT, DO ĐỒNG CHÍ LẠI VĂN ĐÔNG - "
               "BÍ THƯ HUYỆN ỦY CHỦ TRÌ.", "http://127.0.0.2/tin.html")
    events = extract.extract_all(article, "huyện Kim Thành", "tỉnh Hải Dương").events
    assert [e.organizer for e in events] == ["Huyện ủy Kim Thành"]
