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

Cost: a decision reads each namesake's `person_facets` (its names, units as written with the
codes they were read as, titles per post, with counts and dates), not their mentions, and a
link updates those facets, the people row and the posts it touches from them: a write costs
O(namesakes × facets), however many articles name them. `people`, `posts` and the facets are
recomputed from all mentions only when links are removed or moved: re-extraction (the writer
reads `people_of_article` before `save_article` and passes it to `resolve_article(also=…)`),
`split_mention`, `merge_people`, `resolve_all`. A link removed any other way (an article
deleted) marks the person stale (a trigger adds a 'stale' facet) and the next decision that
meets them recomputes them first, so decisions never count a mention that is gone.

Most common name, unit or title: the one written most often; ties go to the most recent
publication day, then to the value of the earliest mention (lowest officials id).

Hand-made decisions stay put: `resolve_all` rebuilds only people nobody has edited, and a person
made by `split_mention` receives no automatic links (only `merge_people` adds to it), so a
rebuild cannot undo a split. Each decision is also kept by article and folded name in
`person_decisions`: re-extracting an article replaces its officials rows (and their links),
and `resolve_article` links the new rows by those decisions before any rule. Nothing here commits except the journalist's actions
(`split_mention`, `merge_people`) and `resolve_all`; `resolve_article` runs in the writer's
transaction.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Iterable

import sqlite_utils

from db.queries import rows
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
    day: str = ""  # the article's publication day, '' when unknown

    @property
    def folded_titles(self) -> set[str]:
        return {fold_title(t) for t in self.titles}

    def post_keys(self) -> list[str]:
        """The post each title is (one entry per title, repeats kept: each counts)."""
        return [post_key(title, self.unit) for title in self.titles]


def post_key(title: str, unit: str | None) -> str:
    """Which post a title in a unit is: folded title, a tab, folded unit name ('' when none)."""
    return f"{fold_title(title)}\t{_unit_key(unit)}"


def _unit_key(unit: str | None) -> str:
    return _fold_unit(unit) if unit else ""


@lru_cache(maxsize=65536)
def _fold_short(text: str) -> str:
    """fold() of a name: the same few thousand strings are folded at every link."""
    return fold(text)


# Abbreviated heads written in bulletins ("PCT UBND xã"): the post is the one written in full.
_TITLE_ABBREVIATIONS = (("pct ", "pho chu tich "), ("pbt ", "pho bi thu "), ("ct ", "chu tich "), ("bt ", "bi thu "))


@lru_cache(maxsize=65536)
def fold_title(title: str) -> str:
    """A title folded, its abbreviated head written out, so "PCT UBND xã" and "Phó Chủ tịch UBND
    xã" are one post (the post row keeps the title as most often written)."""
    folded = fold(title)
    for short, full in _TITLE_ABBREVIATIONS:
        if folded.startswith(short):
            return full + folded[len(short):]
    return folded


@lru_cache(maxsize=65536)
def _fold_unit(unit: str) -> str:
    return gazetteer.fold_name(unit)


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
        return linked.get(_fold_unit(unit)) or _lookup(unit, province)

    def mention(self, oid: int, aid: int, name: str, folded: str, titles: str | None, unit: str | None,
                day: str) -> Mention:
        """An officials row (with its article's publication day) as resolution sees it."""
        return Mention(oid, aid, name, folded, tuple(json.loads(titles or "[]")), unit, self.codes(aid, unit), day)

    def _article(self, article_id: int) -> tuple[dict[str, frozenset[str]], str | None]:
        if article_id not in self.articles:
            linked = {}
            for name, code, candidates in self.db.execute(
                    "SELECT name, code, candidates FROM article_units WHERE article_id = ?", [article_id]):
                codes = [code] if code else json.loads(candidates) if candidates else []
                linked[_fold_unit(name)] = frozenset(codes)
            row = self.db.execute("SELECT s.province FROM articles a LEFT JOIN sites s ON s.id = a.site_id "
                                  "WHERE a.id = ?", [article_id]).fetchone()
            self.articles[article_id] = (linked, row[0] if row else None)
        return self.articles[article_id]


