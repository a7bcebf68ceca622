"""`extract.facts` never raises and always returns the contract's shape."""
from hypothesis import HealthCheck, given, settings, strategies as st

import extract
from extract.model import Context

VIETNAMESE = st.text(alphabet=st.sampled_from(list(
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợ"
    "ùúủũụừứửữựỳýỷỹỵ0123456789 .,;:-–/()%\n\"'")), max_size=400)
PHRASES = st.lists(st.sampled_from([
    "đồng chí", "Nguyễn Văn An", "- Chủ tịch UBND xã", "chủ trì", "Chiều ngày 22/3/2024,", "Kế hoạch số 84/KH-UBND",
    "xếp thứ 3/10", "đạt 85,5 điểm", "xã Tân Phú", "huyện", "Sáng 19-7", "và", ",", "UBND", "đồng chủ trì", "ÔNG",
    "dưới sự chủ trì của", "Tham dự có", "bà Lê Thị", "Huyện ủy", "29/02", "năm 2023", ".", "\n"]), max_size=40)


def _assert_shape(facts):
    data = facts.to_dict()
    assert set(data) == {"events", "officials", "units", "rankings", "documents", "periods"}
    for e in data["events"]:
        assert e["kind"] in {"meeting", "conference", "campaign", "inspection", "other"}
        assert isinstance(e["chairs"], list) and isinstance(e["sentence"], str)
    for o in data["officials"]:
        assert o["name"] and isinstance(o["titles"], list) and o["roles"]
    for d in data["documents"]:
        assert d["number"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=600))
def test_any_unicode(text):
    _assert_shape(extract.facts(text))


@settings(max_examples=150, deadline=None)
@given(VIETNAMESE)
def test_vietnamese_letters(text):
    _assert_shape(extract.facts(text, Context(site_unit="xã Tân Phú")))


@settings(max_examples=200, deadline=None)
@given(PHRASES)
def test_bulletin_phrases_in_any_order(parts):
    text = " ".join(parts)
    _assert_shape(extract.facts(text))
    _assert_shape(extract.facts(text.upper()))


def test_edge_inputs():
    for text in ["", " ", "\x00\x01\x02", "A" * 200_000, "đ" * 5000, "\n" * 1000]:
        _assert_shape(extract.facts(text))
