"""`facts(text, context)`: every fact in an article's text, with its provenance."""
from __future__ import annotations

import re
from collections import Counter

from . import dates, documents, rankings
from .events import EventDraft, kind_of, organizer
from .matching import Span, has_diacritics
from .model import Context, Document, Event, Evidence, Facts, Official, Period, Unit
from .nlp import sentences
from .officials import NATIONAL, ROLE_ORDER, sentence_mentions, title_only_roles
from .text import fold, nfc
from . import gazetteer
from .units import UnitMention, collapse_stutter, display, main_units, mentions as unit_mentions, parent_of, split_unit

_NEAR_START = 40  # a date this close to the sentence start dates the sentence's event
_EVENT_WINDOW = 3
_TIME_OF_DAY = re.compile(r"(?:sang|chieu|toi|trua)(?:\s+ngay)?\s*$")
_CLAUSE_DATE = re.compile(r"(?:[,;:]\s*|vao\s+)(?:ngay\s+)?$")


def _dated_by_time_of_day(folded: str, start: int) -> bool:
    """'…, sáng ngày 11/4/2023, Đoàn kiểm tra …': a time of day, 'vào ngày', or a date opening
    a clause marks the event's own date."""
    return bool(_TIME_OF_DAY.search(folded[max(0, start - 12):start]) or
                re.match(r"(?:sang|chieu|toi|trua)\b", folded[start:start + 6]) or
                _CLAUSE_DATE.search(folded[max(0, start - 14):start]))  # sentences after an event that may still name its chair


def facts(text: str, context: Context | None = None) -> Facts:
    context = context or Context()
    text = nfc(text or "")
    strict = has_diacritics(text)
    sents = sentences(text)
    spans = [Span(s.text, strict) for s in sents]
    reference = context.published.date() if context.published else None

    people = [sentence_mentions(span) if _may_name_people(span) else [] for span in spans]
    units, aliases, local, resolved = _units(spans, people, context, strict)
    article_unit = context.site_unit or _article_unit(units, aliases, context, strict)
    officials = _officials(sents, spans, people, units, local, article_unit)
    out = Facts()
    out.units = [_unit_fact(name, mentions, local, resolved.get(name), sents) for name, mentions in units.items()]
    out.officials = list(officials.values())
    out.events = _events(sents, spans, people, units, local, aliases, officials, reference)
    out.documents = _documents(sents, spans, people, local, article_unit, officials)
    out.periods = _periods(sents, reference)
    out.rankings = rankings.collect(text, context.title, sents, spans, units, aliases, local, article_unit,
                                    out.events)
    return out


def _may_name_people(span: Span) -> bool:
    """Cheap filter: only sentences with a capitalised word after the first need underthesea-free parsing."""
    return any(ch.isupper() for ch in span.text[1:])


def _units(spans, people, context, strict):
    """Unit mentions grouped by canonical name, the mention-to-canonical map, the article's
    own unit per level, and each canonical unit's gazetteer resolution."""
    found: dict[str, list[tuple[int, object]]] = {}
    plain_names: set[str] = set()
    passes = []
    for i, span in enumerate(spans):
        names = [(m.start, m.name_end) for m in people[i]]
        passes.append((i, span, names))
        for u in unit_mentions(span):
            plain_names.add(fold(u.name))
    if context.site_unit:
        plain_names.add(fold(context.site_unit))
    for i, span, names in passes:
        for u in unit_mentions(span, plain_names):
            if any(u.start < e and s < u.end for s, e in names):
                continue
            found.setdefault(u.name, []).append((i, u))
    stutters = collapse_stutter(list(found))
    names = [n for n in found if n not in stutters]
    canon: dict[str, str] = {}
    resolved: dict[str, object] = {}
    for name, r in zip(names, gazetteer.resolve([split_unit(n) for n in names], context.site_unit,
                                                context.site_province)):
        canonical = display(r.unit.level, r.unit.name) if r.unit else name
        canon[name] = canonical
        resolved.setdefault(canonical, r)
    for typo, target in stutters.items():
        canon[typo] = canon[target]
    merged: dict[str, list] = {}
    for name, mentions in found.items():
        merged.setdefault(canon[name], []).extend(mentions)
    flat = [UnitMention(canon[u.name], u.level, u.start, u.end) for ms in found.values() for _, u in ms]
    local = main_units(flat, context.site_unit)
    if context.site_province and "tỉnh" not in local:
        local["tỉnh"] = context.site_province
    return merged, canon, local, resolved


