"""The crawl's memory in the database: which articles are known, which may stop paging, and
which validators a list page is asked with."""
from __future__ import annotations

from db import connect, crawlstate, runs
from db.store import RawPage, save_page

URL = "http://xa.gov.vn/tin-tuc/hop-ban-chi-dao-1240.html"
LIST = "http://xa.gov.vn/tin-tuc/"


def _fetch(db, run_id: int, url: str, kind: str, headers: dict[str, str]) -> None:
    with db.conn:
        save_page(db, RawPage(url, url, "xa", kind, 200, headers, b"<html></html>", runs.now()), run_id)


def test_only_a_finished_run_settles_what_it_stored(tmp_path):
    db = connect(tmp_path / "state.db")
    db.execute("INSERT INTO sites (id) VALUES ('xa')")
    run_id = runs.start_run(db, ["xa"])
    _fetch(db, run_id, URL, "article", {})
    _fetch(db, run_id, LIST, "list", {"ETag": '"v1"', "Last-Modified": "Tue, 12 Mar 2024 01:00:00 GMT"})
    assert crawlstate.known_article(db, URL)  # never fetched twice, even within the run
    assert crawlstate.known_article(db, "http://xa.gov.vn/print/hop-ban-chi-dao-1240.html") is False  # no article row yet
    assert not crawlstate.known_article(db, URL, settled=True)  # but it cannot stop paging: the run may be killed
    assert crawlstate.validators(db, LIST) == {}
    runs.finish_run(db, run_id)
    assert crawlstate.known_article(db, URL, settled=True)
    assert crawlstate.validators(db, LIST) == {"If-None-Match": '"v1"',
                                               "If-Modified-Since": "Tue, 12 Mar 2024 01:00:00 GMT"}
    assert not crawlstate.known_article(db, "http://xa.gov.vn/tin-tuc/bai-khac-1241.html", settled=True)
