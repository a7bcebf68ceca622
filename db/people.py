"""People: the one person behind many articles' mentions of a name.

Each `officials` row is one article's mention. A mention joins a person already holding a
mention of the same folded name when their units are compatible; otherwise it starts a new
person. `person_mentions.rule` records the reason for every link, so a journalist can see why
two articles were taken to be the same person and undo it:

- `new`: nobody of that name yet; `new-other-unit`: namesakes exist, all in units that cannot
  be theirs (different units, neither inside the other); `new-ambiguous`: several namesakes fit
  equally well, so none is chosen.
- `same-name-same-unit`: a unit equal to one of the person's (same gazetteer code, or the same
  name when the gazetteer cannot tell);
- `same-name-unit-within`: one unit lies inside the other (a xã of the huyện, a huyện of the tỉnh);
- `same-name-no-unit`: the mention or the person has no unit at all;
- `same-name-same-title`: the units cannot be compared (unknown to the gazetteer) or one is
  missing, and they share a title;
- `split: <reason>`, `merged: <reason>`: a journalist's decision (`split_mention`, `merge_people`).

When several people fit, the strongest rule wins (same unit, then within, then no unit on either
side, then a shared title, then one side without a unit), a shared title breaking ties.
Units are read as gazetteer codes in the context of their article (its `article_units` row, else
the gazetteer narrowed to the site's province), so "Phường 3" of two cities is two units.

Re-extraction: the writer reads `people_of_article` before `save_article` and passes it to
`resolve_article(also=…)`, so people the old text named are recomputed even when the new text
no longer names them (namesakes of the new text's officials are recomputed regardless).

Hand-made decisions stay put: `resolve_all` rebuilds only people nobody has edited, and a person
made by `split_mention` receives no automatic links (only `merge_people` adds to it), so a
rebuild cannot undo a split. Nothing here commits except the journalist's actions
(`split_mention`, `merge_people`) and `resolve_all`; `resolve_article` runs in the writer's
transaction.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import Iterable

import sqlite_utils

from extract import gazetteer
from extract.text import fold, nfc



def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")

MANUAL_PREFIXES = ("split: ", "merged: ")
_MANUAL_SQL = " OR ".join(f"substr(rule, 1, {len(p)}) = '{p}'" for p in MANUAL_PREFIXES)
_RANKS = {  # how strong each kind of fit is; the best fitting person wins
    "same-name-same-unit": 5, "same-name-unit-within": 4, "both-without-unit": 3, "unit-unknown-same-title": 2,
    "one-without-unit": 1,
}


@dataclass(frozen=True)
class Mention:
    """One officials row as resolution sees it."""
    official_id: int
    article_id: int
    name: str
    name_folded: str
    titles: tuple[str, ...]
    unit: str | None
    places: frozenset[str] | None  # gazetteer codes the unit may be; None: no unit; empty: unknown unit

    @property
    def folded_titles(self) -> set[str]:
        return {fold(t) for t in self.titles}


# ---------------------------------------------------------------- units as gazetteer codes

@lru_cache(maxsize=65536)
def _chain(code: str) -> frozenset[str]:
    """The unit's code and the codes of every unit above it."""
    unit = gazetteer.get(code)
    return frozenset([code] + [u.code for u in gazetteer.ancestors(unit)]) if unit else frozenset([code])


@lru_cache(maxsize=8192)
def _lookup(unit: str, province: str | None) -> frozenset[str]:
    """Codes a unit name may stand for, narrowed to the site's province when that leaves any."""
    found = gazetteer.lookup(unit)
    provinces = {u.code for u in gazetteer.lookup(province) if u.parent_code is None} if province else set()
    inside = [u for u in found if u.province_code in provinces]
    return frozenset(u.code for u in inside or found)


