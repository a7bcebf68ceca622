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
import sqlite3
from datetime import date
from itertools import chain

import sqlite_utils

from extract.text import fold, nfc

NEWEST_MATCHES = 1000  # how many of the newest matches search() ranks and pages through
READ_TEXTS = 50  # up to this many of a window's matches have their texts read for the words together
SNIPPET_CHARS = 200  # about how much of the original text a snippet shows
SNIPPET_LEAD = 60  # how much of it comes before the first match

_WORD = re.compile(r"[^\W_]+")  # letters and digits: what FTS5's unicode61 tokenizer keeps
_PHRASE = re.compile(r'"([^"]*)"')
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# --- the index ---------------------------------------------------------------------------

UNIT_JOIN = "0"  # joins a unit's folded words into one token: a letter-and-digit run unicode61 keeps whole


def unit_tokens(units: str | None) -> str:
    """The folded unit names (a line each) followed by every run of two or more of each name's
    words joined into one token ("xa tra giang" also gives "xa0tra0giang tra0giang"). A unit
    filter of several words looks for one such token, which few articles hold, instead of a
    phrase of common syllables ("tra", "giang") that FTS5 must intersect across the index."""
    lines = [line for line in fold(units or "").split("\n") if line.strip()]
    runs = []
    for line in lines:
        words = _WORD.findall(line)
        runs += [UNIT_JOIN.join(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1)]
    return "\n".join(lines + ([" ".join(dict.fromkeys(runs))] if runs else []))


