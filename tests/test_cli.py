"""Each command's help, its happy path without the network, and bad input with a clear error."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bantin.cli import main
from conftest import FIXTURES

COMMANDS = ["demo", "crawl", "extract", "reextract", "who-chaired", "health", "runs"]
ARTICLE = FIXTURES / "articles" / "01_xa_thien_loc_hop_bcd_cchc.txt"


def invoke(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage: main " + command in result.output or f"Usage: bantin {command}" in result.output
    assert len(result.output.splitlines()) > 4


def test_extract_text_human_output():
    result = invoke("extract", str(ARTICLE))
    assert result.exit_code == 0, result.output
    assert "event:     meeting 2024-04-08" in result.output
    assert "chair: Trần Đình Khôi" in result.output


def test_extract_html_json(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("""<html><head><meta charset="utf-8"><title>x</title></head><body>
      <div class="menu"><a href="/">Trang chủ</a></div>
      <h1 class="title">UBND xã Phú Lâm họp giao ban</h1><span class="h5">Thứ hai - 18/03/2024 03:41</span>
      <div id="news-bodyhtml" class="bodytext"><p>Sáng ngày 15/3/2024, UBND xã Phú Lâm tổ chức họp giao ban
      do ông Lê Văn Hùng - Chủ tịch UBND xã chủ trì.</p></div>
      <div class="footer">Thống kê truy cập Đang truy cập 12</div></body></html>""", encoding="utf-8")
    result = invoke("extract", str(page), "--json", "--url", "http://example.invalid/a-1.html")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["url"] == "http://example.invalid/a-1.html"
    assert data["published"] == "2024-03-18T03:41:00+07:00"
    assert data["events"][0]["chairs"] == ["Lê Văn Hùng"] and data["events"][0]["date"] == "2024-03-15"
    assert "Thống kê" not in data["text"] and "Trang chủ" not in data["text"]


def test_extract_missing_file(tmp_path):
    result = invoke("extract", str(tmp_path / "nope.html"))
    assert result.exit_code == 2 and "does not exist" in result.output


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    ("Tiêu đề\nNội dung".encode("cp1258", errors="replace") + b"\xff\xfe\xfd", "not UTF-8 text"),
])
def test_extract_bad_files(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = invoke("extract", str(path))
    assert result.exit_code == 1 and message in result.output


def test_extract_html_without_article(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><script>var x=1;</script></body></html>")
    result = invoke("extract", str(path))
    assert result.exit_code == 1 and "no article text found" in result.output


def test_who_chaired_without_database(tmp_path):
    result = invoke("who-chaired", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "no database" in result.output


def test_who_chaired_bad_date(tmp_path):
    result = invoke("who-chaired", "--since", "22/3/2024", "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_crawl_unknown_site_id(tmp_path):
    result = invoke("crawl", "--site", "no-such-site", "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 1 and "unknown site id(s): no-such-site" in result.output
    assert not (tmp_path / "x.db").exists()


def test_crawl_missing_registry(tmp_path):
    result = invoke("crawl", "--registry", str(tmp_path / "none.toml"))
    assert result.exit_code == 1 and "registry file not found" in result.output


def test_crawl_broken_registry(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[[site]]\nid = "a"\nname = "A"\nplatform = "generic"\nstart_urls = ["ftp://x/"]\n')
    result = invoke("crawl", "--registry", str(path))
    assert result.exit_code == 1 and "is not http(s)" in result.output


def test_reextract_without_database(tmp_path):
    result = invoke("reextract", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "no database" in result.output


def test_demo_without_portals(tmp_path):
    result = invoke("demo", "--portals", str(tmp_path), "--db", str(tmp_path / "d.db"))
    assert result.exit_code == 1 and "no demo portals" in result.output