class _Places:
    """Reads each article's unit links once: a unit string means what its article linked it to."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.articles: dict[int, tuple[dict[str, frozenset[str]], str | None]] = {}

    def codes(self, article_id: int, unit: str | None) -> frozenset[str] | None:
        if not unit:
            return None
        linked, province = self._article(article_id)
        return linked.get(gazetteer.fold_name(unit)) or _lookup(unit, province)

    def _article(self, article_id: int) -> tuple[dict[str, frozenset[str]], str | None]:
        if article_id not in self.articles:
            linked = {}
            for name, code, candidates in self.db.execute(
                    "SELECT name, code, candidates FROM article_units WHERE article_id = ?", [article_id]):
                codes = [code] if code else json.loads(candidates) if candidates else []
                linked[gazetteer.fold_name(name)] = frozenset(codes)
            row = self.db.execute("SELECT s.province FROM articles a LEFT JOIN sites s ON s.id = a.site_id "
                                  "WHERE a.id = ?", [article_id]).fetchone()
            self.articles[article_id] = (linked, row[0] if row else None)
        return self.articles[article_id]


def _relation(a: Mention, b: Mention) -> str:
    """'same', 'within', 'different' or 'unknown' for two mentions that both name a unit."""
    if a.places and b.places:
        if a.places & b.places:
            return "same"
        if any(x in _chain(y) or y in _chain(x) for x in a.places for y in b.places):
            return "within"
        return "different"
    return "same" if gazetteer.fold_name(a.unit or "") == gazetteer.fold_name(b.unit or "") else "unknown"


# ---------------------------------------------------------------- deciding who a mention is

def judge(mention: Mention, theirs: list[Mention]) -> tuple[int, bool, str] | None:
    """How well a mention fits a person's mentions: (rank, shares a title, rule), None if it cannot be them."""
    shared_title = bool(mention.folded_titles & set().union(*(o.folded_titles for o in theirs)))
    placed = [o for o in theirs if o.unit]
    if not mention.unit or not placed:
        rank = _RANKS["both-without-unit" if not mention.unit and not placed else "one-without-unit"]
        return rank, shared_title, "same-name-same-title" if shared_title else "same-name-no-unit"
    relations = {_relation(mention, o) for o in placed}
    if "same" in relations:
        return _RANKS["same-name-same-unit"], shared_title, "same-name-same-unit"
    if "within" in relations:
        return _RANKS["same-name-unit-within"], shared_title, "same-name-unit-within"
    if "unknown" in relations and shared_title:
        return _RANKS["unit-unknown-same-title"], True, "same-name-same-title"
    return None


def decide(mention: Mention, candidates: dict[int, list[Mention]]) -> tuple[int | None, str]:
    """The person a mention is (None: a new one) and the rule that says so."""
    if not candidates:
        return None, "new"
    fits = {pid: verdict for pid, theirs in candidates.items() if (verdict := judge(mention, theirs))}
    if not fits:
        return None, "new-other-unit"
    best = max(verdict[:2] for verdict in fits.values())
    top = [pid for pid, verdict in fits.items() if verdict[:2] == best]
    if len(top) > 1:
        return None, "new-ambiguous"
    return top[0], fits[top[0]][2]


