"""Scoring extraction against gold JSON: precision, recall and F1 per field.

Counts are micro-averaged over articles (true positives, false positives and false
negatives summed), so a long article weighs more than a short one, as it should when
the question is "how many facts are right".
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from extract.text import fold

FIELDS = ("officials", "official_titles", "roles", "chairs", "event_dates", "organizers", "units", "unit_codes",
          "rankings", "documents", "published")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, got: set) -> None:
        self.tp += len(gold & got)
        self.fp += len(got - gold)
        self.fn += len(gold - got)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    baseline: Score = field(default_factory=Score)  # underthesea ner() PER as official names
    articles: int = 0
    details: list[dict] = field(default_factory=list)


def _n(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _required(items: Iterable[dict]) -> list[dict]:
    return [x for x in items if not x.get("optional")]


def _optional(items: Iterable[dict]) -> list[dict]:
    return [x for x in items if x.get("optional")]


def _officials(data: dict) -> set:
    return {_n(o["name"]) for o in data.get("officials", [])}


def _titles(data: dict) -> set:
    return {(_n(o["name"]), fold(_n(t))) for o in data.get("officials", []) for t in o.get("titles", [])}


def _roles(data: dict) -> set:
    return {(_n(o["name"]), r) for o in data.get("officials", []) for r in o.get("roles", [])}


def _chairs(data: dict) -> set:
    return {(e.get("date"), _n(c)) for e in data.get("events", []) for c in e.get("chairs", [])}


def _event_dates(data: dict) -> set:
    return {(e.get("kind"), e.get("date")) for e in data.get("events", [])}


def _organizers(data: dict) -> set:
    """Who held each event, by its day: "UBND xã Diên Lạc", "Huyện ủy Nghĩa Hành"."""
    return {(e.get("date"), fold(_n(e["organizer"]))) for e in data.get("events", []) if e.get("organizer")}


def _units(data: dict) -> set:
    return {fold(_n(u["name"])) for u in data.get("units", [])}


def _unit_codes(data: dict) -> set:
    return {(fold(_n(u["name"])), u.get("code")) for u in data.get("units", []) if u.get("code")}


def _num(value):
    return None if value is None else round(float(value), 4)


def _rankings(data: dict) -> set:
    return {(r.get("index"), r.get("year"), fold(_n(r.get("unit"))), r.get("rank"), r.get("of"), _num(r.get("score")),
             fold(r.get("grade") or ""), _num(r.get("progress_percent"))) for r in data.get("rankings", [])}


def _documents(data: dict) -> set:
    return {(d["number"], d.get("kind"), d.get("date"), d.get("issuer")) for d in data.get("documents", [])}


def _published(data: dict) -> set:
    return {data.get("published")} if data.get("published") else set()


VIEWS: dict[str, Callable[[dict], set]] = {
    "officials": _officials, "official_titles": _titles, "roles": _roles, "chairs": _chairs,
    "event_dates": _event_dates, "organizers": _organizers, "units": _units, "unit_codes": _unit_codes, "rankings": _rankings,
    "documents": _documents, "published": _published,
}
_LISTS = {"officials": "officials", "official_titles": "officials", "roles": "officials", "chairs": "events",
          "event_dates": "events", "organizers": "events", "units": "units", "unit_codes": "units", "rankings": "rankings",
          "documents": "documents"}


def _split(gold: dict, key: str) -> tuple[dict, dict]:
    """The gold restricted to required facts, and to optional ones (neither rewarded nor punished)."""
    if key not in _LISTS:
        return gold, {}
    lst = _LISTS[key]
    return {**gold, lst: _required(gold.get(lst, []))}, {**gold, lst: _optional(gold.get(lst, []))}


def score_article(gold: dict, got: dict, report: Report, baseline_names: set[str] | None = None) -> None:
    report.articles += 1
    for key, view in VIEWS.items():
        required, optional = _split(gold, key)
        if key == "unit_codes":  # linking: of the gold units found, how many carry the right code
            gold_set = view(required)
            named = {name for name, _ in gold_set}
            report.scores[key].add(gold_set, {(n, c) for n, c in view(got) if n in named})
            continue
        gold_set, optional_set = view(required), view(optional)
        got_set = view(got) - optional_set
        report.scores[key].add(gold_set, got_set)
    if baseline_names is not None:
        report.baseline.add(_officials(_split(gold, "officials")[0]), {_n(n) for n in baseline_names})
    report.details.append({
        "article": gold.get("_name"),
        "gold_officials": sorted((_n(o["name"]), tuple(o.get("roles", []))) for o in _required(gold.get("officials", []))),
        "found_officials": sorted((_n(o["name"]), tuple(o.get("roles", []))) for o in got.get("officials", [])),
    })


def load_corpus(gold_dir: Path, text_dir: Path | None = None) -> list[tuple[str, dict, Path]]:
    """(name, gold, source file) for every gold JSON; the source is NAME.txt/.html or the
    page the `.expected.json` sits beside."""
    text_dir = text_dir or gold_dir
    out = []
    for path in sorted(gold_dir.rglob("*.json")):
        if path.name.endswith(".expected.json"):
            stem = path.name[: -len(".expected.json")]
        else:
            stem = path.name[: -len(".json")]
        base = text_dir / path.parent.relative_to(gold_dir) if text_dir == gold_dir else text_dir
        candidates = [base / stem, base / f"{stem}.txt", base / f"{stem}.html"]
        source = next((c for c in candidates if c.is_file() and c != path), None)
        if source is None:
            continue
        gold = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(gold, dict) or "officials" not in gold and "facts" not in gold:
            continue
        if "facts" in gold:  # demo-portal pages keep the facts under "facts"
            gold = {**gold, **gold["facts"]}
        gold["_name"] = stem
        out.append((stem, gold, source))
    return out


def ner_person_names(text: str) -> set[str]:
    """The baseline: underthesea's own ner() PER entities, joined from their B-/I- tags."""
    from underthesea import ner

    names: set[str] = set()
    for line in text.split("\n"):
        if not line.strip():
            continue
        current: list[str] = []
        for token in ner(line):
            word, tag = token[0], token[-1]
            if tag == "B-PER":
                if current:
                    names.add(" ".join(current))
                current = [word]
            elif tag == "I-PER" and current:
                current.append(word)
            else:
                if current:
                    names.add(" ".join(current))
                current = []
        if current:
            names.add(" ".join(current))
    return names