def _unit_fact(name, mentions, local, resolution, sents) -> Unit:
    level, _ = split_unit(name)
    evidence = [Evidence(sents[i].text, sents[i].start + u.start, sents[i].start + u.end, "level+name")
                for i, u in mentions]
    unit = resolution.unit if resolution else None
    if unit is None:
        first = UnitMention(name, level, 0, 0)
        candidates = [c.code for c in resolution.candidates] if resolution else []
        return Unit(name, level, None, parent_of(first, local), evidence,
                    resolution.how if resolution else "not-found", candidates)
    parent = gazetteer.parent(unit)
    successors = [f"{s.full_name} ({s.code})" for s in gazetteer.successors(unit)]
    return Unit(name, level, unit.code, display(parent.level, parent.name) if parent else None, evidence,
                resolution.how, [], successors)


def _title_unit(title, local) -> str | None:
    if title.unit:
        return title.unit
    return local.get(title.level) if title.level else None


def _is_national(official: Official, titles_seen: dict[str, list]) -> bool:
    levels = [t.level for t in titles_seen.get(fold(official.name), [])]
    return bool(levels) and all(level in (NATIONAL, None) for level in levels) and NATIONAL in levels


def _officials(sents, spans, people, units, local, article_unit) -> dict[str, Official]:
    officials: dict[str, Official] = {}
    titles_seen: dict[str, list] = {}
    for i, mentions in enumerate(people):
        for m in mentions:
            key = fold(m.name)
            official = officials.setdefault(key, Official(m.name, [], [], None, []))
            titles_seen.setdefault(key, []).extend(m.titles)
            for title in m.titles:
                if fold(title.text) not in (fold(t) for t in official.titles):
                    official.titles.append(title.text)
                official.unit = official.unit or _title_unit(title, local)
            _add_roles(official, m.roles)
            official.evidence.append(Evidence(sents[i].text, sents[i].start + m.start, sents[i].start + m.end,
                                              m.rule))
    known = {name: [fold(t) for t in o.titles] for name, o in officials.items()}
    for i, span in enumerate(spans):
        for owner, role, start, end in title_only_roles(span, known):
            if any(m.start <= start < m.end for m in people[i]):
                continue
            _add_roles(officials[owner], {role})
            officials[owner].evidence.append(Evidence(sents[i].text, sents[i].start + start, sents[i].start + end,
                                                      f"title-only:{role}"))
    for key in [k for k, o in officials.items() if not o.titles and not {"chair", "signer"} & set(o.roles)]:
        del officials[key]  # "bà Ka Thị Hiền, chủ một cơ sở …": a citizen holds no post
    for o in officials.values():
        o.titles = [t for t in o.titles if not any(u != t and fold(u).startswith(fold(t) + " ") for u in o.titles)]
        if "soft-speaker" in o.roles:  # "yêu cầu", "đề nghị": speaking only if at the event
            o.roles = [r for r in o.roles if r != "soft-speaker"]
            if {"chair", "attendee"} & set(o.roles):
                _add_roles(o, {"speaker"})
        if not _is_national(o, titles_seen):
            o.unit = o.unit or article_unit  # "công chức Văn phòng - thống kê" of the article's own unit
        if not o.roles:
            o.roles = ["mentioned"]
    return officials


def _add_roles(official: Official, roles) -> None:
    merged = set(official.roles) | set(roles)
    merged.discard("mentioned") if len(merged) > 1 else None
    official.roles = [r for r in ROLE_ORDER + ("soft-speaker",) if r in merged]


