"""Full-text search over articles, with or without diacritics, safe for any string a user types.

`articles_fts` holds the FOLDED title and text (extract.text.fold: lower case, no diacritics,
đ→d, same length as the original): FTS5's own `remove_diacritics` leaves đ alone, so "dong chi"
would miss "đồng chí". Because fold keeps length, a match found in the folded text sits at the
same offsets in the original, which is how snippets show the source's own words.

User strings never reach MATCH raw: quotes, hyphens, AND/OR/NEAR, parentheses or NUL bytes all
break FTS5's query syntax, so each word is quoted and the words are ANDed.
"""
from __future__ import annotations

import re
from datetime import date
from itertools import chain

import sqlite_utils

from extract.text import fold, nfc

TITLE_WEIGHT = 10.0  # bm25 weight of a title hit relative to a text hit (units: 0, a filter only)
NEWEST_MATCHES = 1000  # how many of the newest matches search() ranks
SNIPPET_CHARS = 200  # about how much of the original text a snippet shows
SNIPPET_LEAD = 60  # how much of it comes before the first match

_WORD = re.compile(r"[^\W_]+")  # letters and digits: what FTS5's unicode61 tokenizer keeps
_PHRASE = re.compile(r'"([^"]*)"')
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# --- the index ---------------------------------------------------------------------------

def index_article(db: sqlite_utils.Database, article_id: int, title: str | None, text: str | None) -> None:
    """(Re)index one article. Commits nothing: call it in the transaction that saves the article."""
    remove_article(db, article_id)
    db.conn.execute("INSERT INTO articles_fts (rowid, title, text, units) VALUES (?, ?, ?, ?)",
                    (article_id, fold(title or ""), fold(text or ""), fold(_units(db, article_id))))


def _units(db: sqlite_utils.Database, article_id: int) -> str:
    """The site's unit and the units the article names, a line each: what `search(unit=…)` matches."""
    rows = db.conn.execute("""SELECT s.unit FROM articles a JOIN sites s ON s.id = a.site_id WHERE a.id = ?
                              UNION ALL SELECT name FROM article_units WHERE article_id = ?""",
                           (article_id, article_id)).fetchall()
    return "\n".join(unit for (unit,) in rows if unit)


def remove_article(db: sqlite_utils.Database, article_id: int) -> None:
    db.conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))


def rebuild(db: sqlite_utils.Database) -> int:
    """Re-index every article from scratch (drops rows of deleted articles); commits; returns the count.

    Needs the `bantin_fold` SQL function that db.connect registers.
    """
    with db.conn:
        db.execute("DELETE FROM articles_fts")
        db.execute("""INSERT INTO articles_fts (rowid, title, text, units)
                      SELECT a.id, bantin_fold(coalesce(a.title, '')), bantin_fold(coalesce(a.text, '')),
                             bantin_fold(coalesce((SELECT unit FROM sites WHERE id = a.site_id), '') || char(10) ||
                                 coalesce((SELECT group_concat(name, char(10)) FROM article_units
                                           WHERE article_id = a.id), ''))
                      FROM articles a""")
        db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
    return db.execute("SELECT count(*) FROM articles_fts").fetchone()[0]


# --- the query ---------------------------------------------------------------------------

def query_terms(user_text: str | None) -> list[tuple[str, ...]]:
    """The folded words of a user string, in order, without repeats; a "quoted phrase" is one term."""
    folded = fold(nfc(user_text or ""))
    terms: list[tuple[str, ...]] = []
    last = 0
    for phrase in _PHRASE.finditer(folded):
        terms += [(word,) for word in _WORD.findall(folded[last:phrase.start()])]
        words = tuple(_WORD.findall(phrase.group(1)))
        if words:
            terms.append(words)
        last = phrase.end()
    terms += [(word,) for word in _WORD.findall(folded[last:])]
    return list(dict.fromkeys(terms))


def match_expression(user_text: str | None) -> str | None:
    """A safe FTS5 expression: every term quoted, all terms ANDed; None when there is no word."""
    return _expression(query_terms(user_text))


def _expression(terms: list[tuple[str, ...]]) -> str | None:
    return " AND ".join(_quote(" ".join(term)) for term in terms) or None


def _quote(words: str) -> str:
    return '"' + words.replace('"', '""') + '"'


# --- searching ---------------------------------------------------------------------------

