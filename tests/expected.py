"""Comparing extraction output with hand-written expected JSON, field by field."""
from __future__ import annotations

from extract.text import fold


def _events(data: dict) -> list:
    return sorted(((e["kind"], e["date"], tuple(sorted(e["chairs"])), tuple(sorted(e.get("attendees", []))))
                   for e in data["events"]), key=str)


def _officials(data: dict) -> dict:
    # Units are compared folded: restoring diacritics to a unit typed without them needs the
    # gazetteer (issue 3); the name, its roles and titles must match exactly.
    return {o["name"]: (sorted(o["roles"]), sorted(o["titles"]), fold(o["unit"] or ""))
            for o in data["officials"] if not o.get("optional")}


def _documents(data: dict) -> list:
    return sorted((d["number"], d["kind"], d["date"], d["issuer"]) for d in data["documents"] if not d.get("optional"))


def _rankings(data: dict) -> list:
    keys = ("index", "year", "rank", "of", "score", "grade", "progress_percent")
    return sorted((tuple(r.get(k) for k in keys) + (fold(r.get("unit") or ""),)
                   for r in data["rankings"] if not r.get("optional")), key=str)


def _units(data: dict) -> list:
    return sorted(fold(u["name"]) for u in data["units"] if not u.get("optional"))


def differences(got: dict, want: dict) -> dict:
    """Every field where `got` differs from `want`, as {field: (got, want)}."""
    out = {}
    for key in ("title", "published", "author"):
        if got.get(key) != want.get(key):
            out[key] = (got.get(key), want.get(key))
    for key, view in (("events", _events), ("officials", _officials), ("documents", _documents),
                      ("rankings", _rankings), ("units", _units)):
        if view(got) != view(want):
            out[key] = (view(got), view(want))
    return out
