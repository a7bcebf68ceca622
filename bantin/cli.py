"""The `bantin` command line."""
from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

DEFAULT_DB = "bantin.db"


def _fail(message: str) -> None:
    raise click.ClickException(message)


def _open_db(path: str, readonly: bool = False):
    from db.schema import DatabaseError, connect

    try:
        return connect(path, readonly=readonly)
    except DatabaseError as exc:
        _fail(str(exc))


def _print_version(ctx: click.Context, _param, value: bool) -> None:
    """The package's version and the extraction rules' (articles.extractor_version), read only
    when asked: importing extract/ at start would slow every command."""
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    from extract.model import EXTRACTOR_VERSION
    click.echo(f"bantin, version {version('bantin')}; extraction rules {EXTRACTOR_VERSION}")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show bantin's version and its extraction rules' version, and exit.")
def main() -> None:
    """Crawl Vietnamese local-government news portals, extract officials, meetings,
    rankings and documents, and store them in SQLite."""


def _log_dir_option(func):
    return click.option("--log-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="Folder for the run's JSON-lines log (default: logs/ beside the database).")(func)


@main.command()
@click.option("--db", "db_path", default="bantin-demo.db", show_default=True, help="SQLite file to write.")
@click.option("--portals", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Directory of demo portals (default: the bundled tests/fixtures/portals).")
@_log_dir_option
def demo(db_path: str, portals: Path | None, log_dir: Path | None) -> None:
    """Serve the bundled demo portals on loopback, crawl them with Scrapy, extract, store,
    and print articles per site and who chaired each meeting."""
    from bantin.crawl import LOOPBACK_OVERRIDES
    from bantin.portal_server import DEMO_PORT, DEMO_PORTALS, PortalServer
    from scraper import registry

    root = portals or DEMO_PORTALS
    if not (root / "sites.toml").exists():
        _fail(f"no demo portals at {root} (expected {root / 'sites.toml'}); run from a source checkout")
    with _exclusive(db_path):
        _open_db(db_path).conn.close()  # fail early, before starting servers, on a bad --db
        with PortalServer(root, port=DEMO_PORT) as server:
            try:
                sites = registry.load(root / "sites.toml", base_urls=server.base_urls)
            except registry.RegistryError as exc:
                _fail(str(exc))
            for site in sites:
                click.echo(f"serving {site.id} at {server.base_urls[site.id]}", err=True)
            result = _run(sites, db_path, dict(LOOPBACK_OVERRIDES), None, log_dir, {"command": "demo"})
    db = _open_db(db_path, readonly=True)
    _print_summary(db, result)
    _print_facts(db)
    _exit_status(result)


@contextmanager
def _exclusive(db_path: str):
    """Hold the database's crawl lock, or leave at once with EXIT_LOCKED."""
    from bantin.lock import EXIT_LOCKED, LockHeld, hold

    try:
        with hold(db_path):
            yield
    except LockHeld as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_LOCKED)


def _run(sites, db_path: str, overrides: dict, since: date | None, log_dir: Path | None, options: dict):
    """One crawl with its JSON-lines log and its options recorded on the run row. The console shows
    warnings and up (BANTIN_LOG_LEVEL changes that); the log file has every record from INFO."""
    from bantin import runlog
    from bantin.crawl import run_crawl

    log_path = runlog.default_path(db_path, log_dir)
    recorded = {**options, "since": since.isoformat() if since else None, "settings": dict(overrides)}
    overrides = {"LOG_LEVEL": os.environ.get("BANTIN_LOG_LEVEL", "WARNING"), "BANTIN_RUN_OPTIONS": recorded,
                 **overrides}
    click.echo(f"log: {log_path}", err=True)
    return run_crawl(sites, db_path, overrides, since, log_path=log_path)


def _exit_status(result) -> None:
    from bantin.crawl import EXIT_ALL_FAILED

    if result.all_failed:
        click.echo("error: every site failed; nothing was fetched (see the faults above and the log)", err=True)
        sys.exit(EXIT_ALL_FAILED)


def _print_summary(db, result) -> None:
    """What the run did: totals, then one row per site from its run record (status, pages, new
    and changed articles, faults by kind), and the run id for `bantin runs`."""
    stats = result.stats
    pages = stats.get("bantin/pages/article", 0) + stats.get("bantin/pages/list", 0)
    click.echo(f"\nstored {pages} pages (unchanged list pages are not stored again); "
               f"new articles {stats.get('bantin/articles_new', 0)}, "
               f"updated {stats.get('bantin/articles_updated', 0)}, "
               f"extraction errors {stats.get('bantin/extract_errors', 0)}")
    if result.run:
        _print_run(db, result.run)


def _print_run(db, run: dict) -> None:
    from bantin.tables import render

    click.echo(f"\nrun {run['id']}: {run['status']}, started {run['started_at']}, finished "
               f"{run.get('finished_at') or '-'}; {run['pages']} pages, {run['new_articles']} new articles, "
               f"{run['errors']} faults")
    if run.get("log_path"):
        click.echo(f"log: {run['log_path']}")
    click.echo(render(_site_rows(db, run["id"]), _SITE_COLUMNS, {"faults": 60}))
    if run["status"] in ("errors", "failed"):
        click.echo(f"(details: bantin runs --db … --last 1 --json, or crawl_errors where run_id = {run['id']})")


_SITE_COLUMNS = ["site_id", "status", "pages", "list_pages", "article_pages", "new_articles", "changed_articles",
                 "errors", "faults"]


def _site_rows(db, run_id: int) -> list[dict]:
    """Per-site rows of a run, each with its faults by kind in one readable column."""
    from db import runs

    faults: dict[str, list[str]] = {}
    for row in runs.errors_by_kind(db, run_id):
        faults.setdefault(row["site_id"], []).append(f"{row['kind']} ×{row['count']}")
    return [{**row, "faults": ", ".join(faults.get(row["site_id"], []))} for row in runs.site_rows(db, run_id)]


def _print_facts(db) -> None:
    from bantin.tables import render
    from db.queries import articles_per_site, who_chaired

    click.echo()
    click.echo(render(articles_per_site(db), ["site", "name", "articles", "oldest", "newest"],
                      {"name": 45, "oldest": 10, "newest": 10}))
    rows = who_chaired(db)
    click.echo(f"\nmeetings and who chaired them ({len(rows)}):")
    click.echo(render(rows, ["date", "kind", "organizer", "chairs", "title"], {"title": 50, "organizer": 30}))


@main.command()
@click.option("--site", "site_ids", multiple=True, metavar="ID", help="Site id from the registry (repeatable); default all.")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to write.")
@click.option("--registry", "registry_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Registry TOML file (default: scraper/sites.toml).")
@click.option("--delay", type=click.FloatRange(min=0), default=None,
              help="Seconds between requests to one host (default 2 with AutoThrottle; 0 turns throttling off, "
                   "for servers you run yourself).")
@click.option("--since", default=None, callback=lambda ctx, p, v: date.fromisoformat(_valid_date(ctx, p, v)) if v else None,
              help="Skip articles listed before this date (YYYY-MM-DD) and stop paging once a list page holds "
                   "only older ones.")
@click.option("--refresh", is_flag=True,
              help="Fetch stored articles again (an edited text becomes a new revision) and list pages without "
                   "asking 'changed since?'. Without it only new articles are fetched.")
@_log_dir_option
def crawl(site_ids: tuple[str, ...], db_path: str, registry_path: Path | None, delay: float | None,
          since: date | None, refresh: bool, log_dir: Path | None) -> None:
    """Crawl sites from the registry into the database (obeys robots.txt, one request
    at a time per host). One run per database at a time; exits 3 when every site failed,
    75 when another run holds the database."""
    from scraper import registry

    try:
        sites = registry.select(registry.load(registry_path or registry.DEFAULT_REGISTRY), list(site_ids))
    except registry.RegistryError as exc:
        _fail(str(exc))
    if not sites:
        _fail("the registry lists no sites")
    if not os.environ.get("BANTIN_CONTACT"):
        click.echo("warning: BANTIN_CONTACT is not set; portals cannot tell who runs this crawler", err=True)
    from bantin.crawl import LOOPBACK_OVERRIDES

    overrides = dict(LOOPBACK_OVERRIDES if delay == 0 else ({"DOWNLOAD_DELAY": delay} if delay is not None else {}))
    if refresh:
        overrides["BANTIN_REFRESH"] = True
    options = {"command": "crawl", "sites": list(site_ids), "registry": str(registry_path or ""), "delay": delay,
               "refresh": refresh}
    with _exclusive(db_path):
        _open_db(db_path).conn.close()
        result = _run(sites, db_path, dict(overrides), since, log_dir, options)
    _print_summary(_open_db(db_path, readonly=True), result)
    _exit_status(result)


@main.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", default=None, help="The page's URL (recorded in the output).")
@click.option("--json", "as_json", is_flag=True, help="Print the extract JSON contract.")
@click.option("--unit", default=None, help="The publishing portal's own unit, e.g. 'xã Tân Thắng'.")
@click.option("--province", default=None, help="The publishing portal's province, e.g. 'tỉnh Bình Thuận'.")
@click.option("--part", "parts", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A later page of an article split over several pages (repeatable, in order).")
def extract_cmd(file: Path, url: str | None, as_json: bool, unit: str | None, province: str | None,
                parts: tuple[Path, ...]) -> None:
    """Extract the article and its facts from a saved HTML page or a plain-text
    article (first non-empty line taken as the title)."""
    import extract
    from bantin.inputs import InputError, load_article

    try:
        art = load_article(file, url, parts)
    except InputError as exc:
        _fail(str(exc))
    data = extract.to_json(art, extract.extract_all(art, unit, province))
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_extract(data)


def _print_extract(data: dict) -> None:
    click.echo(f"title:     {data['title']}")
    click.echo(f"published: {data['published']}")
    click.echo(f"author:    {data['author']}")
    for e in data["events"]:
        click.echo(f"event:     {e['kind']} {e['date']} by {e['organizer']}; chair: {', '.join(e['chairs']) or '-'}")
    for o in data["officials"]:
        click.echo(f"official:  {o['name']} ({'; '.join(o['titles'])}) {', '.join(o['roles'])} [{o['unit']}]")
    for u in data["units"]:
        click.echo(f"unit:      {u['name']} (parent {u['parent']})")
    for r in data["rankings"]:
        values = {k: r[k] for k in ("year", "unit", "rank", "of", "score", "grade", "progress_percent") if r[k] is not None}
        click.echo(f"ranking:   {r['index']} {values}")
    for d in data["documents"]:
        click.echo(f"document:  {d['number']} {d['kind']} {d['date']} {d['issuer']}")


@main.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to update.")
@click.option("--processes", type=click.IntRange(0, 64), default=None,
              help="Worker processes that read the pages (default: one per core but one; 0: none, "
                   "read in this process). Fewer than 50 pages a worker are read in this process.")
def reextract(db_path: str, processes: int | None) -> None:
    """Re-run extraction over the raw pages stored in the database (no re-crawl);
    each article's facts are replaced in one transaction."""
    if not Path(db_path).exists():
        _fail(f"no database at {db_path}")
    with _exclusive(db_path):  # never beside a crawl, which may be writing the same articles
        _reextract_all(_open_db(db_path), processes)


def _reextract_all(db, processes: int | None = None) -> None:
    from db import crawlstate
    from db.queries import raw_pages
    from db.store import mark_error, save_article
    from scraper import extraction

    sites = {row["id"]: row for row in db["sites"].rows}
    site_of = {row["id"]: row["site_id"] for row in raw_pages(db)}
    workers = extraction.worker_count(len(site_of), processes)
    done = failed = 0
    for outcome in extraction.read_all(extraction.jobs(db, list(site_of), sites), workers):
        error = outcome.error
        if error is None:
            article, facts, _canonical, _fingerprint = outcome.read
            try:
                with db.conn:
                    save_article(db, outcome.page_id, site_of[outcome.page_id], article,
                                 crawlstate.facts_to_keep(db, outcome.page_id, facts))
            except Exception as exc:  # rolled back whole; the page keeps its old article and facts
                error = f"{type(exc).__name__} while storing: {exc}"
        if error is not None:
            with db.conn:
                mark_error(db, outcome.page_id, error)
            failed += 1
        else:
            done += 1
    click.echo(f"re-extracted {done} articles, {failed} failed"
               + (f" ({workers} worker process{'es' if workers > 1 else ''})" if workers else ""))


def _emit(rows: list[dict], columns: list[str], fmt: str, limits: dict[str, int] | None = None,
          empty: str = "nothing found") -> None:
    """Rows as a table for people, or as JSON / CSV for programs."""
    import csv

    from bantin.tables import render

    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    elif not rows:
        click.echo(empty, err=True)
    else:
        click.echo(render(rows, columns, limits))


def _format_options(func):
    func = click.option("--csv", "fmt", flag_value="csv", help="Print rows as CSV.")(func)
    func = click.option("--json", "fmt", flag_value="json", help="Print rows as JSON.")(func)
    return func


def _valid_date(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


@main.command("who-chaired")
@click.argument("name", required=False)
@click.option("--unit", default=None, help="Only meetings organised in this unit (with or without diacritics).")
@click.option("--since", default=None, callback=_valid_date, help="Only meetings on or after this date (YYYY-MM-DD).")
@click.option("--until", default=None, callback=_valid_date, help="Only meetings on or before this date (YYYY-MM-DD).")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1),
              help="The newest meetings at the most (a part of a common name can match thousands).")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to read.")
@_format_options
def who_chaired_cmd(name: str | None, unit: str | None, since: str | None, until: str | None, limit: int,
                    db_path: str, fmt: str | None) -> None:
    """Meetings and who chaired them, newest first; NAME matches with or without diacritics."""
    from db.queries import who_chaired

    rows = who_chaired(_open_db(db_path, readonly=True), name, unit, since, until, limit=limit + 1)
    _emit(rows[:limit], ["date", "kind", "organizer", "chairs", "title", "url"], fmt, {"title": 50, "url": 70},
          "no meetings found")
    if len(rows) > limit:
        click.echo(f"only the newest {limit} meetings are shown; --limit N shows more", err=True)


@main.command("search")
@click.argument("text")
@click.option("--unit", default=None, help="Only articles of or about this unit (with or without diacritics).")
@click.option("--since", default=None, callback=_valid_date, help="Published on or after (YYYY-MM-DD).")
@click.option("--until", default=None, callback=_valid_date, help="Published on or before (YYYY-MM-DD).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="Results at the most.")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to read.")
@_format_options
def search_cmd(text: str, unit: str | None, since: str | None, until: str | None, limit: int, db_path: str,
               fmt: str | None) -> None:
    """Full-text search of titles and texts (and the names of an article's units), ranked, with a
    highlighted snippet; matches with or without diacritics ("dong chi" finds "Đồng chí"); any
    string is safe to type."""
    from db.search import search

    rows = search(_open_db(db_path, readonly=True), text, unit=unit, since=since, until=until, limit=limit)
    _emit(rows, ["published", "title", "snippet", "url"], fmt, {"title": 50, "snippet": 90, "url": 60},
          "no articles found")


@main.command("person")
@click.argument("name")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to read.")
@click.option("--json", "as_json", is_flag=True, help="Print the profile as JSON.")
def person_cmd(name: str, db_path: str, as_json: bool) -> None:
    """A person's posts over time and the meetings they chaired and attended, with the
    articles that say so; NAME matches with or without diacritics."""
    from bantin.tables import render
    from db.people import person_profile

    people = person_profile(_open_db(db_path, readonly=True), name)
    if as_json:
        click.echo(json.dumps(people, ensure_ascii=False, indent=2))
        return
    if not people:
        click.echo(f"nobody named {name!r} in the database", err=True)
        return
    for person in people:
        click.echo(f"\n{person['name']} ({person.get('unit') or 'unit unknown'}), "
                   f"seen {person.get('first_seen')} – {person.get('last_seen')}")
        click.echo(render(person["posts"], ["title", "unit", "first_seen", "last_seen", "articles"]))
        for key, label in (("chaired", "chaired"), ("attended", "attended")):
            if person.get(key):
                click.echo(f"\n{label}:")
                click.echo(render(person[key], ["date", "kind", "organizer", "title", "url"],
                                  {"title": 50, "url": 60}))


@main.command("rankings")
@click.option("--index", "index_name", default=None, help="CCHC, SIPAS, PAPI, PCI or DTI.")
@click.option("--unit", default=None, help="The ranked unit (with or without diacritics).")
@click.option("--province", default=None, help="Units of this province.")
@click.option("--year", default=None, type=int, help="The year assessed.")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to read.")
@_format_options
def rankings_cmd(index_name: str | None, unit: str | None, province: str | None, year: int | None, db_path: str,
                 fmt: str | None) -> None:
    """Index rankings (Chỉ số CCHC / PAR Index, SIPAS, PAPI, PCI, DTI) by unit and year."""
    from db.queries import rankings

    rows = rankings(_open_db(db_path, readonly=True), index_name, unit, province, year)
    _emit(rows, ["year", "index", "unit", "rank", "of", "score", "grade", "progress_percent", "title"], fmt,
          {"title": 50}, "no rankings found")


@main.command("export")
@click.argument("table_or_query")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "jsonl"]), default="csv", show_default=True,
              help="Output format (Parquet is not supported: load the CSV or the SQLite file instead).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to read.")