def _relation(a: Mention, unit_key: str, codes: frozenset[str]) -> str:
    """'same', 'within', 'different' or 'unknown' for a mention and a unit of the person (its
    folded name and the codes it was read as), both named."""
    if a.places and codes:
        if a.places & codes:
            return "same"
        if any(x in _chain(y) or y in _chain(x) for x in a.places for y in codes):
            return "within"
        return "different"
    return "same" if _fold_unit(a.unit or "") == unit_key else "unknown"


# ---------------------------------------------------------------- what deciding needs to know of a person

@dataclass(frozen=True)
class Summary:
    """A person as decisions see them: their folded titles, and the distinct units their mentions
    name as (folded name, gazetteer codes). Built from facets or, equally, from mentions."""
    titles: frozenset[str]
    places: frozenset[tuple[str, frozenset[str]]]

    @classmethod
    def of(cls, mentions: Iterable[Mention]) -> Summary:
        mentions = list(mentions)
        return cls(frozenset(t for m in mentions for t in m.folded_titles),
                   frozenset((_fold_unit(m.unit), m.places or frozenset()) for m in mentions if m.unit))


@dataclass
class Tally:
    """How many mentions show a facet, when first and last, and the earliest mention's id (ties)."""
    mentions: int = 0
    first_day: str | None = None
    last_day: str | None = None
    first_official: int = 0

    def add(self, day: str, official_id: int) -> None:
        if day:
            self.first_day = min(self.first_day or day, day)
            self.last_day = max(self.last_day or day, day)
        self.first_official = min(self.first_official, official_id) if self.mentions else official_id
        self.mentions += 1

    def merged(self, other: Tally) -> Tally:
        days = [d for d in (self.first_day, other.first_day) if d], [d for d in (self.last_day, other.last_day) if d]
        return Tally(self.mentions + other.mentions, min(days[0], default=None), max(days[1], default=None),
                     min(self.first_official, other.first_official))

    def weight(self) -> tuple[int, str, int]:
        """The most common value has the largest: most mentions, then most recent, then earliest mention."""
        return self.mentions, self.last_day or "", -self.first_official


def _most_common(tallies: dict[str, Tally]) -> str | None:
    """The value written most often (ties: most recent, then earliest mention)."""
    return max(tallies, key=lambda v: tallies[v].weight(), default=None)


Facet = tuple[str, str, str]  # (facet, key, value): see docs/DATA.md, person_facets


@dataclass
class Profile:
    """One person's facets in memory: what decisions read, and what their people row and posts are
    computed from, whether facets were counted one link at a time or from all mentions at once."""
    person_id: int
    tallies: dict[Facet, Tally] = field(default_factory=dict)

    @property
    def closed(self) -> bool:
        """Made by a journalist's split: takes no automatic links."""
        return ("split", "", "") in self.tallies

    @property
    def stale(self) -> bool:
        return ("stale", "", "") in self.tallies

    def keys(self) -> set[tuple[str, str]]:
        return {(facet, key) for facet, key, _ in self.tallies}

    def summary(self) -> Summary:
        titles = frozenset(key.rsplit("\t", 1)[0] for facet, key, _ in self.tallies if facet == "post-title")
        places = frozenset((_fold_unit(key), frozenset(value.split(",")) if value else frozenset())
                           for facet, key, value in self.tallies if facet == "unit")
        return Summary(titles, places)

    def add(self, m: Mention) -> set[Facet]:
        """Count a mention; returns the facets it changed."""
        facets = [("name", m.name_folded, m.name)]
        if m.unit:
            facets.append(("unit", m.unit, ",".join(sorted(m.places or ()))))
        for title, key in zip(m.titles, m.post_keys()):
            facets.append(("post-title", key, title))
            if m.unit:
                facets.append(("post-unit", key, m.unit))
        for facet in facets:
            self.tallies.setdefault(facet, Tally()).add(m.day, m.official_id)
        return set(facets)

    def _values(self, facet: str, key: str | None = None) -> dict[str, Tally]:
        """Tallies of one facet by value (by key for 'unit', summed over the codes it was read as)."""
        out: dict[str, Tally] = {}
        for (f, k, value), tally in self.tallies.items():
            if f == facet and (key is None or k == key):
                label = k if facet == "unit" else value
                out[label] = out[label].merged(tally) if label in out else tally
        return out

    def person_row(self) -> tuple[str, str, str | None, str | None, str | None]:
        """(name, name_folded, unit, first_seen, last_seen) as the people row has them."""
        names = self._values("name")
        name = _most_common(names) or ""
        firsts = [t.first_day for t in names.values() if t.first_day]
        lasts = [t.last_day for t in names.values() if t.last_day]
        return name, _fold_short(name), _most_common(self._values("unit")), min(firsts, default=None), max(lasts, default=None)

    def post_row(self, key: str) -> tuple[str | None, str, str | None, str | None, str | None]:
        """(title, title_folded, unit, first_seen, last_seen) of one post."""
        titles = self._values("post-title", key)
        firsts = [t.first_day for t in titles.values() if t.first_day]
        lasts = [t.last_day for t in titles.values() if t.last_day]
        return (_most_common(titles), key.rsplit("\t", 1)[0], _most_common(self._values("post-unit", key)),
                min(firsts, default=None), max(lasts, default=None))

    def post_keys(self) -> list[str]:
        """Posts in the order a recompute writes them: by folded title, then folded unit."""
        keys = {key for facet, key, _ in self.tallies if facet == "post-title"}
        return sorted(keys, key=lambda k: tuple(k.rsplit("\t", 1)))


