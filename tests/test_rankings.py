"""Index results as bulletins write them, one sentence each (invented units and figures, the
phrasing of shared/reference/vocabulary.md): the values a journalist asks "how did it rank" for."""
from __future__ import annotations

import pytest

import extract

HEAD = "Kết quả các chỉ số năm 2023\nThứ Hai, 01/04/2024 08:00 (GMT +7)\n"
SITE = "huyện Kim Thành", "tỉnh Hải Dương"

CASES = [
    ("Kết quả xếp hạng Chỉ số CCHC năm 2023, UBND xã An Lạc đạt 85,36/100 điểm, xếp loại Tốt, "
     "đứng thứ 5/19 xã, thị trấn.",
     {"index": "CCHC", "year": 2023, "unit": "xã An Lạc", "rank": 5, "of": 19, "score": 85.36, "grade": "Tốt"}),
    ("Chỉ số cải cách hành chính của xã Tân Phong đạt 90,12 / 100 điểm, xếp thứ 2/19.",
     {"index": "CCHC", "unit": "xã Tân Phong", "rank": 2, "of": 19, "score": 90.12}),
    ("Năm 2023, Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) của tỉnh đạt 65,2 điểm, tăng 4 bậc, "
     "xếp thứ 21/63 tỉnh, thành phố.",
     {"index": "PCI", "year": 2023, "rank": 21, "of": 63, "score": 65.2, "change": 4}),
    ("Chỉ số chuyển đổi số (DTI) năm 2023 của tỉnh đạt 0,5123 điểm, xếp hạng thứ 30/63.",
     {"index": "DTI", "year": 2023, "rank": 30, "of": 63, "score": 0.5123}),
    ("PCI 2023 của tỉnh đạt 65,2 điểm, xếp thứ 21/63 tỉnh, thành phố.",
     {"index": "PCI", "year": 2023, "unit": "tỉnh Hải Dương", "rank": 21, "of": 63, "score": 65.2}),
    ("Với kết quả này, Chỉ số cải cách hành chính năm 2023 của huyện đứng ở vị trí thứ 5 trên tổng số 12 huyện, "
     "thị xã, thành phố.", {"index": "CCHC", "year": 2023, "unit": "huyện Kim Thành", "rank": 5, "of": 12}),
    ("Kết quả Chỉ số hài lòng của người dân (SIPAS) năm 2023 của tỉnh đạt 84,12%, giảm 5 bậc so với năm 2022.",
     {"index": "SIPAS", "year": 2023, "score": 84.12, "change": -5}),
]


def _rankings(sentence: str) -> list:
    article = extract.article_from_text(HEAD + sentence, "http://127.0.0.2/chi-so.html")
    return extract.extract_all(article, *SITE).rankings


@pytest.mark.parametrize("sentence, expected", CASES, ids=[c[1]["index"] + str(i) for i, c in enumerate(CASES)])
def test_a_ranking_sentence_gives_its_values(sentence, expected):
    found = _rankings(sentence)
    assert len(found) == 1
    got = {"index": found[0].index, "year": found[0].year, "unit": found[0].unit, "rank": found[0].rank,
           "of": found[0].of, "score": found[0].score, "grade": found[0].grade, "change": found[0].change}
    assert {key: got[key] for key in expected} == expected
    assert found[0].sentence and sentence.startswith(found[0].sentence[:20])


def test_a_rank_out_of_a_hundred_stays_a_rank_beside_the_score():
    (ranking,) = _rankings("Năm 2023, Chỉ số CCHC của xã Tân Phong xếp thứ 7/100 đơn vị, đạt 81,5 điểm.")
    assert (ranking.rank, ranking.of, ranking.score) == (7, 100, 81.5)


def test_a_rank_written_as_a_word():
    (first, second) = _rankings("Kết quả Chỉ số CCHC năm 2023: xã Tân Phong đạt 91,25 điểm, xếp thứ nhất; "
                                "xã An Lạc đạt 89,10 điểm, đứng thứ ba.")
    assert (first.unit, first.rank, first.score) == ("xã Tân Phong", 1, 91.25)
    assert (second.unit, second.rank, second.score) == ("xã An Lạc", 3, 89.1)


def test_two_indices_in_one_sentence_are_two_rankings():
    found = _rankings("Theo kết quả công bố, Chỉ số SIPAS năm 2023 của xã An Lạc đạt 88,5%, Chỉ số CCHC "
                      "đạt 86,2 điểm, xếp thứ 4/19 xã, thị trấn.")
    assert [(r.index, r.unit, r.rank, r.of, r.score) for r in found] == [
        ("SIPAS", "xã An Lạc", None, None, 88.5), ("CCHC", "xã An Lạc", 4, 19, 86.2)]
    assert all(r.sentence.startswith("Theo kết quả công bố") for r in found)  # provenance: the whole sentence