def export_cmd(table_or_query: str, fmt: str, output: Path | None, db_path: str) -> None:
    """Export a table, or the rows of a SELECT query, as CSV, JSON or JSON lines (the
    database is opened read-only; raw page bodies come out as base64)."""
    import base64
    import csv

    from db.queries import export_rows

    db = _open_db(db_path, readonly=True)
    try:
        rows = [{k: base64.b64encode(v).decode() if isinstance(v, bytes) else v for k, v in row.items()}
                for row in export_rows(db, table_or_query)]
    except (ValueError, Exception) as exc:  # a bad query reads as a clear error, never a traceback
        _fail(str(exc))
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "json":
            json.dump(rows, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        elif fmt == "jsonl":
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]) if rows else [], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    finally:
        if output:
            stream.close()


@main.command("stats")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to read.")
@_format_options
def stats_cmd(db_path: str, fmt: str | None) -> None:
    """What the database holds: rows per table and the span of publication dates."""
    from db.queries import stats

    _emit(stats(_open_db(db_path, readonly=True)), ["what", "count"], fmt)


def _run_records(db_path: str):
    """The database read-only, with a clear error when it predates run records."""
    db = _open_db(db_path, readonly=True)
    if not db["crawl_run_sites"].exists():
        _fail(f"{db_path} has no run records (schema older than version 6): run 'bantin crawl' on it first")
    return db


