"""Who chaired, when a bulletin puts the role first ("Chủ trì buổi làm việc có đồng chí …"):
invented people and units, one sentence pattern per test."""
from __future__ import annotations

import extract

HEAD = "Tin hoạt động\nThứ Hai, 01/10/2024 08:00 (GMT +7)\n"


def _facts(body: str):
    article = extract.article_from_text(HEAD + body, "http://127.0.0.2/tin.html")
    return extract.extract_all(article, "huyện Kim Thành", "tỉnh Hải Dương")


def _roles(facts) -> dict[str, list[str]]:
    return {o.name: o.roles for o in facts.officials}


def test_the_chair_named_after_the_role():
    facts = _facts("Sáng ngày 14/6/2024, đoàn kiểm tra công tác CCHC của huyện làm việc tại xã An Lạc. "
                   "Chủ trì buổi làm việc có đồng chí Ninh Văn Khải - Phó Chủ tịch UBND huyện, Trưởng đoàn kiểm tra.")
    assert _roles(facts) == {"Ninh Văn Khải": ["chair"]}
    assert [e.chairs for e in facts.events] == [["Ninh Văn Khải"]]


def test_co_chairs_after_the_role_and_the_attendees_after_them():
    facts = _facts("Sáng ngày 20/5/2024, Đảng ủy xã An Lạc tổ chức hội nghị sơ kết công tác 6 tháng đầu năm. "
                   "Chủ trì hội nghị là đồng chí Kiều Văn Hòa - Bí thư Đảng ủy xã và đồng chí Mạc Thị Hằng - "
                   "Chủ tịch UBND xã; tham dự có đồng chí Lã Văn Quế - Phó Chủ tịch UBND huyện.")
    assert _roles(facts) == {"Kiều Văn Hòa": ["chair"], "Mạc Thị Hằng": ["chair"], "Lã Văn Quế": ["attendee"]}
    assert [e.chairs for e in facts.events] == [["Kiều Văn Hòa", "Mạc Thị Hằng"]]


def test_the_role_elsewhere_in_a_sentence_is_not_a_chair_first():
    facts = _facts("Ngày 3/7/2024, UBND xã An Lạc họp giao ban tháng 6; nội dung do văn phòng chuẩn bị, "
                   "báo cáo có đồng chí Trịnh Văn Sỹ - Công chức Văn phòng - Thống kê xã.")
    assert "chair" not in _roles(facts).get("Trịnh Văn Sỹ", [])


def test_abbreviated_titles_are_titles_as_written():
    facts = _facts("Ngày 11/9/2024, đ/c Lò Văn Sáu, PBT Đảng ủy, CT UBND xã chủ trì cuộc họp giao ban; "
                   "tham dự có đồng chí Vi Văn Tám - PCT HĐND xã.")
    officials = {o.name: (o.titles, o.roles) for o in facts.officials}
    assert officials == {"Lò Văn Sáu": (["PBT Đảng ủy", "CT UBND xã"], ["chair"]),
                         "Vi Văn Tám": (["PCT HĐND xã"], ["attendee"])}
