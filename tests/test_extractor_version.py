"""articles.extractor_version names the rules that read an article's facts, so a researcher can
tell apart facts read by different rules. That only holds if the version moves with extract/:
this test fails when extract/ changes and its fingerprint is not recorded for the version."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from extract.model import EXTRACTOR_VERSION

ROOT = Path(__file__).resolve().parent.parent
RECORD = Path(__file__).with_name("extractor_sources.json")


def fingerprint(folder: Path = ROOT / "extract") -> str:
    """SHA-256 over extract/'s sources and data, by path, line endings made Unix."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and p.suffix in (".py", ".gz", ".tsv", ".json")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def test_extract_sources_are_recorded_for_the_extractor_version():
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    current = fingerprint()
    assert record["version"] == EXTRACTOR_VERSION, (
        f"EXTRACTOR_VERSION is {EXTRACTOR_VERSION} but {RECORD.name} records {record['version']}: "
        f"record the new version with its fingerprint {current}")
    assert current in record["fingerprints"], (
        f"extract/ changed since version {EXTRACTOR_VERSION} was recorded (fingerprint {current}). "
        "If what extraction returns can change, bump EXTRACTOR_VERSION and make this the version's "
        f"only fingerprint in {RECORD.name}; if it cannot (a comment, a rename), add it to the list.")


def test_the_fingerprint_moves_with_any_source(tmp_path):
    (tmp_path / "rules.py").write_text("A = 1\n")
    before = fingerprint(tmp_path)
    (tmp_path / "rules.py").write_text("A = 2\n")
    assert fingerprint(tmp_path) != before
    (tmp_path / "rules.py").write_text("A = 1\r\n")
    assert fingerprint(tmp_path) == before  # a Windows checkout gives the same fingerprint