@main.command("health")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to read.")
@click.option("--runs", "last_runs", default=3, show_default=True, type=click.IntRange(1, 100),
              help="A site that gave nothing in this many finished runs in a row is listed.")
@click.option("--drop", default=0.5, show_default=True, type=click.FloatRange(0.01, 1.0),
              help="A site whose share of articles with a date, a body or a fact fell by this much is listed.")
@_format_options
def health_cmd(db_path: str, last_runs: int, drop: float, fmt: str | None) -> None:
    """Sites to look at: nothing from them for N runs, or an extraction yield that dropped
    (the signs of a moved host or a new layout). Exits 1 when any is listed, so cron can mail."""
    from db import runs

    problems = runs.health(_run_records(db_path), runs=last_runs, drop=drop)
    if fmt or problems:
        _emit(problems, ["site_id", "problem", "detail", "last_run", "since"], fmt, {"detail": 90})
    else:
        click.echo(f"healthy: no site gave nothing for {last_runs} runs and no yield fell by {drop:.0%} or more")
    if problems:
        sys.exit(1)


@main.command("runs")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to read.")
@click.option("--last", "last", default=1, show_default=True, type=click.IntRange(1, 1000),
              help="How many of the most recent runs to show.")
@_format_options
def runs_cmd(db_path: str, last: int, fmt: str | None) -> None:
    """Recent crawl runs, newest first: status, totals and log file, then per site pages, new
    and changed articles, extraction yield and faults by kind."""
    from bantin.tables import render
    from db import runs

    db = _run_records(db_path)
    recent = runs.recent_runs(db, last)
    if fmt == "json":
        out = [{**run, "sites": _json_or_none(run["sites"]), "options": _json_or_none(run["options"]),
                "site_rows": _site_rows(db, run["id"]), "faults": runs.errors_by_kind(db, run["id"])} for run in recent]
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        rows = [{"run_id": run["id"], "run_status": run["status"], "started_at": run["started_at"], **site}
                for run in recent for site in _site_rows(db, run["id"])]
        _emit(rows, ["run_id", "run_status", "started_at", *_SITE_COLUMNS, "with_date", "with_body", "with_fact"],
              "csv")
        return
    if not recent:
        click.echo("no crawl runs recorded yet", err=True)
        return
    click.echo(render(recent, ["id", "status", "started_at", "finished_at", "pages", "new_articles", "errors"]))
    for run in recent:
        _print_run(db, run)