_FACET_COLUMNS = "person_id, facet, key, value, mentions, first_day, last_day, first_official"


def _read_profiles(db: sqlite_utils.Database, where: str, params: list) -> dict[int, Profile]:
    profiles: dict[int, Profile] = {}
    for pid, facet, key, value, mentions, first, last, first_official in db.execute(
            f"SELECT {_FACET_COLUMNS} FROM person_facets WHERE {where}", params).fetchall():
        profile = profiles.setdefault(pid, Profile(pid))
        profile.tallies[(facet, key, value)] = Tally(mentions, first, last, first_official)
    return profiles


_FACETS_UPSERT = f"""INSERT INTO person_facets ({_FACET_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                      ON CONFLICT DO UPDATE SET mentions = excluded.mentions, first_day = excluded.first_day,
                      last_day = excluded.last_day, first_official = excluded.first_official"""
_PERSON_UPDATE = "UPDATE people SET name = ?, name_folded = ?, unit = ?, first_seen = ?, last_seen = ? WHERE id = ?"
_POST_INSERT = """INSERT INTO posts (person_id, title, title_folded, unit, first_seen, last_seen, articles)
                  VALUES (?, ?, ?, ?, ?, ?, ?)"""


def _write_facets(db: sqlite_utils.Database, profile: Profile, facets: Iterable[Facet]) -> None:
    db.conn.executemany(_FACETS_UPSERT, [(profile.person_id, *facet, t.mentions, t.first_day, t.last_day,
                                          t.first_official) for facet in facets for t in (profile.tallies[facet],)])


def _write_person(db: sqlite_utils.Database, profile: Profile) -> None:
    db.conn.execute(_PERSON_UPDATE, (*profile.person_row(), profile.person_id))


# ---------------------------------------------------------------- deciding who a mention is

def judge(mention: Mention, theirs: Summary | list[Mention]) -> tuple[int, bool, str] | None:
    """How well a mention fits a person: (rank, shares a title, rule), None if it cannot be them."""
    person = theirs if isinstance(theirs, Summary) else Summary.of(theirs)
    shared_title = bool(mention.folded_titles & person.titles)
    if not mention.unit or not person.places:
        rank = _RANKS["both-without-unit" if not mention.unit and not person.places else "one-without-unit"]
        return rank, shared_title, "same-name-same-title" if shared_title else "same-name-no-unit"
    relations = {_relation(mention, key, codes) for key, codes in person.places}
    if "same" in relations:
        return _RANKS["same-name-same-unit"], shared_title, "same-name-same-unit"
    if "within" in relations:
        return _RANKS["same-name-unit-within"], shared_title, "same-name-unit-within"
    if "unknown" in relations and shared_title:
        return _RANKS["unit-unknown-same-title"], True, "same-name-same-title"
    return None


def decide(mention: Mention, candidates: dict[int, Summary | list[Mention]]) -> tuple[int | None, str]:
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