def search(db: sqlite_utils.Database, text: str | None, unit: str | None = None,
           since: str | date | None = None, until: str | date | None = None,
           limit: int = 20, offset: int = 0) -> list[dict]:
    """The best of the newest matches: articles matching every word of `text`, the NEWEST_MATCHES
    most recently stored of them (highest ids) ranked by bm25 (title hits weigh more).

    Why not rank every match: FTS5 reads the newest matches off its index and stops, while
    bm25 over all of them grows with the database (0.6-2.2 s at a million articles). So a
    common query ranks the best of its 1,000 newest matches, and paging ends there; a rare
    one (fewer matches than that) is ranked whole, as before.

    `rank` is FTS5's bm25 score: lower is better. `unit` keeps articles whose site unit or one of
    whose named units contains its words in that order (diacritics ignored; the last word may be
    the start of a word); since/until bound the publication day, inclusive. Raises ValueError
    only for a date that is not YYYY-MM-DD.
    """
    since, until = _day(since, "since"), _day(until, "until")
    terms = query_terms(text)
    expression = _expression(terms)
    limit, offset = max(0, int(limit)), max(0, int(offset))
    if expression is None or limit == 0:
        return []
    match = "{title text} : (" + expression + ")"
    if unit is not None and unit.strip():
        words = _WORD.findall(fold(nfc(unit)))
        if not words:
            return []
        match += " AND units : " + _quote(" ".join(words)) + " *"
    ranked = sorted(_newest_matches(db, match, since, until), key=lambda row: (row[1], row[0]))
    page = ranked[offset:offset + limit]
    if not page:
        return []
    articles = {row[0]: row for row in db.execute(
        f"SELECT id, title, url, site_id, published, text FROM articles WHERE id IN ({', '.join('?' * len(page))})",
        [article_id for article_id, _ in page]).fetchall()}
    pattern = _terms_pattern(terms)
    return [_result(articles[article_id], score, pattern) for article_id, score in page if article_id in articles]


def _newest_matches(db: sqlite_utils.Database, match: str, since: str | None, until: str | None) -> list[tuple]:
    """(article id, bm25) of the NEWEST_MATCHES highest-id matches that pass the date filters."""
    sql = f"SELECT articles_fts.rowid, bm25(articles_fts, {TITLE_WEIGHT}, 1.0, 0.0) FROM articles_fts"
    params: list = [match]
    where = " WHERE articles_fts MATCH ?"
    if since or until:
        sql += " JOIN articles a ON a.id = articles_fts.rowid"
        for bound, op in ((since, ">="), (until, "<=")):
            if bound:
                where += f" AND substr(a.published, 1, 10) {op} ?"
                params.append(bound)
    return db.execute(sql + where + " ORDER BY articles_fts.rowid DESC LIMIT ?", [*params, NEWEST_MATCHES]).fetchall()


def _day(value: str | date | None, name: str) -> str | None:
    """A YYYY-MM-DD day, checked, so a typo is an error rather than a silently empty result."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    if _DAY.fullmatch(str(value)):
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            pass
    raise ValueError(f"{name} must be a date written YYYY-MM-DD, e.g. 2024-04-05; got {value!r}")


def _result(row: tuple, score: float, pattern: re.Pattern) -> dict:
    article_id, title, url, site_id, published, text = row
    return {"id": article_id, "title": title, "url": url, "site_id": site_id, "published": published,
            "rank": score, "snippet": snippet(text or "", pattern)}


# --- snippets ----------------------------------------------------------------------------

def _terms_pattern(terms: list[tuple[str, ...]]) -> re.Pattern:
    """Whole words (a phrase: its words across any separators) in folded text; longest first."""
    alternatives = sorted((r"[\W_]+".join(map(re.escape, term)) for term in terms), key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")


def snippet(text: str, pattern: re.Pattern, width: int = SNIPPET_CHARS) -> str:
    """A window of the original text around the first match, matches wrapped in «…», on one line.

    With no match in the text (a title-only hit) it is the text's opening, nothing marked.
    """
    matches = pattern.finditer(fold(text))
    first = next(matches, None)
    if first is None:
        end = _word_end(text, width, 0)
        return _one_line(text[:end] + ("…" if end < len(text) else ""))
    start = _word_start(text, max(0, first.start() - SNIPPET_LEAD), first.start())
    end = _word_end(text, max(first.end(), start + width), first.end())
    pieces, shown = ["…" if start else ""], start
    for match in chain([first], matches):
        if match.start() >= end:
            break
        pieces += [text[shown:match.start()], "«", text[match.start():match.end()], "»"]
        shown, end = match.end(), max(end, match.end())
    pieces += [text[shown:end], "…" if end < len(text) else ""]
    return _one_line("".join(pieces))


def _word_start(text: str, at: int, limit: int) -> int:
    """The first word start in [at, limit] (the first match starts a word), so no word is cut."""
    while at < limit and at > 0 and not text[at - 1].isspace():
        at += 1
    return at


def _word_end(text: str, at: int, limit: int) -> int:
    """The last word end in [limit, at] (the first match ends a word), so no word is cut."""
    if at >= len(text):
        return len(text)
    while at > limit and not text[at].isspace():
        at -= 1
    return at


def _one_line(text: str) -> str:
    return " ".join(text.split())
