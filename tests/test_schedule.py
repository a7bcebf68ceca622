"""Scheduling: one run per database (flock), exit statuses, the JSON-lines log of a run, the
progress output in and out of a terminal, and the deploy/ files."""
from __future__ import annotations

import io
import json
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.signalmanager import SignalManager

from bantin import lock
from bantin.cli import main
from bantin.crawl import EXIT_ALL_FAILED
from bantin.progress import Progress, SiteState, site_line, status_line
from conftest import ROOT, run_bantin
from db import connect

DEPLOY = ROOT / "deploy"
FETCHED_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ site (\S+) fetched: (\d+) pages, (\d+) errors$")
PLAIN_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ site (\S+) done: (\d+) pages, (\d+) new articles, "
                        r"(\d+) errors \((\S+)\)$")


# --- the lock

def test_a_second_run_refuses_while_the_lock_is_held(tmp_path, demo_registry):
    db_path = tmp_path / "locked.db"
    with lock.hold(db_path):
        result = run_bantin("crawl", "--registry", str(demo_registry), "--db", str(db_path), "--delay", "0",
                            timeout=60)
        demo = run_bantin("demo", "--db", str(db_path), timeout=60)
    for refused in (result, demo):
        assert refused.returncode == lock.EXIT_LOCKED, refused.stderr[-2000:]
        assert f"another bantin run is using {db_path} (pid " in refused.stderr
    assert not db_path.exists()  # refused before opening the database


def test_reextract_waits_for_no_crawl(tmp_path):
    db_path = tmp_path / "busy.db"
    connect(db_path).conn.close()
    with lock.hold(db_path):
        refused = run_bantin("reextract", "--db", str(db_path), timeout=60)
    assert refused.returncode == lock.EXIT_LOCKED, refused.stderr[-2000:]
    assert "another bantin run is using" in refused.stderr
    done = run_bantin("reextract", "--db", str(db_path), timeout=60)
    assert done.returncode == 0 and "re-extracted 0 articles" in done.stdout


def test_the_lock_is_held_while_held_and_free_after():
    with pytest.raises(lock.LockHeld):
        with lock.hold("/tmp/bantin-test-nested.db"):
            with lock.hold("/tmp/bantin-test-nested.db"):
                pass
    with lock.hold("/tmp/bantin-test-nested.db"):
        pass


def test_a_killed_holder_never_blocks_the_next_run(tmp_path):
    db_path = tmp_path / "k.db"
    code = ("import sys, time; from bantin import lock\nwith lock.hold(sys.argv[1]):\n"
            "    print('held', flush=True); time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(db_path)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(lock.LockHeld, match=f"pid {holder.pid} since"):
        with lock.hold(db_path):
            pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    with lock.hold(db_path):  # the kernel released it with the process
        pass


# --- exit status, log and plain progress lines of real crawls

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_site_failing_exits_3(tmp_path):
    registry = tmp_path / "dead.toml"
    registry.write_text(f'[[site]]\nid = "dead"\nname = "Nobody home"\nplatform = "generic"\n'
                        f'start_urls = ["http://127.0.0.1:{_free_port()}/tin-tuc/"]\n', encoding="utf-8")
    db_path = tmp_path / "dead.db"
    result = run_bantin("crawl", "--registry", str(registry), "--db", str(db_path), "--delay", "0", timeout=120)
    assert result.returncode == EXIT_ALL_FAILED, result.stderr[-3000:]
    assert "every site failed" in result.stderr
    con = sqlite3.connect(db_path)
    status, = con.execute("SELECT status FROM crawl_runs").fetchone()
    con.close()
    assert status == "failed"
    assert re.search(r"^dead\s+(failed|robots-unavailable)\s+0\s", result.stdout, re.M), result.stdout


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory, portal_server):
    from conftest import write_registry

    folder = tmp_path_factory.mktemp("scheduled")
    registry = write_registry(folder / "sites.toml", portal_server)
    db_path = folder / "night.db"
    result = run_bantin("crawl", "--registry", str(registry), "--db", str(db_path), "--delay", "0",
                        "--site", "xa-demo", "--site", "wp-demo", "--log-dir", str(folder / "runlogs"))
    return result, db_path, folder / "runlogs"


def test_demo_registry_exits_0_with_a_summary(demo_crawl):
    result, db_path, _ = demo_crawl
    assert result.returncode == 0, result.stderr[-3000:]
    run_id = re.search(r"^run (\d+): (ok|errors), started ", result.stdout, re.M)  # a fault on a site is not fatal
    assert run_id, result.stdout
    rows = {m.group(1): m.group(0)
            for m in re.finditer(r"^(xa-demo|wp-demo)\s+(ok|errors)\s+\d+.*$", result.stdout, re.M)}
    assert set(rows) == {"xa-demo", "wp-demo"}