class _Resolver:
    """Links mentions to people, keeping the people of each name it has read in memory."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.places = _Places(db)
        self.people: dict[int, list[Mention]] = {}
        self.closed: set[int] = set()  # made by a split: no automatic links
        self.names: set[str] = set()

    def mentions(self, where: str, params: list) -> list[Mention]:
        sql = f"""SELECT o.id, o.article_id, o.name, o.name_folded, o.titles, o.unit
                  FROM officials o JOIN articles a ON a.id = o.article_id WHERE {where}
                  ORDER BY a.published IS NULL, a.published, o.article_id, o.id"""
        return [Mention(oid, aid, name, folded, tuple(json.loads(titles or "[]")), unit, self.places.codes(aid, unit))
                for oid, aid, name, folded, titles, unit in self.db.execute(sql, params).fetchall()]

    def link(self, mention: Mention) -> int:
        candidates = {pid: theirs for pid, theirs in self._namesakes(mention.name_folded).items()
                      if pid not in self.closed}
        person_id, rule = decide(mention, candidates)
        if person_id is None:
            person_id = _new_person(self.db, mention.name, mention.name_folded)
            self.people[person_id] = []
        self.db.execute("INSERT INTO person_mentions (official_id, person_id, rule, decided_at) VALUES (?, ?, ?, ?)",
                        [mention.official_id, person_id, rule, now()])
        self.people[person_id].append(mention)
        return person_id

    def _namesakes(self, name_folded: str) -> dict[int, list[Mention]]:
        if name_folded not in self.names:
            self.names.add(name_folded)
            for (pid,) in self.db.execute("""SELECT DISTINCT pm.person_id FROM officials o
                                             JOIN person_mentions pm ON pm.official_id = o.id
                                             WHERE o.name_folded = ?""", [name_folded]).fetchall():
                self._load(pid)
        return {pid: theirs for pid, theirs in self.people.items() if any(o.name_folded == name_folded for o in theirs)}

    def _load(self, person_id: int) -> None:
        if person_id in self.people:
            return
        self.people[person_id] = self.mentions(
            "o.id IN (SELECT official_id FROM person_mentions WHERE person_id = ?)", [person_id])
        if self.db.execute("SELECT 1 FROM person_mentions WHERE person_id = ? AND substr(rule, 1, 7) = 'split: '",
                           [person_id]).fetchone():
            self.closed.add(person_id)


def _new_person(db: sqlite_utils.Database, name: str, name_folded: str) -> int:
    """A new person; reuses a namesake left without mentions (re-extraction) so ids stay stable."""
    orphan = db.execute("""SELECT id FROM people WHERE name_folded = ? AND NOT EXISTS
                           (SELECT 1 FROM person_mentions WHERE person_id = people.id) ORDER BY id LIMIT 1""",
                        [name_folded]).fetchone()
    if orphan:
        return orphan[0]
    return db.execute("INSERT INTO people (name, name_folded) VALUES (?, ?)", [name, name_folded]).lastrowid


# ---------------------------------------------------------------- people and posts from their mentions

def _most_common(values: list[tuple[str, str]]) -> str | None:
    """The value written most often; ties go to the most recent (values paired with their date)."""
    counts = Counter(v for v, _ in values)
    latest = {v: d for v, d in sorted(values, key=lambda vd: vd[1])}
    return max(counts, key=lambda v: (counts[v], latest[v]), default=None)


def refresh(db: sqlite_utils.Database, person_ids: set[int]) -> None:
    """Recompute people rows and posts from their mentions; a person left without any is deleted."""
    for person_id in sorted(person_ids):
        rows = db.execute("""SELECT o.name, o.titles, o.unit, o.article_id, coalesce(substr(a.published, 1, 10), '')
                             FROM person_mentions pm JOIN officials o ON o.id = pm.official_id
                             JOIN articles a ON a.id = o.article_id WHERE pm.person_id = ?""", [person_id]).fetchall()
        if not rows:
            db.execute("DELETE FROM people WHERE id = ?", [person_id])
            continue
        name = _most_common([(name, day) for name, _, _, _, day in rows])
        unit = _most_common([(unit, day) for _, _, unit, _, day in rows if unit])
        dates = [day for *_, day in rows if day]
        db.execute("UPDATE people SET name = ?, name_folded = ?, unit = ?, first_seen = ?, last_seen = ? WHERE id = ?",
                   [name, fold(name), unit, min(dates, default=None), max(dates, default=None), person_id])
        db.execute("DELETE FROM posts WHERE person_id = ?", [person_id])
        for post in _posts(rows):
            db.execute("""INSERT INTO posts (person_id, title, title_folded, unit, first_seen, last_seen, articles)
                          VALUES (?, ?, ?, ?, ?, ?, ?)""", [person_id, *post])


def _posts(rows: list[tuple]) -> list[tuple]:
    """One post per folded title and unit: (title, title_folded, unit, first_seen, last_seen, articles)."""
    groups: dict[tuple[str, str | None], list[tuple[str, str | None, int, str]]] = {}
    for _, titles, unit, article_id, day in rows:
        for title in json.loads(titles or "[]"):
            key = (fold(title), gazetteer.fold_name(unit) if unit else None)
            groups.setdefault(key, []).append((title, unit, article_id, day))
    posts = []
    for (title_folded, _), held in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        dates = [day for *_, day in held if day]
        posts.append((_most_common([(t, d) for t, _, _, d in held]), title_folded,
                      _most_common([(u, d) for _, u, _, d in held if u]), min(dates, default=None),
                      max(dates, default=None), len({article_id for _, _, article_id, _ in held})))
    return posts


def _drop_orphans(db: sqlite_utils.Database, among: set[int] | None = None) -> None:
    """People left without mentions; only `among` when given (the writer's hot path)."""
    if among is None:
        db.execute("DELETE FROM people WHERE NOT EXISTS (SELECT 1 FROM person_mentions WHERE person_id = people.id)")
        return
    for person_id in among:
        db.execute("DELETE FROM people WHERE id = ? AND NOT EXISTS (SELECT 1 FROM person_mentions WHERE person_id = ?)",
                   [person_id, person_id])


# ---------------------------------------------------------------- the writer's and the journalist's actions

def people_of_article(db: sqlite_utils.Database, article_id: int) -> set[int]:
    """The people an article names now: read before save_article re-extracts it, pass to resolve_article."""
    return {pid for (pid,) in db.execute("""SELECT pm.person_id FROM person_mentions pm
                                            JOIN officials o ON o.id = pm.official_id WHERE o.article_id = ?""",
                                         [article_id]).fetchall()}


def resolve_article(db: sqlite_utils.Database, article_id: int, also: Iterable[int] = ()) -> None:
    """Link the article's officials to people, right after save_article (inside its transaction).

    Re-extraction drops the article's old links by cascade: the people linked now and the
    people in `also` (people_of_article, read before save_article) are recomputed, and those
    left without mentions deleted, so nobody keeps a post only the old text gave them. Only
    those people are touched: the cost of a write does not grow with the database."""
    resolver = _Resolver(db)
    mentions = resolver.mentions("o.article_id = ? AND o.id NOT IN (SELECT official_id FROM person_mentions)",
                                 [article_id])
    touched = {resolver.link(m) for m in mentions} | set(also)
    _drop_orphans(db, touched)
    refresh(db, touched)


def resolve_all(db: sqlite_utils.Database) -> int:
    """Re-decide every automatic link, oldest article first; people a journalist edited stay as
    they are. Idempotent. Returns how many people there are."""
    with db.conn:
        db.execute(f"""DELETE FROM person_mentions WHERE person_id NOT IN
                       (SELECT person_id FROM person_mentions WHERE {_MANUAL_SQL})""")
        resolver = _Resolver(db)
        for mention in resolver.mentions("o.id NOT IN (SELECT official_id FROM person_mentions)", []):
            resolver.link(mention)
        _drop_orphans(db)
        refresh(db, {pid for (pid,) in db.execute("SELECT id FROM people").fetchall()})
    return db.execute("SELECT count(*) FROM people").fetchone()[0]


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValueError("say why: the reason is what explains the decision later")
    return reason


def split_mention(db: sqlite_utils.Database, official_id: int, reason: str) -> int:
    """Undo a wrong merge: the mention becomes a person of its own. Returns that person's id."""
    reason = _reason(reason)
    with db.conn:
        row = db.execute("SELECT person_id FROM person_mentions WHERE official_id = ?", [official_id]).fetchone()
        if row is None:
            raise ValueError(f"official {official_id} is not linked to any person")
        old = row[0]
        alone = db.execute("SELECT count(*) FROM person_mentions WHERE person_id = ?", [old]).fetchone()[0] == 1
        name, folded = db.execute("SELECT name, name_folded FROM officials WHERE id = ?", [official_id]).fetchone()
        new = old if alone else db.execute("INSERT INTO people (name, name_folded) VALUES (?, ?)",
                                           [name, folded]).lastrowid
        db.execute("UPDATE person_mentions SET person_id = ?, rule = ?, decided_at = ? WHERE official_id = ?",
                   [new, f"split: {reason}", now(), official_id])
        refresh(db, {old, new})
    return new


def merge_people(db: sqlite_utils.Database, keep_id: int, other_id: int, reason: str) -> None:
    """Join two people: every mention of `other_id` moves to `keep_id`, which then has them all."""
    reason = _reason(reason)
    if keep_id == other_id:
        raise ValueError("a person cannot be merged with themselves")
    with db.conn:
        found = {pid for (pid,) in db.execute("SELECT id FROM people WHERE id IN (?, ?)", [keep_id, other_id])}
        if found != {keep_id, other_id}:
            raise ValueError(f"no person {', '.join(str(p) for p in (keep_id, other_id) if p not in found)}")
        db.execute("UPDATE person_mentions SET person_id = ?, rule = ?, decided_at = ? WHERE person_id = ?",
                   [keep_id, f"merged: {reason}", now(), other_id])
        refresh(db, {keep_id, other_id})


# ---------------------------------------------------------------- what journalists read

def _rows(db: sqlite_utils.Database, sql: str, params: list) -> list[dict]:
    cursor = db.execute(sql, params)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, values)) for values in cursor.fetchall()]


