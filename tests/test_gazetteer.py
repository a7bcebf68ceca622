"""The gazetteer: codes, parents, successors, folding and in-article disambiguation."""
from __future__ import annotations

import time

import pytest

from extract import gazetteer as gz
from extract.gazetteer import ancestors, fold_name, get, lookup, parent, resolve, successors


def only(name: str, level: str | None = None, era: str = "pre2025") -> gz.Unit:
    units = lookup(name, level, era)
    assert len(units) == 1, [u.code for u in units]
    return units[0]


def codes(units) -> list[str]:
    return [u.code for u in units]


def test_tan_thang_under_ham_tan_becomes_son_my_in_lam_dong():
    unit = get("23254")
    assert (unit.level, unit.name, unit.full_name) == ("xã", "Tân Thắng", "xã Tân Thắng")
    assert codes(ancestors(unit)) == ["601", "60"]
    assert (parent(unit).full_name, get("60").full_name) == ("huyện Hàm Tân", "tỉnh Bình Thuận")
    assert unit.province_code == "60" and not unit.abolished
    [new] = successors(unit)
    assert (new.era, new.code, new.full_name) == ("post2025", "23266", "xã Sơn Mỹ")
    assert get(new.parent_code, "post2025").full_name == "tỉnh Lâm Đồng"
    assert only("Hàm Tân", "huyện").code == "601"


def test_mang_to_becomes_bac_ruong():
    unit = only("Măng Tố", "xã")
    assert (unit.code, unit.parent_code) == ("23167", "599")
    assert parent(unit).full_name == "huyện Tánh Linh"
    assert codes(successors(unit)) == ["23152"]
    assert successors(unit)[0].full_name == "xã Bắc Ruộng"


def test_district_level_cities_keep_their_province_parent():
    sa_dec = only("Sa Đéc", "thành phố")
    assert (sa_dec.code, sa_dec.parent_code, parent(sa_dec).full_name) == ("867", "87", "tỉnh Đồng Tháp")
    tan_an = only("Tân An", "thành phố")
    assert (tan_an.code, parent(tan_an).full_name) == ("794", "tỉnh Long An")
    assert only("Hớn Quản", "huyện").code == "694" and get("694").parent_code == "70"
    hcm = only("Hồ Chí Minh", "thành phố")
    assert (hcm.code, hcm.parent_code) == ("79", None)
    assert only("Sa Đéc", "tp.").code == only("TP. Sa Đéc").code == "867"


def test_phuong_3_of_sa_dec():
    unit = get("29902")
    assert (unit.full_name, unit.parent_code) == ("phường 3", "867")
    assert successors(unit)[0].full_name == "phường Sa Đéc" and unit.successors[0] == "29905"


def test_an_phu_under_hon_quan_becomes_minh_duc():
    unit = get("25339")
    assert (unit.full_name, unit.parent_code) == ("xã An Phú", "694")
    [new] = successors(unit)
    assert (new.code, new.full_name) == ("25349", "xã Minh Đức")
    assert get(new.parent_code, "post2025").full_name == "tỉnh Đồng Nai"


def test_xa_an_phu_is_ambiguous_alone():
    assert len(lookup("An Phú", "xã")) >= 8
    [res] = resolve([("xã", "An Phú")])
    assert res.ambiguous and res.unit is None and res.how == "ambiguous" and len(res.candidates) >= 8
    assert len(lookup("Phường 1")) >= 30


@pytest.mark.parametrize("a, b", [("Hoà", "Hòa"), ("Thuỷ", "Thủy"), ("Qui Nhơn", "Quy Nhơn"), ("Phường 03", "phường 3"),
                                  ("P3", "p.3"), ("Lí Sơn", "Lý Sơn"), ("Đắk Lắk", "Dak Lak"),
                                  (" Tân  Thắng ", "TÂN THẮNG"), ("Ea H'leo", "Ea Hleo")])
def test_fold_variants(a, b):
    assert fold_name(a) == fold_name(b)