class Resolver:
    """Links mentions to people, reading only the facets of the mention's namesakes.

    Profiles read stay in memory for the resolver's life (one resolve_article call, a writer's
    batch, or resolve_all) and are updated with each link it makes, which nothing else writes
    meanwhile. Each link is counted into `pending`; a resolver that is not deferred flushes it at
    once, a deferred one when told: flush() writes the batch's links, facets, people rows and
    posts with one statement per table (a person named in many articles of a batch is written
    once)."""

    def __init__(self, db: sqlite_utils.Database, deferred: bool = False) -> None:
        self.db = db
        self.places = _Places(db)
        self.profiles: dict[int, Profile] = {}
        self.names: dict[str, set[int]] = {}  # folded name -> people holding a mention of it
        self.in_article: tuple[int, dict[int, set[str]]] = (0, {})  # an article: person -> posts its links show
        self.deferred = deferred  # keep links, facets, people rows and posts in memory until flush()
        self.pending = _Pending()

    def mentions(self, where: str, params: list) -> list[Mention]:
        sql = f"""SELECT o.id, o.article_id, o.name, o.name_folded, o.titles, o.unit,
                         coalesce(substr(a.published, 1, 10), '')
                  FROM officials o JOIN articles a ON a.id = o.article_id WHERE {where}
                  ORDER BY a.published IS NULL, a.published, o.article_id, o.id"""
        return [self.places.mention(*row) for row in self.db.execute(sql, params).fetchall()]

    def link(self, mention: Mention) -> int:
        namesakes = self._namesakes(mention.name_folded)
        person_id, rule = decide(mention, {pid: namesakes[pid].summary() for pid in sorted(namesakes)
                                           if not namesakes[pid].closed})
        if person_id is None:
            person_id = _new_person(self.db, mention.name, mention.name_folded, taken=self.profiles)
            self.profiles[person_id] = Profile(person_id)
            namesakes[person_id] = self.profiles[person_id]
        shown = self._article(mention.article_id).setdefault(person_id, set())
        self.pending.count(self.profiles[person_id], mention, shown, (mention.official_id, person_id, rule, now()))
        shown.update(mention.post_keys())
        if not self.deferred:
            self.flush()
        return person_id

    def flush(self) -> None:
        """Write what the links since the last flush changed: one statement per table."""
        self.pending.write(self.db, self.profiles)
        self.pending = _Pending()

    def load(self, names: Iterable[str]) -> None:
        """Read the namesakes of several names at once (the officials of one article)."""
        names = sorted({name for name in names if name not in self.names})
        if not names:
            return
        marks = ", ".join("?" * len(names))
        where = f"person_id IN (SELECT person_id FROM person_facets WHERE facet = 'name' AND key IN ({marks}))"
        profiles = _read_profiles(self.db, where, names)
        stale = {pid for pid, p in profiles.items() if p.stale and pid not in self.profiles}
        if stale:
            recompute(self.db, stale, self.places, keep_empty=True)
            profiles = _read_profiles(self.db, where, names)
        for name in names:
            self.names[name] = set()
        for pid, profile in profiles.items():
            profile = self.profiles.setdefault(pid, profile)
            for facet, key, _ in profile.tallies:
                if facet == "name" and key in self.names:
                    self.names[key].add(pid)

    def _namesakes(self, name_folded: str) -> dict[int, Profile]:
        """People holding a mention of that folded name; stale ones are recomputed first."""
        self.load([name_folded])
        return _Namesakes(self, name_folded)

    def _article(self, article_id: int) -> dict[int, set[str]]:
        """Posts each person's links in the article show, starting from links made before this
        resolver. Only the current article's are kept: mentions come article by article."""
        if self.in_article[0] != article_id:
            shown: dict[int, set[str]] = {}
            for person_id, titles, unit in self.db.execute(
                    """SELECT pm.person_id, o.titles, o.unit FROM officials o
                       JOIN person_mentions pm ON pm.official_id = o.id WHERE o.article_id = ?""", [article_id]):
                shown.setdefault(person_id, set()).update(post_key(t, unit) for t in json.loads(titles or "[]"))
            self.in_article = (article_id, shown)
        return self.in_article[1]


