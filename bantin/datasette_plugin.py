"""The Datasette plugin `bantin serve` loads: the SQL and search bantin's queries need.

- `bantin_fold(text)` in SQL, the same `extract.text.fold` that `db.schema.connect` registers,
  so stored queries match names with or without diacritics exactly as `db.queries` does;
- every connection to the served database is `query_only`, a second lock on top of `?mode=ro`;
- the search box: `articles_fts` holds folded text and its tokenizer strips diacritics from the
  query but cannot turn "đ" into "d" (đ is a letter, not d with a mark), so `_search` values
  get đ -> d before Datasette sees them and "Đặng" finds what "dang" finds.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from extract.text import fold, nfc

# The name the database is served under (its URLs start /bantin/), whatever the file is called.
DATABASE = "bantin"


def bantin_fold(value):
    """`fold` for SQL, as `db.schema.connect` registers it: text folded, NULL and numbers kept."""
    return fold(value) if isinstance(value, str) else value


@hookimpl
def prepare_connection(conn, database, datasette):
    conn.create_function("bantin_fold", 1, bantin_fold, deterministic=True)
    if database == DATABASE:
        conn.execute("PRAGMA query_only = 1")


def search_term(value: str) -> str:
    """What the folded full-text index can match: NFC, đ -> d; case, marks and FTS syntax kept."""
    return nfc(value).replace("đ", "d").replace("Đ", "D")


def fold_search_params(query_string: bytes) -> bytes:
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    if not any(key == "_search" or key.startswith("_search_") for key, _ in pairs):
        return query_string
    pairs = [(key, search_term(value) if key == "_search" or key.startswith("_search_") else value)
             for key, value in pairs]
    return urlencode(pairs).encode()


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_folded_search(scope, receive, send):
            if scope.get("type") == "http" and scope.get("query_string"):
                scope = dict(scope, query_string=fold_search_params(scope["query_string"]))
            await app(scope, receive, send)
        return with_folded_search
    return wrap
