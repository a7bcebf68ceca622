"""docs/DATA.md documents every table and every column of the schema."""
import re
from pathlib import Path

from db import connect

DOC = (Path(__file__).resolve().parent.parent / "docs" / "DATA.md").read_text(encoding="utf-8")


def test_every_table_and_column_is_documented(tmp_path):
    db = connect(tmp_path / "schema.db")
    for table in db.table_names():
        if table.startswith("articles_fts_"):
            continue  # FTS5's shadow tables
        section = re.search(rf"^### {re.escape(table)}\n(.*?)(?=^### |\Z)", DOC, re.S | re.M)
        assert section, f"table {table} is not documented"
        if table in ("articles_fts", "crawl_runs"):
            continue  # described in prose
        documented = set(re.findall(r"^\| (\w+) \|", section.group(1), re.M)) - {"column"}
        columns = {c.name for c in db[table].columns}
        assert columns == documented, f"{table}: undocumented {columns - documented}, stale {documented - columns}"
