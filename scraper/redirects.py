"""Redirect loops as faults. A portal that sends A -> B -> A (an ASP.NET cookie check without
cookies, a login wall) never answers; Scrapy's RedirectMiddleware would schedule A again and
the duplicate filter would drop it without a word, so the page vanished from the run
unrecorded. This middleware sees each redirect first and stops a chain that comes back to a
URL it already visited, with an IgnoreRequest that scraper.runs.fault_kind calls 'redirect-loop'.
Chains that never repeat still end at REDIRECT_MAX_TIMES ("max redirections reached", the same kind).
"""
from __future__ import annotations

from urllib.parse import urljoin, urldefrag

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from w3lib.url import safe_url_string

REDIRECTS = (301, 302, 303, 307, 308)


def redirect_target(request: Request, response: Response) -> str | None:
    location = response.headers.get(b"Location")
    if response.status not in REDIRECTS or not location:
        return None
    return urldefrag(urljoin(request.url, safe_url_string(location.decode("latin-1"))))[0]


class RedirectLoopMiddleware:
    """Placed after RedirectMiddleware in DOWNLOADER_MIDDLEWARES (a higher number), so that its
    process_response runs before RedirectMiddleware builds the next request."""

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        target = redirect_target(request, response)
        if target is None:
            return response
        chain = [urldefrag(url)[0] for url in (*request.meta.get("redirect_urls", ()), request.url)]
        if target in chain:
            raise IgnoreRequest(f"redirect loop: {request.url} -> {target}, already on this redirect chain")
        return response