def index_article(db: sqlite_utils.Database, article_id: int, title: str | None, text: str | None,
                  units: list[str] | None = None, new: bool = False) -> None:
    """(Re)index one article. Commits nothing: call it in the transaction that saves the article.
    `units`: the site's unit and the units the article names, when the caller has them (else read);
    `new`: the article was just inserted, so it has no row to remove (a removal reads FTS5's copy)."""
    if not new:
        remove_article(db, article_id)
    db.conn.execute("INSERT INTO articles_fts (rowid, title, text, units) VALUES (?, ?, ?, ?)",
                    (article_id, fold(title or ""), fold(text or ""),
                     unit_tokens("\n".join(u for u in units if u) if units is not None else _units(db, article_id))))


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
                             bantin_unit_tokens(coalesce((SELECT unit FROM sites WHERE id = a.site_id), '') || char(10) ||
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
    """Articles holding every word of `text` in their title, their text or the names of their
    units (the site's unit and the units they name: an article of the Cát Hiệp portal is about
    Cát Hiệp even where it does not say so), best first: of the NEWEST_MATCHES most recently
    stored matches, those with the words together in the title (rank 1), then all the words in
    the title (2), then the words together in the text (3), then the rest (4); within a rank, the
    newest publication first.

    Why not bm25: FTS5's bm25() weighs each term by counting every row that holds it, so its
    cost grows with the database (0.2-0.5 s a query at a million articles). These ranks are
    read from the window of newest matches alone, a few FTS5 lookups bounded by that window.
    Why the unit names count: limiting the words to the title and text (a column filter) made
    FTS5 decode every position list it walked, 1.7 times the cost at a million articles.

    `unit` keeps articles whose site unit or one of whose named units contains its words in that
    order (diacritics ignored; the last word may be the start of a word); since/until bound the
    publication day, inclusive. Raises ValueError only for a date that is not YYYY-MM-DD.
    """
    since, until = _day(since, "since"), _day(until, "until")
    terms = query_terms(text)
    expression = _expression(terms)
    limit, offset = max(0, int(limit)), max(0, int(offset))
    if expression is None or limit == 0:
        return []
    unit_filter = ""
    if unit is not None and unit.strip():
        words = _WORD.findall(fold(nfc(unit)))
        if not words:
            return []
        together = UNIT_JOIN.join(words) if len(words) > 1 else words[0]
        unit_filter = " AND units : " + _quote(together) + " *"
    window = _newest_matches(db, "(" + expression + ")" + unit_filter, since, until)
    if not window:
        return []
    rows = _titles(db, window)
    published = {i: day for i, day, _ in rows}
    ranks = _ranks(db, terms, unit_filter, window, {i: title for i, _, title in rows})
    ordered = sorted(window, reverse=True)  # ties: the most recently stored first
    ordered.sort(key=lambda i: published.get(i) or "", reverse=True)  # newest publication first, undated last
    ordered.sort(key=lambda i: ranks[i])
    page = ordered[offset:offset + limit]
    if not page:
        return []
    articles = {row[0]: row for row in db.execute(
        f"SELECT id, title, url, site_id, published, text FROM articles WHERE id IN ({', '.join('?' * len(page))})",
        page).fetchall()}
    pattern = _terms_pattern(terms)
    return [_result(articles[i], ranks[i], pattern) for i in page if i in articles]


def _titles(db: sqlite_utils.Database, ids: list[int]) -> list[tuple]:
    """(id, published, title) of each id, from idx_articles_rank (schema 11) when the file has
    it: a read-only reader of an older file, which bantin does not upgrade, reads the rows."""
    marks = ", ".join("?" * len(ids))
    try:
        return db.execute(f"SELECT id, published, title FROM articles INDEXED BY idx_articles_rank "
                          f"WHERE id IN ({marks})", ids).fetchall()
    except sqlite3.OperationalError:
        return db.execute(f"SELECT id, published, title FROM articles WHERE id IN ({marks})", ids).fetchall()


def _newest_matches(db: sqlite_utils.Database, match: str, since: str | None, until: str | None) -> list[int]:
    """Ids of the NEWEST_MATCHES highest-id matches that pass the date filters, newest first."""
    sql = "SELECT articles_fts.rowid FROM articles_fts"
    params: list = [match]
    where = " WHERE articles_fts MATCH ?"
    if since or until:
        sql += " JOIN articles a ON a.id = articles_fts.rowid"
        for bound, op in ((since, ">="), (until, "<=")):
            if bound:
                where += f" AND substr(a.published, 1, 10) {op} ?"
                params.append(bound)
    sql += where + " ORDER BY articles_fts.rowid DESC LIMIT ?"
    return [i for (i,) in db.execute(sql, [*params, NEWEST_MATCHES]).fetchall()]


def _ranks(db: sqlite_utils.Database, terms: list[tuple[str, ...]], unit_filter: str, window: list[int],
           titles: dict[int, str | None]) -> dict[int, int]:
    """Each window id's rank (1-4, see search). Titles are short, so they are checked here; the
    words together in a text come from one FTS5 phrase lookup limited to the window's ids."""
    words = [word for term in terms for word in term]
    every_term = [_terms_pattern([term]) for term in terms]
    together = _terms_pattern([tuple(words)])
    ranks = {}
    for i in window:
        title = fold(titles.get(i) or "")
        ranks[i] = 1 if together.search(title) else 2 if all(p.search(title) for p in every_term) else 4
    if len(words) == 1:
        return {i: 3 if rank == 4 else rank for i, rank in ranks.items()}  # one word is always together
    rest = [i for i, rank in ranks.items() if rank == 4]
    if not rest:
        return ranks
    if len(rest) <= READ_TEXTS:  # few: their texts, read by id, say it (a phrase lookup would walk the index)
        marks = ", ".join("?" * len(rest))
        found = [(i,) for i, text in db.execute(f"SELECT id, text FROM articles WHERE id IN ({marks})", rest)
                 if together.search(fold(text or ""))]
    else:  # many newest matches lie close together: one phrase lookup over their ids
        found = db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= ?",
                           ["{title text} : " + _quote(" ".join(words)) + unit_filter, min(rest)]).fetchall()
    ranks.update({i: 3 for (i,) in found if ranks.get(i) == 4})
    return ranks


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


def _result(row: tuple, rank: int, pattern: re.Pattern) -> dict:
    article_id, title, url, site_id, published, text = row
    return {"id": article_id, "title": title, "url": url, "site_id": site_id, "published": published,
            "rank": rank, "snippet": snippet(text or "", pattern)}


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