def test_each_run_has_a_json_lines_log(demo_crawl):
    result, db_path, log_dir = demo_crawl
    logs = list(log_dir.glob("bantin-*.jsonl"))
    assert len(logs) == 1 and re.fullmatch(r"bantin-\d{8}T\d{6}Z\.jsonl", logs[0].name)
    records = [json.loads(line) for line in logs[0].read_text(encoding="utf-8").splitlines()]
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert records[0]["event"] == "run-start" and records[0]["detail"]["sites"] == ["xa-demo", "wp-demo"]
    con = sqlite3.connect(db_path)
    run_id, log_path, status = con.execute("SELECT id, log_path, status FROM crawl_runs").fetchone()
    con.close()
    assert records[-1]["event"] == "run-end" and records[-1]["run_id"] == run_id and records[-1]["status"] == status
    assert status in ("ok", "errors")
    assert Path(log_path) == logs[0]
    fetched = [r for r in records if r["message"].startswith("Crawled (200)")]
    assert fetched and all(r["site"] in ("xa-demo", "wp-demo") and r["url"].startswith("http://127.") for r in fetched)
    assert f"log: {logs[0]}" in result.stderr


def test_plain_lines_when_not_a_terminal(demo_crawl):
    result, db_path, _ = demo_crawl
    done = [PLAIN_LINE.match(line) for line in result.stderr.splitlines() if " done: " in line]
    assert all(done), [line for line in result.stderr.splitlines() if " done: " in line]
    assert sorted(m.group(1) for m in done) == ["wp-demo", "xa-demo"]
    con = sqlite3.connect(db_path)
    stored = {row[0]: row[1:] for row in con.execute("SELECT site_id, new_articles, status FROM crawl_run_sites")}
    con.close()
    assert {m.group(1): (int(m.group(3)), m.group(5)) for m in done} == stored
    assert all(new > 0 for new, _ in stored.values())  # the lines come after the extraction pass
    fetched = [FETCHED_LINE.match(line) for line in result.stderr.splitlines() if " fetched: " in line]
    assert all(fetched) and sorted(m.group(1) for m in fetched) == ["wp-demo", "xa-demo"]
    assert "\r" not in result.stderr and "\x1b[" not in result.stderr


# --- the terminal line

def test_status_line_in_a_terminal():
    sites = [SiteState("xa-demo", pages=12, new_articles=5, errors=1, done=True),
             SiteState("wp-demo", pages=3, new_articles=2, seen=4, inflight={1}),
             SiteState("tinh-demo", pages=0, seen=1), SiteState("a", seen=1), SiteState("b", seen=1),
             SiteState("never-started")]
    line = status_line(sites, 75.4, width=200)
    assert line == ("1m15s  pages 15  new articles 7  errors 1  sites done 1/6  "
                    "running: wp-demo, tinh-demo, a +1")
    assert status_line(sites, 3 * 3600 + 5 * 60, width=40) == "3h05m  pages 15  new articles 7  error…"
    assert len(status_line(sites, 1, width=40)) == 39  # never wraps onto a second line


def test_status_line_before_the_run_records_say_what_is_new():
    line = status_line([SiteState("x", pages=4, seen=1)], 9, {"bantin/articles_new": 3})
    assert line.startswith("0m09s  pages 4  new articles 3  errors 0  sites done 0/1")


def test_site_line_under_cron():
    when = datetime(2026, 1, 2, 18, 30, 5, tzinfo=timezone.utc)
    state = SiteState("xa-demo", pages=15, new_articles=12, errors=2, status="errors")
    assert site_line(state, when) == "2026-01-02T18:30:05Z site xa-demo done: 15 pages, 12 new articles, 2 errors (errors)"
    assert PLAIN_LINE.match(site_line(state, when))


# --- deploy/

