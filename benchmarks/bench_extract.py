"""Extraction speed: bantin's whole extraction vs underthesea's own ner() alone.

Both run in this one process (one core) over the same gold-corpus articles, after a
warm-up, and the ratio is printed beside the absolute rates. A benchmark, not a test:
it asserts nothing.

    python benchmarks/bench_extract.py [--repeat N]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import extract  # noqa: E402
from bantin.evaluation import load_corpus  # noqa: E402
from bantin.inputs import load_article  # noqa: E402
from benchmarks.machine import describe  # noqa: E402


def _corpus() -> list[tuple[str, dict]]:
    out = []
    for _, gold, source in load_corpus(ROOT / "tests" / "fixtures"):
        out.append((source, gold.get("context") or {}))
    return out


def _bantin(items) -> None:
    for source, context in items:
        art = load_article(source)
        extract.extract_all(art, context.get("site_unit"), context.get("site_province"))


def _ner(texts) -> None:
    from underthesea import ner

    for text in texts:
        for line in text.split("\n"):
            if line.strip():
                ner(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the corpus (best is kept)")
    args = parser.parse_args()
    items = _corpus()
    texts = [f"{a.title}\n{a.text}" for a in (load_article(s) for s, _ in items)]
    chars = sum(len(t) for t in texts)
    _bantin(items[:3])  # warm-up: load models, caches
    _ner(texts[:3])
    timings = {}
    for name, run in (("bantin extract (page + all facts)", lambda: _bantin(items)),
                      ("underthesea ner() alone", lambda: _ner(texts))):
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        timings[name] = best
    print(f"machine: {describe()}")
    print(f"corpus: {len(items)} gold articles, {chars:,} characters; best of {args.repeat} passes, one core\n")
    print(f"| {'what':<36} | {'articles/s/core':>15} | {'chars/s':>9} | {'vs ner()':>8} |")
    print(f"| {'-' * 36} | {'-' * 15} | {'-' * 9} | {'-' * 8} |")
    base = timings["underthesea ner() alone"]
    for name, seconds in timings.items():
        print(f"| {name:<36} | {len(items) / seconds:>15.1f} | {chars / seconds:>9,.0f} | {base / seconds:>7.2f}x |")


if __name__ == "__main__":
    main()