class _Namesakes(dict):
    """The profiles of one name's people; adding a person also records them under the name."""

    def __init__(self, resolver: Resolver, name_folded: str) -> None:
        super().__init__((pid, resolver.profiles[pid]) for pid in resolver.names[name_folded])
        self.resolver, self.name_folded = resolver, name_folded

    def __setitem__(self, person_id: int, profile: Profile) -> None:
        super().__setitem__(person_id, profile)
        self.resolver.names[self.name_folded].add(person_id)


def _new_person(db: sqlite_utils.Database, name: str, name_folded: str, taken: Iterable[int] = ()) -> int:
    """A new person; reuses a namesake left without mentions (re-extraction) so ids stay stable.
    `taken`: people a deferred resolver holds, whose links may not be written yet."""
    orphans = db.execute("""SELECT id FROM people WHERE name_folded = ? AND NOT EXISTS
                            (SELECT 1 FROM person_mentions WHERE person_id = people.id) ORDER BY id""",
                         [name_folded]).fetchall()
    orphan = next((pid for (pid,) in orphans if pid not in taken), None)
    if orphan is not None:
        db.execute("DELETE FROM person_facets WHERE person_id = ?", [orphan])
        db.execute("DELETE FROM posts WHERE person_id = ?", [orphan])
        return orphan
    return db.execute("INSERT INTO people (name, name_folded) VALUES (?, ?)", [name, name_folded]).lastrowid


_LINK_SQL = "INSERT INTO person_mentions (official_id, person_id, rule, decided_at) VALUES (?, ?, ?, ?)"


@dataclass
class _PostChange:
    """A post touched by deferred links: whether its row exists, its unit as stored, articles to add."""
    stored: bool
    stored_unit: str | None
    articles: int


@dataclass
class _Pending:
    """What links changed since the last flush (one link for a resolver that is not deferred, a
    batch's for one that is): their person_mentions rows, the facets they touched, and each post
    they touched with its row as stored, so that a batch and one link at a time leave the same
    database."""
    links: list[tuple] = field(default_factory=list)
    facets: dict[int, set[Facet]] = field(default_factory=dict)
    posts: dict[tuple[int, str], _PostChange] = field(default_factory=dict)

    def count(self, profile: Profile, mention: Mention, shown: set[str], link: tuple) -> None:
        self.links.append(link)
        pid = profile.person_id
        stored = profile.keys()
        for key in dict.fromkeys(mention.post_keys()):
            change = self.posts.get((pid, key))
            if change is None:
                exists = ("post-title", key) in stored
                change = _PostChange(exists, profile.post_row(key)[2] if exists else None, 0)
                self.posts[(pid, key)] = change
                if not exists:  # a new post starts with this article
                    change.articles = 1
                    continue
            change.articles += int(key not in shown)
        self.facets.setdefault(pid, set()).update(profile.add(mention))

    def write(self, db: sqlite_utils.Database, profiles: dict[int, Profile]) -> None:
        db.conn.executemany(_LINK_SQL, self.links)
        db.conn.executemany(_FACETS_UPSERT, [
            (pid, *facet, t.mentions, t.first_day, t.last_day, t.first_official)
            for pid, facets in self.facets.items() for facet in facets for t in (profiles[pid].tallies[facet],)])
        db.conn.executemany(_PERSON_UPDATE, [(*profiles[pid].person_row(), pid) for pid in self.facets])
        inserts, updates = [], []
        for (pid, key), change in self.posts.items():
            title, title_folded, unit, first, last = profiles[pid].post_row(key)
            if change.stored:
                updates.append((title, unit, first, last, change.articles, pid, title_folded, change.stored_unit))
            else:
                inserts.append((pid, title, title_folded, unit, first, last, change.articles))
        db.conn.executemany("""UPDATE posts SET title = ?, unit = ?, first_seen = ?, last_seen = ?,
                               articles = articles + ? WHERE person_id = ? AND title_folded = ? AND unit IS ?""",
                            updates)
        db.conn.executemany(_POST_INSERT, inserts)


# ---------------------------------------------------------------- people and posts from all their mentions

