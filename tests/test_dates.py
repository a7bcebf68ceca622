"""The Vietnamese date grammar, including the lines dateparser misses."""
from datetime import date, datetime

import pytest

from extract.dates import VN_TZ, event_dates, find_published, parse_datetime_line


@pytest.mark.parametrize("line, expected", [
    ("Thứ hai - 18/03/2024 03:41", datetime(2024, 3, 18, 3, 41, tzinfo=VN_TZ)),
    ("Thứ 7, 13/04/2024 | 21:53:07 [GMT +7]", datetime(2024, 4, 13, 21, 53, 7, tzinfo=VN_TZ)),
    ("Thứ Bảy, 25/05/2024 02:47 (GMT +7)", datetime(2024, 5, 25, 2, 47, tzinfo=VN_TZ)),
    ("15:22 27/12/2024", datetime(2024, 12, 27, 15, 22, tzinfo=VN_TZ)),
    ("Đăng lúc: 08:47:03 13/08/2015", datetime(2015, 8, 13, 8, 47, 3, tzinfo=VN_TZ)),
    ("Thu hai - 18/03/2024 03:41", datetime(2024, 3, 18, 3, 41, tzinfo=VN_TZ)),
])
def test_publication_lines(line, expected):
    assert parse_datetime_line(line) == expected
    assert parse_datetime_line(line).isoformat().endswith("+07:00")


@pytest.mark.parametrize("line", ["31/02/2024 10:00", "84/KH-UBND", "đạt 80%", "", "giai đoạn 2021-2025", "3 tháng"])
def test_non_dates_and_impossible_dates(line):
    assert parse_datetime_line(line) is None


def test_time_line_beats_header_date():
    lines = ["Thứ sáu, 19/07/2024", "Đăng lúc: 15:10:22 19/07/2024"]
    assert find_published(lines) == (datetime(2024, 7, 19, 15, 10, 22, tzinfo=VN_TZ), 1)


def test_event_dates_take_year_from_publication_and_never_the_future():
    assert [d for d, *_ in event_dates("Sáng 19-7, đoàn kiểm tra làm việc", date(2024, 7, 20))] == [date(2024, 7, 19)]
    assert [d for d, *_ in event_dates("Chiều 28-12, UBND xã họp", date(2024, 1, 3))] == [date(2023, 12, 28)]
    assert event_dates("Sáng 19-7, đoàn kiểm tra", None) == []


def test_event_dates_skip_document_dates_percentages_and_counts():
    sentence = "Ngày 15/3/2024, Chủ tịch ký Kế hoạch số 84/KH-UBND ngày 16/3/2024, đạt 80%, 3 tháng đầu năm"
    assert [d for d, *_ in event_dates(sentence)] == [date(2024, 3, 15)]


@pytest.mark.parametrize("sentence, expected", [
    ("Chiều ngày 22/3/2024, UBND xã họp", date(2024, 3, 22)),
    ("sáng ngày 12 tháng 10 năm 2023 tổ chức", date(2023, 10, 12)),
    ("Chieu ngay 12/6/2024, UBND xa hop", date(2024, 6, 12)),
])
def test_event_date_forms(sentence, expected):
    assert event_dates(sentence)[0][0] == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Sáng nay (30/9), UBND xã họp Ban Chỉ đạo", [date(2024, 9, 30)]),
    ("Chiều nay ( 1-10 ), huyện tổ chức hội nghị", [date(2023, 10, 1)]),  # never after publication
    ("Trong 2 ngày 26 và 27/9/2024, đoàn kiểm tra làm việc tại xã", [date(2024, 9, 26)]),
    ("Từ ngày 23 - 25/9/2024, huyện tổ chức lớp tập huấn", [date(2024, 9, 23)]),
    ("Từ ngày 23 đến ngày 25/9/2024, huyện tổ chức lớp tập huấn", [date(2024, 9, 23)]),
])
def test_news_style_today_and_events_over_days(sentence, expected):
    assert [d for d, *_ in event_dates(sentence, date(2024, 9, 30))] == expected


@pytest.mark.parametrize("text, expected", [
    ("9 tháng đầu năm 2023", [("months", date(2023, 1, 1), date(2023, 9, 30))]),
    ("nhiệm vụ 3 tháng cuối năm", [("months", date(2024, 10, 1), date(2024, 12, 31))]),
    ("quý III/2024", [("quarter", date(2024, 7, 1), date(2024, 9, 30))]),
    ("giai đoạn 2021-2025", [("range", date(2021, 1, 1), date(2025, 12, 31))]),
    ("năm 2024", [("year", date(2024, 1, 1), date(2024, 12, 31))]),
    ("đạt 80%, 1.236 hồ sơ, 84/KH-UBND", []),
])
def test_periods(text, expected):
    from extract.dates import periods

    assert [p[:3] for p in periods(text, date(2024, 5, 1))] == expected


def test_periods_are_not_event_dates():
    assert event_dates("Trong quý III/2024 và 9 tháng đầu năm 2023, giai đoạn 2021-2025", date(2024, 10, 1)) == []


@pytest.mark.parametrize("line, expected", [
    ("2024-03-18 10:30", datetime(2024, 3, 18, 10, 30, tzinfo=VN_TZ)),
    ("March 18, 2024", datetime(2024, 3, 18, 0, 0, tzinfo=VN_TZ)),
])
def test_forms_outside_the_grammar_fall_back_to_dateparser(line, expected):
    assert parse_datetime_line(line) == expected


@pytest.mark.parametrize("line", ["Lượt xem: 2024", "đạt 80% năm 2024", "Kế hoạch 84/KH-UBND năm 2024", "quý III/2024"])
def test_fallback_never_reads_counts_percentages_or_periods(line):
    assert parse_datetime_line(line) is None