def _json_or_none(text: str | None):
    try:
        return json.loads(text) if text else None
    except ValueError:
        return text


@main.command("serve")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite file to open (read-only).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
def serve_cmd(db_path: str, host: str, port: int) -> None:
    """Open the database read-only in Datasette, with every table and column described,
    facets, full-text search and stored queries (who chaired, a person's posts, rankings)."""
    from bantin.serve import run

    _open_db(db_path, readonly=True).conn.close()
    run(db_path, host, port)


@main.group("eval")
def eval_group() -> None:
    """Measure extraction against gold files."""


@eval_group.command("facts")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("text_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--floor", "floor_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON file of minimum F1 per field; exit 1 if any field falls below.")
@click.option("--details", is_flag=True, help="Also list, per article, the officials in the gold and those found.")
@click.option("--no-baseline", is_flag=True, help="Skip underthesea ner() (the slow baseline for names).")
def eval_facts(gold_dir: Path, text_dir: Path | None, as_json: bool, floor_path: Path | None, details: bool,
               no_baseline: bool) -> None:
    """Precision, recall and F1 per field of `bantin extract` against gold JSON in GOLD_DIR
    (NAME.json or NAME.expected.json), reading NAME.txt / NAME.html from TEXT_DIR (default
    GOLD_DIR); underthesea's ner() PER entities are scored beside as the baseline for names."""
    import extract
    from bantin import evaluation
    from bantin.inputs import InputError, load_article

    corpus = evaluation.load_corpus(gold_dir, text_dir)
    if not corpus:
        _fail(f"no gold JSON with a matching text or HTML file under {gold_dir}")
    report = evaluation.Report()
    for name, gold, source in corpus:
        try:
            art = load_article(source)
        except InputError as exc:
            _fail(f"{name}: {exc}")
        context = gold.get("context") or {}
        got = extract.to_json(art, extract.extract_all(art, context.get("site_unit"), context.get("site_province")))
        baseline = None if no_baseline else evaluation.ner_person_names(f"{art.title or ''}\n{art.text}")
        evaluation.score_article(gold, got, report, baseline)
    if as_json:
        click.echo(json.dumps(evaluation.as_dict(report), indent=2))
    else:
        click.echo(evaluation.render(report))
    if details:
        for row in report.details:
            click.echo(f"\n{row['article']}")
            click.echo("  gold:  " + ("; ".join(f"{n} ({', '.join(r)})" for n, r in row["gold_officials"]) or "-"))
            click.echo("  found: " + ("; ".join(f"{n} ({', '.join(r)})" for n, r in row["found_officials"]) or "-"))
    if floor_path:
        failures = evaluation.below_floor(report, json.loads(floor_path.read_text())["facts"])
        if failures:
            _fail("below the floor: " + "; ".join(failures))


