"""Document references as bulletins cite them (invented numbers, the phrasing of
shared/reference/vocabulary.md): number normalised, kind, own date, issuer."""
from __future__ import annotations

import pytest

import extract

HEAD = "Tin hoạt động\nThứ Hai, 01/10/2024 08:00 (GMT +7)\n"

CASES = [
    ("Thực hiện Quyết định số 1234/QĐ-UBND ngày 5/3/2024 của UBND tỉnh về việc công bố Chỉ số CCHC.",
     ("1234/QĐ-UBND", "Quyết định", "2024-03-05", "UBND tỉnh Hải Dương")),
    ("Căn cứ Kế hoạch 45/KH-UBND ngày 12/01/2024 của UBND huyện, xã đã triển khai.",
     ("45/KH-UBND", "Kế hoạch", "2024-01-12", "UBND huyện Kim Thành")),
    ("Theo Quyết định số 876 /QĐ-UBND ngày 10 tháng 5 năm 2024 của Chủ tịch UBND tỉnh.",
     ("876/QĐ-UBND", "Quyết định", "2024-05-10", "UBND tỉnh Hải Dương")),
    ("Thực hiện Chỉ thị số 05-CT/TU ngày 3/4/2023 của Ban Thường vụ Tỉnh ủy.",
     ("05-CT/TU", "Chỉ thị", "2023-04-03", "Ban Thường vụ Tỉnh ủy Hải Dương")),
    ("Theo Thông tư số 01/2023/TT-BNV của Bộ Nội vụ.", ("01/2023/TT-BNV", "Thông tư", None, "Bộ Nội vụ")),
    ("Theo Nghị định 61/2018/NĐ-CP của Chính phủ về thực hiện cơ chế một cửa.",
     ("61/2018/NĐ-CP", "Nghị định", None, "Chính phủ")),
    ("Theo Quyết định số 1234/QĐ-CT ngày 5/3/2024 của Chủ tịch UBND tỉnh.",
     ("1234/QĐ-CT", "Quyết định", "2024-03-05", "UBND tỉnh Hải Dương")),
    ("Thực hiện Thông báo kết luận số 45-TB/HU ngày 2/2/2024 của Ban Thường vụ Huyện ủy.",
     ("45-TB/HU", "Thông báo", "2024-02-02", "Ban Thường vụ Huyện ủy Kim Thành")),
    ("Thực hiện Văn bản số 123/UBND-NC ngày 3/3/2024 của UBND huyện.",
     ("123/UBND-NC", "Công văn", "2024-03-03", "UBND huyện Kim Thành")),
    ("Thực hiện Hướng dẫn số 05-HD/BTGTU ngày 4/4/2024 của Ban Tuyên giáo Tỉnh ủy.",
     ("05-HD/BTGTU", "Hướng dẫn", "2024-04-04", "Ban Tuyên giáo Tỉnh ủy Hải Dương")),
    ("Thực hiện Kế hoạch số 20/KH-UBND, ngày 15/02/2024 của UBND xã An Lạc.",
     ("20/KH-UBND", "Kế hoạch", "2024-02-15", "UBND xã An Lạc")),
]


@pytest.mark.parametrize("sentence, expected", CASES, ids=[c[1][0] for c in CASES])
def test_a_cited_document_gives_its_number_kind_date_and_issuer(sentence, expected):
    article = extract.article_from_text(HEAD + sentence, "http://127.0.0.2/tin.html")
    documents = extract.extract_all(article, "huyện Kim Thành", "tỉnh Hải Dương").documents
    assert [(d.number, d.kind, d.date, d.issuer) for d in documents] == [expected]
