"""Shared fixtures: the demo portals served on loopback, registries pointing at them."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bantin.portal_server import DEMO_PORTALS, PortalServer
from scraper import registry

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def portal_server():
    with PortalServer(DEMO_PORTALS) as server:
        yield server


def write_registry(path: Path, server: PortalServer) -> Path:
    """A registry like sites.toml but with the running server's absolute URLs."""
    sites = registry.load(DEMO_PORTALS / "sites.toml", base_urls=server.base_urls)
    lines = []
    for s in sites:
        lines += ["[[site]]", f'id = "{s.id}"', f'name = "{s.name}"', f'unit = "{s.unit}"',
                  f'province = "{s.province}"', f'platform = "{s.platform}"',
                  "start_urls = [" + ", ".join(f'"{u}"' for u in s.start_urls) + "]",
                  "discovery = [" + ", ".join(f'"{d}"' for d in s.discovery) + "]",
                  "feeds = [" + ", ".join(f'"{u}"' for u in s.feeds) + "]",
                  "sitemaps = [" + ", ".join(f'"{u}"' for u in s.sitemaps) + "]", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def demo_registry(tmp_path, portal_server) -> Path:
    return write_registry(tmp_path / "sites.toml", portal_server)


def run_bantin(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """The real console command in a subprocess (Scrapy's reactor starts once per process)."""
    env = dict(os.environ, BANTIN_LOG_LEVEL="WARNING", BANTIN_CONTACT="tests@localhost")
    return subprocess.run([sys.executable, "-m", "bantin.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def db_rows(db_path: Path, sql: str, params=()) -> list[sqlite3.Row]:
    """Rows of a query on a SQLite file, by column name, the connection closed again."""
    con = sqlite3.connect(db_path)
    con.row_factory = sqlite3.Row
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()