def test_fold_keeps_numbers_apart():
    assert fold_name("Phường 03") == "phuong 3" and fold_name("Phường 13") != fold_name("Phường 3")
    assert fold_name("Hà Giang 1") != fold_name("Hà Giang 2")


def test_lookup_variants():
    assert codes(lookup("Hoà An", "huyện")) == codes(lookup("Hòa An", "huyện")) == ["051"]
    assert only("Phuoc Vinh Tay", "xa").full_name == "xã Phước Vĩnh Tây"
    assert codes(lookup("Tan Thang", "xa")) == codes(lookup("Tân Thắng", "xã")) == ["17224", "23254"]
    assert "29902" in codes(lookup("03", "phường")) and "29902" in codes(lookup("P.3"))
    assert only("Quy Nhơn", "tp").code == only("Qui Nhơn", "TP").code
    assert "31327" in codes(lookup("Phường V"))  # Vị Thanh numbers its wards in Roman numerals
    assert only("Thừa Thiên Huế").code == "46"  # a former name
    assert only("Mộc Châu", "huyện").full_name == "thị xã Mộc Châu"  # re-graded since
    assert lookup("Không Có Xã Này", "xã") == []


def test_diacritics_narrow_when_given():
    with_marks = lookup("Tân Thạnh", "xã")
    without = lookup("Tan Thanh", "xã")
    assert with_marks and len(with_marks) < len(without)
    assert all(u.name == "Tân Thạnh" for u in with_marks)


def test_level_words_and_abbreviations():
    for level in ("thành phố", "tp", "tp.", "TP", "Thành phố"):
        assert codes(lookup("Sa Đéc", level)) == ["867"]
    assert codes(lookup("Bình Long", "tx")) == codes(lookup("Bình Long", "thị xã"))
    with pytest.raises(ValueError):
        lookup("Sa Đéc", "làng")


def test_eras_are_separate():
    assert get("82").name == "Tiền Giang" and get("82", "post2025").name == "Đồng Tháp"
    assert only("Đồng Tháp", "tỉnh").code == "87"
    assert only("Đồng Tháp", "tỉnh", "post2025").code == "82"
    assert lookup("Tiền Giang", "tỉnh", "post2025") == []
    assert codes(successors(get("82"))) == ["82"] and codes(successors(get("87"))) == ["82"]
    assert only("Sa Đéc", "phường", "post2025").code == "29905"
    assert len([u for u in lookup("Côn Đảo", None, "post2025") if u.level == "đặc khu"]) == 1


def test_abolished_units_are_flagged():
    gone = get("483")  # huyện Nam Đông, merged away before 2025
    assert gone.abolished and gone.full_name == "huyện Nam Đông" and gone.successors == ()
    assert not get("23254").abolished


@pytest.mark.parametrize("mentions, wanted", [
    ([("xã", "Tân Thắng"), ("huyện", "Hàm Tân")], {"Tân Thắng": "23254", "Hàm Tân": "601"}),
    ([("xã", "An Phú"), ("huyện", "Hớn Quản")], {"An Phú": "25339", "Hớn Quản": "694"}),
    ([("Phường", "03"), ("TP.", "Sa Đéc")], {"03": "29902", "Sa Đéc": "867"}),
    ([("xã", "Măng Tố"), ("tỉnh", "Bình Thuận")], {"Măng Tố": "23167", "Bình Thuận": "60"}),
])
def test_resolve_with_parent_in_article(mentions, wanted):
    for res in resolve(mentions):
        assert res.unit is not None and res.unit.code == wanted[res.mention[1]], res
        assert not res.ambiguous and res.how in ("unique", "parent-in-article")


def test_resolve_jointly_narrows_an_ambiguous_parent():
    res = resolve([("xã", "An Phú"), ("huyện", "Hớn Quản"), ("phường", "3"), ("thành phố", "Sa Đéc")])
    assert [r.unit.code for r in res] == ["25339", "694", "29902", "867"]
    assert res[0].how == "parent-in-article"