def _unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """systemd's INI dialect: sections of keys that may repeat."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, sep, value = line.partition("=")
        assert sep and current is not None, f"{path.name}: not a key=value line: {raw!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def _check_bantin_command(argv: list[str]) -> None:
    """The arguments parse as a real bantin command with real options (click raises otherwise)."""
    command = main.get_command(None, argv[0])
    assert command is not None, f"no such command: bantin {argv[0]}"
    command.make_context(argv[0], argv[1:], resilient_parsing=False)


def _bantin_invocations(shell: str) -> list[list[str]]:
    lexer = shlex.shlex(shell, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = list(lexer)
    found = []
    for i, token in enumerate(tokens):
        if token.endswith("/.venv/bin/bantin"):
            args = []
            for arg in tokens[i + 1:]:
                if arg in (">>", ">", "2>&1", "||", "&&", ";", "|", ")", "}") or re.fullmatch(r"[;|&<>()]+", arg):
                    break
                args.append(arg)
            found.append(args)
    return found


def test_systemd_units_have_what_a_nightly_run_needs():
    service = _unit(DEPLOY / "bantin-crawl.service")["Service"]
    for key, value in {"Type": "oneshot", "User": "bantin", "WorkingDirectory": "/var/lib/bantin",
                       "IOSchedulingClass": "idle"}.items():
        assert service[key] == [value], key
    assert any(v.startswith("BANTIN_CONTACT=") for v in service["Environment"])
    assert int(service["Nice"][0]) > 0 and service["TimeoutStartSec"][0].endswith("h")
    for key in ("ExecStart", "ExecStopPost"):
        argv = shlex.split(service[key][0].lstrip("-"))
        assert argv[0] == "/opt/bantin/.venv/bin/bantin"
        _check_bantin_command(argv[1:])
    assert shlex.split(service["ExecStart"][0])[1] == "crawl"
    timer = _unit(DEPLOY / "bantin-crawl.timer")
    assert timer["Timer"]["Persistent"] == ["true"] and timer["Timer"]["RandomizedDelaySec"]
    assert timer["Timer"]["OnCalendar"][0].startswith("*-*-* ") and timer["Install"]["WantedBy"] == ["timers.target"]
    assert timer["Timer"]["Unit"] == ["bantin-crawl.service"]


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_analyze_verifies_the_units(tmp_path):
    for name in ("bantin-crawl.service", "bantin-crawl.timer"):  # the checkout under test stands in for /opt/bantin
        (tmp_path / name).write_text((DEPLOY / name).read_text().replace("/opt/bantin", str(ROOT)))
    result = subprocess.run(["systemd-analyze", "verify", "bantin-crawl.timer", "bantin-crawl.service"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_cron_line_runs_real_bantin_commands():
    lines = [line for line in (DEPLOY / "bantin.cron").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    env = dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z_]+=", line))
    assert env["BANTIN_CONTACT"] and env["MAILTO"]
    jobs = [line for line in lines if not re.match(r"^[A-Z_]+=", line)]
    assert len(jobs) == 1
    fields = jobs[0].split(None, 6)
    assert all(re.fullmatch(r"[\d*,/-]+", f) for f in fields[:5]) and fields[5] == "bantin"
    assert "%" not in fields[6]  # cron would turn it into a newline
    invocations = _bantin_invocations(fields[6])
    assert [argv[0] for argv in invocations] == ["crawl", "health"]
    for argv in invocations:
        _check_bantin_command(argv)
    assert "flock" not in fields[6]  # bantin's own lock does that job


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty", [True, False])
def test_the_extraction_pass_shows_its_progress(tty):
    stream = _Stream(tty)
    progress = Progress(_Crawler(), ["a"], stream=stream)
    for done in range(0, 1001, 100):
        progress.extracting(done, 1000, done // 2)
    out = stream.getvalue()
    if tty:  # throttled, but the first and the last are always shown
        assert out.startswith("\r") and "extracting 0/1,000 pages  new articles 0" in out
        assert out.endswith("extracting 1,000/1,000 pages  new articles 500\x1b[K")
    else:  # under cron: one line as it starts; the sites' lines at the end say what it found
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ extracting 1,000 pages\n", out)


class _Crawler:
    """What Progress uses of a crawler: its signals (no run records, no stats)."""

    def __init__(self) -> None:
        self.signals = SignalManager()
        self.stats = None


@pytest.mark.parametrize("tty", [True, False])
def test_a_site_is_done_after_its_requests_are_over_for_two_ticks(tty):
    stream = _Stream(tty)
    progress = Progress(_Crawler(), ["a", "b"], stream=stream)
    first, second = Request("http://a.test/1", meta={"site_id": "a"}), Request("http://a.test/2", meta={"site_id": "a"})
    progress.scheduled(first)
    progress.scheduled(second)
    progress.left(first, status=200)
    progress.tick()
    progress.tick()
    assert not progress.sites["a"].done  # one request still in flight
    progress.left(second, failed=True)
    progress.tick()
    assert not progress.sites["a"].done  # its callback may still be about to ask for more
    progress.tick()
    assert progress.sites["a"].done and not progress.sites["b"].done  # 'b' has not started
    out = stream.getvalue()
    if tty:
        assert out.count("\r") == 4 and out.endswith("pages 1  new articles 0  errors 1  sites done 1/2\x1b[K")
    else:
        assert FETCHED_LINE.fullmatch(out.rstrip("\n")) and out.count("\n") == 1  # "done" lines come at the end