def recompute(db: sqlite_utils.Database, person_ids: Iterable[int], places: _Places | None = None,
              keep_empty: bool = False) -> None:
    """Facets, people rows and posts from all of each person's mentions: after links were removed
    or moved. A person left without mentions is deleted, or with `keep_empty` kept bare for
    `_new_person` to reuse (its id stays stable across a re-extraction)."""
    places = places or _Places(db)
    for person_id in sorted(set(person_ids)):
        linked = db.execute("""SELECT o.id, o.article_id, o.name, o.name_folded, o.titles, o.unit,
                                    coalesce(substr(a.published, 1, 10), ''), pm.rule
                             FROM person_mentions pm JOIN officials o ON o.id = pm.official_id
                             JOIN articles a ON a.id = o.article_id WHERE pm.person_id = ? ORDER BY o.id""",
                          [person_id]).fetchall()
        db.execute("DELETE FROM person_facets WHERE person_id = ?", [person_id])
        db.execute("DELETE FROM posts WHERE person_id = ?", [person_id])
        if not linked:
            if not keep_empty:
                db.execute("DELETE FROM people WHERE id = ?", [person_id])
            continue
        profile, articles = Profile(person_id), {}
        for *mention, rule in linked:
            m = places.mention(*mention)
            profile.add(m)
            for key in m.post_keys():
                articles.setdefault(key, set()).add(m.article_id)
            if rule.startswith("split: "):
                profile.tallies.setdefault(("split", "", ""), Tally()).add("", m.official_id)
        _write_facets(db, profile, profile.tallies)
        _write_person(db, profile)
        db.conn.executemany(_POST_INSERT, [(person_id, *profile.post_row(key), len(articles[key])) for key in profile.post_keys()])


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


def resolve_article(db: sqlite_utils.Database, article_id: int, also: Iterable[int] = (),
                    resolver: Resolver | None = None) -> None:
    """Link the article's officials to people, right after save_article (inside its transaction).

    Re-extraction drops the article's old links by cascade: the people in `also`
    (people_of_article, read before save_article) are recomputed from their remaining mentions
    before anything is decided, and those left without mentions are deleted at the end unless
    a new mention took them back, so nobody keeps a post only the old text gave them. Otherwise
    each link is counted in: the cost of a write does not grow with the database.

    `resolver`: one kept across a batch of new articles (db.store.Writer), deferred or not; it
    cannot take a re-extraction, which recomputes people from what the database holds."""
    also = set(also)
    if resolver is None:
        resolver = Resolver(db)
    elif also:
        raise ValueError("a re-extracted article is resolved on its own resolver: people are recomputed from the file")
    if also:
        recompute(db, also, resolver.places, keep_empty=True)
    mentions = resolver.mentions("o.article_id = ? AND o.id NOT IN (SELECT official_id FROM person_mentions)",
                                 [article_id])
    decided = {} if resolver.deferred else _decisions(db, article_id)  # a new article has none
    resolver.load(m.name_folded for m in mentions if m.name_folded not in decided)
    for mention in mentions:
        if mention.name_folded in decided:  # the journalist's split or merge, applied again
            person_id, rule = decided[mention.name_folded]
            db.execute(_LINK_SQL, (mention.official_id, person_id, rule, now()))
        else:
            resolver.link(mention)
    if decided:
        recompute(db, {pid for pid, _ in decided.values()}, resolver.places)
    _drop_orphans(db, also)  # only they can have lost every mention: a person just linked has one


def resolve_all(db: sqlite_utils.Database) -> int:
    """Re-decide every automatic link, oldest article first; people a journalist edited stay as
    they are. Ends with a recompute of everyone from their mentions. Idempotent. Returns how
    many people there are."""
    with db.conn:
        manual = f"SELECT person_id FROM person_mentions WHERE {_MANUAL_SQL}"
        db.execute(f"DELETE FROM person_mentions WHERE person_id NOT IN ({manual})")
        db.execute(f"DELETE FROM person_facets WHERE person_id NOT IN ({manual})")
        db.execute(f"DELETE FROM posts WHERE person_id NOT IN ({manual})")
        resolver = Resolver(db)
        recompute(db, {pid for (pid,) in db.execute(f"SELECT DISTINCT person_id FROM ({manual})").fetchall()},
                  resolver.places)
        for mention in resolver.mentions("o.id NOT IN (SELECT official_id FROM person_mentions)", []):
            resolver.link(mention)
        _drop_orphans(db)
        recompute(db, {pid for (pid,) in db.execute("SELECT id FROM people").fetchall()}, resolver.places)
    return db.execute("SELECT count(*) FROM people").fetchone()[0]