def test_resolve_with_site_context():
    [res] = resolve([("xã", "An Phú")], site_province="tỉnh Bình Phước")
    assert (res.unit.code, res.how) == ("25339", "site-province")
    [res] = resolve([("xã", "Tân Thắng")], site_unit="huyện Hàm Tân")
    assert (res.unit.code, res.how) == ("23254", "site-unit")
    [res] = resolve([("xã", "Diên Phú")], site_unit="xã Diên Lạc")  # a neighbour in the same huyện
    assert (parent(res.unit).full_name, res.how) == ("huyện Diên Khánh", "site-unit")


def test_resolve_ambiguous_and_not_found():
    res = resolve([("xã", "An Phú"), ("huyện", "Châu Thành"), ("xã", "Không Có")])
    assert res[0].ambiguous and res[0].unit is None and len(res[0].candidates) > 1
    assert res[1].ambiguous and res[1].how == "ambiguous"
    assert (res[2].unit, res[2].candidates, res[2].how, res[2].ambiguous) == (None, (), "not-found", False)


def test_resolve_keeps_one_result_per_mention():
    mentions = [("xã", "Tân Thắng"), ("huyện", "Hàm Tân"), ("xã", "Tân Thắng")]
    res = resolve(mentions)
    assert [r.mention for r in res] == mentions and res[0].unit == res[2].unit


@pytest.mark.parametrize("mentions, province", [
    ([("huyện", "Bù Đăng"), ("xã", "Đức Liễu"), ("xã", "Đường 10"), ("thị trấn", "Đức Phong")], "tỉnh Bình Phước"),
    ([("xã", "Diên Lạc"), ("huyện", "Diên Khánh")], "tỉnh Khánh Hòa"),
    ([("thành phố", "Vị Thanh"), ("xã", "Hỏa Lựu")], "tỉnh Hậu Giang"),
    ([("huyện", "Cam Lộ"), ("xã", "Cam Thành")], "tỉnh Quảng Trị"),
    ([("huyện", "Long Hồ"), ("thị trấn", "Long Hồ"), ("xã", "Lộc Hòa")], "tỉnh Vĩnh Long"),
])
def test_fixture_units_resolve_with_their_parent(mentions, province):
    res = resolve(mentions + [tuple(province.split(" ", 1))])
    assert all(r.unit is not None for r in res), [(r.mention, r.how, len(r.candidates)) for r in res]
    units = [r.unit for r in res]
    assert {get(u.province_code).full_name for u in units} == {province}
    districts = {u.code for u in units if u.level in gz.DISTRICT_LEVELS and u.parent_code}
    assert len(districts) == 1
    assert all(u.parent_code in districts for u in units if u.level in gz.COMMUNE_LEVELS)


def test_fixture_units_resolve_from_the_site_alone():
    [res] = resolve([("xã", "Đức Liễu")], site_unit="huyện Bù Đăng")
    assert parent(res.unit).full_name == "huyện Bù Đăng"
    [res] = resolve([("thị trấn", "Long Hồ")], site_unit="huyện Long Hồ")
    assert res.unit.code == "29602" and not res.unit.abolished


def test_data_shape():
    units, _, _ = gz._data()
    pre = [u for (era, _), u in units.items() if era == "pre2025" and not u.abolished]
    post = [u for (era, _), u in units.items() if era == "post2025"]
    assert sum(u.parent_code is None for u in pre) == 63 and sum(u.parent_code is None for u in post) == 34
    assert sum(u.level in gz.DISTRICT_LEVELS and u.parent_code is not None for u in pre) == 696
    assert sum(u.level in gz.COMMUNE_LEVELS for u in pre) == 10035 and len(post) == 34 + 3321
    assert all(u.successors for u in pre) and all(get(c, "post2025") for u in pre for c in u.successors)
    assert all(u.name == u.name.strip() and not u.name.startswith("0") for u in units.values())


def test_lookup_is_fast_after_loading():
    gz._data()
    start = time.perf_counter()
    for _ in range(1000):
        lookup("Tân Thắng", "xã")
    assert time.perf_counter() - start < 0.1


def test_first_load_is_quick():
    gz._data.cache_clear()
    start = time.perf_counter()
    gz._data()
    assert time.perf_counter() - start < 0.5