def explain(db: sqlite_utils.Database, person_id: int) -> list[dict]:
    """Every mention of the person, with the article, the sentences and the rule that linked it."""
    mentions = _rows(db, """
        SELECT o.id AS official_id, o.name, o.unit, o.titles, o.roles, pm.rule, pm.decided_at,
               a.id AS article_id, a.title, a.url, a.published
        FROM person_mentions pm JOIN officials o ON o.id = pm.official_id JOIN articles a ON a.id = o.article_id
        WHERE pm.person_id = ? ORDER BY a.published IS NULL, a.published, o.id""", [person_id])
    for m in mentions:
        m["titles"], m["roles"] = json.loads(m["titles"] or "[]"), json.loads(m["roles"] or "[]")
        m["sentences"] = [s for (s,) in db.execute(
            "SELECT sentence FROM mentions WHERE fact_table = 'officials' AND fact_id = ? ORDER BY char_start, id",
            [m["official_id"]])]
        m["sentence"] = m["sentences"][0] if m["sentences"] else None
    return mentions


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_people(db: sqlite_utils.Database, name: str) -> list[dict]:
    """People whose folded name is the folded `name`, else contains it."""
    printable = "".join(ch if ch.isprintable() else " " for ch in name or "")  # SQLite ends text at a NUL
    term = " ".join(fold(nfc(printable)).split())
    if not term:
        return []
    sql = "SELECT id, name, name_folded, unit, first_seen, last_seen FROM people WHERE {} ORDER BY last_seen DESC, id"
    return (_rows(db, sql.format("name_folded = ?"), [term])
            or _rows(db, sql.format("name_folded LIKE ? ESCAPE '\\'"), [f"%{_escape_like(term)}%"]))