@eval_group.command("pages")
@click.argument("portals_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--floor", "floor_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON file of minimum scores; exit 1 if bantin falls below.")
@click.option("--no-trafilatura", is_flag=True, help="Score bantin only (trafilatura and htmldate not needed).")
def eval_pages(portals_dir: Path | None, as_json: bool, floor_path: Path | None, no_trafilatura: bool) -> None:
    """Page extraction on the fixture web (default: the bundled demo portals) against each
    page's expected JSON, per platform: title and publication-time exact-match rates, body
    token precision/recall/F1, boilerplate leak rate; for bantin with auto-detected layouts,
    bantin's generic layout alone, and trafilatura + htmldate side by side."""
    from bantin import page_eval
    from bantin.portal_server import DEMO_PORTALS
    from scraper.reading import decode_html

    import extract

    portals = portals_dir or DEMO_PORTALS
    pages = page_eval.load_pages(portals)
    if not pages:
        _fail(f"no article pages with expected JSON under {portals}")
    systems = ["bantin", "bantin-generic"] + ([] if no_trafilatura else ["trafilatura"])
    if "trafilatura" in systems:
        try:
            import htmldate
            import trafilatura
        except ImportError:
            _fail("trafilatura and htmldate are not installed: pip install -e '.[test]' (or use --no-trafilatura)")
    raw = {path: path.read_bytes() for _, _, path, _ in pages}
    html = {path: decode_html(body, None) for path, body in raw.items()}
    repeated = page_eval.repeated_lines(pages, {p: page_eval.visible_lines(h) for p, h in html.items()})
    scores: dict[str, dict[str, page_eval.PageScore]] = {s: {} for s in systems}
    for site_id, platform, path, expected in pages:
        url = "http://portal.test" + expected["url_path"]
        results = {}
        later = tuple(decode_html(p.read_bytes(), None)
                      for p in page_eval.continuation_files(portals / site_id, html[path], url))
        auto = extract.article(html[path], url, continuations=later)
        results["bantin"] = (auto.title, auto.published_iso, auto.text)
        generic = extract.article(html[path], url, platform="generic", continuations=later)
        results["bantin-generic"] = (generic.title, generic.published_iso, generic.text)
        if "trafilatura" in systems:
            doc = trafilatura.bare_extraction(raw[path], url=url, with_metadata=True, include_tables=True,
                                              include_comments=False)
            found = htmldate.find_date(raw[path], extensive_search=True, original_date=True,
                                       outputformat="%Y-%m-%dT%H:%M:%S")
            results["trafilatura"] = (getattr(doc, "title", None), f"{found}+07:00" if found else None,
                                      getattr(doc, "text", None))
        for system, (title, published, text) in results.items():
            one = page_eval.score(expected, title, published, text, repeated.get(site_id, set()))
            scores[system].setdefault(platform, page_eval.PageScore()).add(one)
    table = {system: {platform: s.row() for platform, s in by.items()} for system, by in scores.items()}
    for system, by in scores.items():
        total = page_eval.PageScore()
        for s in by.values():
            total.add(s)
        table[system]["all"] = total.row()
    if as_json:
        click.echo(json.dumps(table, indent=2))
    else:
        _print_page_table(table)
    if floor_path:
        failures = []
        for system, minimums in json.loads(floor_path.read_text())["pages"].items():
            row = table.get(system, {}).get("all", {})
            for key, minimum in minimums.items():
                if key == "leak_rate_max":
                    if row.get("leak_rate", 1.0) > minimum:
                        failures.append(f"{system} leak rate {row.get('leak_rate')} > {minimum}")
                elif row.get(key, 0.0) + 1e-9 < minimum:
                    failures.append(f"{system} {key} {row.get(key, 0.0):.3f} < {minimum}")
        if failures:
            _fail("below the floor: " + "; ".join(failures))


def _print_page_table(table: dict) -> None:
    header = f"{'system':<15} {'platform':<16} {'pages':>5} {'title':>6} {'day':>6} {'time':>6} {'body P':>7} " \
             f"{'body R':>7} {'body F1':>7} {'leaks':>6}"
    click.echo(header)
    for system, by in table.items():
        for platform, r in sorted(by.items(), key=lambda kv: (kv[0] == "all", kv[0])):
            click.echo(f"{system:<15} {platform:<16} {r['pages']:>5} {r['title']:>6.3f} {r['published_day']:>6.3f} "
                       f"{r['published_time']:>6.3f} {r['body_precision']:>7.3f} {r['body_recall']:>7.3f} "
                       f"{r['body_f1']:>7.3f} {r['leak_rate']:>6.3f}")


if __name__ == "__main__":
    sys.exit(main())
