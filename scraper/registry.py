"""The site registry: one declarative entry per portal (Fundus-style)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

DEFAULT_REGISTRY = Path(__file__).with_name("sites.toml")


class RegistryError(ValueError):
    pass


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    unit: str | None
    province: str | None
    platform: str
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...] = field(default=())
    verified: bool = False
    discovery: tuple[str, ...] = ("list",)  # any of: list, feed, sitemap, api
    feeds: tuple[str, ...] = ()  # overrides the platform's feed URLs
    sitemaps: tuple[str, ...] = ()  # overrides the platform's sitemap URLs

    @property
    def home_url(self) -> str:
        first = urlsplit(self.start_urls[0])
        return f"{first.scheme}://{first.netloc}/"

    def owns(self, url: str) -> bool:
        return urlsplit(url).netloc.lower() in self.allowed_hosts

    def as_row(self) -> dict:
        return {"id": self.id, "name": self.name, "unit": self.unit, "province": self.province,
                "platform": self.platform, "home_url": self.home_url}


def _site(entry: dict, base_url: str | None, source: str) -> Site:
    missing = [k for k in ("id", "name", "platform", "start_urls") if not entry.get(k)]
    if missing:
        raise RegistryError(f"{source}: site {entry.get('id', '?')!r} lacks {', '.join(missing)}")
    urls = []
    for url in entry["start_urls"]:
        if base_url is not None and not urlsplit(url).scheme:
            url = urljoin(base_url, url)
        if urlsplit(url).scheme not in ("http", "https"):
            raise RegistryError(f"{source}: site {entry['id']!r} start URL {url!r} is not http(s)")
        urls.append(url)
    hosts = {urlsplit(u).netloc.lower() for u in urls} | {h.lower() for h in entry.get("hosts", [])}
    discovery = tuple(entry.get("discovery", ["list"]))
    unknown = set(discovery) - {"list", "feed", "sitemap", "api"}
    if unknown:
        raise RegistryError(f"{source}: site {entry['id']!r} has unknown discovery mode(s) {sorted(unknown)}")
    base = urls[0]
    return Site(entry["id"], entry["name"], entry.get("unit"), entry.get("province"), entry["platform"],
                tuple(urls), tuple(sorted(hosts)), bool(entry.get("verified", False)), discovery,
                tuple(urljoin(base, u) for u in entry.get("feeds", [])),
                tuple(urljoin(base, u) for u in entry.get("sitemaps", [])))


def load(path: str | Path = DEFAULT_REGISTRY, base_urls: dict[str, str] | None = None) -> list[Site]:
    """Read a registry file; `base_urls` maps site id to the base for relative start URLs."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"registry file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path} is not valid TOML: {exc}") from None
    sites = [_site(e, (base_urls or {}).get(e.get("id")), str(path)) for e in data.get("site", [])]
    ids = [s.id for s in sites]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise RegistryError(f"{path}: duplicate site ids {sorted(dupes)}")
    return sites


def select(sites: list[Site], ids: list[str] | tuple[str, ...]) -> list[Site]:
    if not ids:
        return sites
    known = {s.id: s for s in sites}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise RegistryError(f"unknown site id(s): {', '.join(unknown)}; known: {', '.join(sorted(known)) or 'none'}")
    return [known[i] for i in ids]