def render(report: Report) -> str:
    lines = [f"{'field':<16} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>5} {'found':>6}"]
    for key in FIELDS:
        s = report.scores[key]
        lines.append(f"{key:<16} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.tp + s.fn:>5} {s.tp + s.fp:>6}")
    b = report.baseline
    if b.tp + b.fp + b.fn:
        lines.append(f"{'ner() PER names':<16} {b.precision:>9.3f} {b.recall:>7.3f} {b.f1:>6.3f} {b.tp + b.fn:>5} "
                     f"{b.tp + b.fp:>6}   <- underthesea baseline for 'officials'")
    lines.append(f"articles: {report.articles}")
    return "\n".join(lines)


def as_dict(report: Report) -> dict:
    out = {key: {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                 "tp": s.tp, "fp": s.fp, "fn": s.fn} for key, s in report.scores.items()}
    b = report.baseline
    out["baseline_ner_names"] = {"precision": round(b.precision, 4), "recall": round(b.recall, 4), "f1": round(b.f1, 4)}
    out["articles"] = report.articles
    return out


def below_floor(report: Report, floor: dict[str, float]) -> list[str]:
    """Fields whose F1 fell under the pinned floor."""
    return [f"{key}: F1 {report.scores[key].f1:.3f} < floor {minimum:.3f}" for key, minimum in floor.items()
            if key in report.scores and report.scores[key].f1 + 1e-9 < minimum]