def _events(sents, spans, people, units, local, aliases, officials, reference) -> list[Event]:
    drafts: list[EventDraft] = []
    unit_by_sentence: dict[int, list] = {}
    for name, ms in units.items():
        for i, u in ms:
            unit_by_sentence.setdefault(i, []).append(u)
    for i, span in enumerate(spans):
        kind = kind_of(span)
        found = dates.event_dates(sents[i].text, reference)
        lead = next((d for d, s, _ in found if s < _NEAR_START or _dated_by_time_of_day(span.folded, s)), None)
        chairs = [m.name for m in people[i] if "chair" in m.roles]
        attendees = [m.name for m in people[i] if "attendee" in m.roles]
        recent = drafts[-1] if drafts and i - drafts[-1].sentence_index <= _EVENT_WINDOW else None
        org = organizer(span, unit_by_sentence.get(i, []), local, aliases)
        if chairs:
            unchaired = next((d for d in reversed(drafts) if not d.chairs), None)
            same_chairs = next((d for d in reversed(drafts) if set(d.chairs) & set(chairs)), None)
            if lead is None and same_chairs is not None:
                target = same_chairs  # a photo caption repeating who chaired
            elif lead is None and unchaired is not None:
                target = unchaired  # "Ông X chủ trì cuộc họp" after the sentence that dated it
                target.kind = _refined_kind(target.kind, kind)
            elif recent and not recent.chairs and lead == recent.date:
                target = recent
                target.kind = _refined_kind(target.kind, kind)
            else:
                target = _draft(drafts, kind or "meeting", lead or (found[0][0] if found else None), i, sents, "chair")
            target.chairs += [c for c in chairs if c not in target.chairs]
        elif kind and lead:
            target = _draft(drafts, kind, lead, i, sents, "kind+date")
        elif recent and attendees:
            target = recent
        else:
            continue
        target.attendees += [a for a in attendees if a not in target.attendees and a not in target.chairs]
        target.organizer = target.organizer or org
    events = []
    for d in drafts:
        if d.organizer is None:
            d.organizer = _organizer_from_people(d, officials)
        events.append(Event(d.kind, d.date.isoformat() if d.date else None, d.organizer, d.chairs, d.attendees,
                            d.sentence, d.start, d.end, d.rule))
    return events


def _refined_kind(current: str, said: str | None) -> str:
    """The chair's sentence names the event ("chủ trì cuộc họp"), but an inspection or a
    campaign stays one even where its chair "làm việc với" the inspected."""
    if said is None or current in ("inspection", "campaign"):
        return current
    return said


def _draft(drafts, kind, day, i, sents, rule) -> EventDraft:
    for d in drafts:
        if d.date == day and day is not None and (d.kind == kind or kind == "meeting" or d.kind == "meeting"):
            return d
    d = EventDraft(kind, day, i, sents[i].text, sents[i].start, sents[i].end, rule)
    drafts.append(d)
    return d


def _organizer_from_people(draft: EventDraft, officials: dict[str, Official]) -> str | None:
    """No body named in the sentence: the chair's (or signer's) own body and unit."""
    for name in draft.chairs or []:
        o = officials.get(fold(name))
        if o and o.unit:
            body = next((b for b in ("UBND", "HĐND", "Đảng ủy") if any(b in t for t in o.titles)), None)
            if body:
                return f"{body} {o.unit}"
    for o in officials.values():
        if "signer" in o.roles and o.unit and any(e.sentence == draft.sentence for e in o.evidence):
            if any("UBND" in t for t in o.titles):
                return f"UBND {o.unit}"
    return None


def _article_unit(units, aliases, context, strict) -> str | None:
    """The unit the article is about: the one its title names, else the most named."""
    if context.title:
        for u in unit_mentions(Span(context.title, strict), {fold(n) for n in units}):
            return aliases.get(u.name, u.name)
    counts = Counter({name: len(ms) for name, ms in units.items()})
    return counts.most_common(1)[0][0] if counts else None


def _documents(sents, spans, people, local, article_unit, officials) -> list[Document]:
    out: list[Document] = []
    seen: set[str] = set()
    for i, s in enumerate(sents):
        if not any(ch.isdigit() for ch in s.text):
            continue
        signer_unit = next((officials[fold(m.name)].unit for m in people[i] if "signer" in m.roles), None)
        signed_on = _signing_date(spans[i], s.text)
        for d in documents.find(s.text):
            if d.number in seen:
                continue
            seen.add(d.number)
            issuer = documents.issuer(d, s.text, signer_unit or article_unit, local)
            day = d.date or (signed_on if d.start > 0 else None)
            out.append(Document(d.number, d.kind, day.isoformat() if day else None, issuer, s.text,
                                s.start + d.start, s.start + d.end, "number"))
    return out


def _periods(sents, reference) -> list[Period]:
    out = []
    for s in sents:
        if "nam" not in fold(s.text) and "quy" not in fold(s.text):
            continue
        for kind, first, last, start, end in dates.periods(s.text, reference):
            out.append(Period(kind, first.isoformat(), last.isoformat(), s.text[start:end], s.text,
                              s.start + start, s.start + end))
    return out


def _signing_date(span: Span, sentence: str):
    """'Ngày 15/3/2024, Chủ tịch … đã ký, ban hành Kế hoạch số 84/KH-UBND': the plan is of that day."""
    if span.find("ky") < 0 and span.find("ban hanh") < 0:
        return None
    found = dates.event_dates(sentence)
    return found[0][0] if found and found[0][1] < _NEAR_START else None