def recompute_everyone(db: sqlite_utils.Database) -> None:
    """Every person's facets, row and posts from their mentions (an older file's upgrade); commits.
    People without mentions stay: an upgrade deletes nothing."""
    with db.conn:
        recompute(db, {pid for (pid,) in db.execute("SELECT id FROM people").fetchall()}, keep_empty=True)


def _remember(db: sqlite_utils.Database, kind: str, reason: str, when: str, person_id: int, where: str,
              params: list) -> None:
    """A journalist's decision about some mentions, kept by article and folded name: re-extracting
    the article replaces its officials rows (and so their links), and resolve_article reads this
    to link the new rows the same way."""
    db.execute(f"""INSERT OR REPLACE INTO person_decisions (article_id, name_folded, person_id, kind, reason, decided_at)
                   SELECT o.article_id, o.name_folded, ?, ?, ?, ? FROM officials o WHERE {where}""",
               [person_id, kind, reason, when, *params])


def _decisions(db: sqlite_utils.Database, article_id: int) -> dict[str, tuple[int, str]]:
    """The journalist's decisions about an article's names: folded name -> (person, rule)."""
    return {name: (pid, f"{kind}: {reason}") for name, pid, kind, reason in db.execute(
        """SELECT d.name_folded, d.person_id, d.kind, d.reason FROM person_decisions d
           JOIN people p ON p.id = d.person_id WHERE d.article_id = ?""", [article_id]).fetchall()}


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
        when = now()
        db.execute("UPDATE person_mentions SET person_id = ?, rule = ?, decided_at = ? WHERE official_id = ?",
                   [new, f"split: {reason}", when, official_id])
        _remember(db, "split", reason, when, new, "o.id = ?", [official_id])
        recompute(db, {old, new})
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
        when = now()
        moved = [oid for (oid,) in db.execute("SELECT official_id FROM person_mentions WHERE person_id = ?",
                                              [other_id]).fetchall()]
        db.execute("UPDATE person_mentions SET person_id = ?, rule = ?, decided_at = ? WHERE person_id = ?",
                   [keep_id, f"merged: {reason}", when, other_id])
        db.execute("UPDATE person_decisions SET person_id = ? WHERE person_id = ?", [keep_id, other_id])
        _remember(db, "merged", reason, when, keep_id,
                  f"o.id IN (SELECT value FROM json_each(?))", [json.dumps(moved)])
        recompute(db, {keep_id, other_id})


# ---------------------------------------------------------------- what journalists read

def explain(db: sqlite_utils.Database, person_id: int) -> list[dict]:
    """Every mention of the person, with the article, the sentences and the rule that linked it."""
    mentions = rows(db, """
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
    return (rows(db, sql.format("name_folded = ?"), [term])
            or rows(db, sql.format("name_folded LIKE ? ESCAPE '\\'"), [f"%{_escape_like(term)}%"]))


def person_profile(db: sqlite_utils.Database, name: str) -> list[dict]:
    """Each person of that name: posts over time and the meetings they chaired and attended."""
    people = find_people(db, name)
    for person in people:
        person["posts"] = rows(db, """SELECT title, unit, first_seen, last_seen, articles FROM posts
                                       WHERE person_id = ? ORDER BY first_seen, last_seen, title""", [person["id"]])
        meetings = _meetings(db, person["id"])
        person["chaired"] = [m for m in meetings if m["role"] == "chair"]
        person["attended"] = [m for m in meetings if m["role"] == "attendee"]
    return people


def _meetings(db: sqlite_utils.Database, person_id: int) -> list[dict]:
    """Events of the person's articles where a participant of their name chaired or attended."""
    return rows(db, """
        SELECT DISTINCT e.id AS event_id, e.date, e.kind, e.organizer, ep.role, a.title, a.url, e.sentence
        FROM person_mentions pm JOIN officials o ON o.id = pm.official_id
        JOIN events e ON e.article_id = o.article_id
        JOIN event_participants ep ON ep.event_id = e.id AND ep.name_folded = o.name_folded
        JOIN articles a ON a.id = e.article_id
        WHERE pm.person_id = ? ORDER BY e.date, e.id""", [person_id])