def person_profile(db: sqlite_utils.Database, name: str) -> list[dict]:
    """Each person of that name: posts over time and the meetings they chaired and attended."""
    people = find_people(db, name)
    for person in people:
        person["posts"] = _rows(db, """SELECT title, unit, first_seen, last_seen, articles FROM posts
                                       WHERE person_id = ? ORDER BY first_seen, last_seen, title""", [person["id"]])
        meetings = _meetings(db, person["id"])
        person["chaired"] = [m for m in meetings if m["role"] == "chair"]
        person["attended"] = [m for m in meetings if m["role"] == "attendee"]
    return people


def _meetings(db: sqlite_utils.Database, person_id: int) -> list[dict]:
    """Events of the person's articles where a participant of their name chaired or attended."""
    return _rows(db, """
        SELECT DISTINCT e.id AS event_id, e.date, e.kind, e.organizer, ep.role, a.title, a.url, e.sentence
        FROM person_mentions pm JOIN officials o ON o.id = pm.official_id
        JOIN events e ON e.article_id = o.article_id
        JOIN event_participants ep ON ep.event_id = e.id AND ep.name_folded = o.name_folded
        JOIN articles a ON a.id = e.article_id
        WHERE pm.person_id = ? ORDER BY e.date, e.id""", [person_id])
