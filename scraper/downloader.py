"""Scrapy's downloader, with a host's concurrency kept when it has no delay between requests.

Under the asyncio reactor Scrapy (measured on 2.19) counts a request as transferring only when
its download task starts running, after the slot's queue loop has finished; with no delay the
loop does not stop after one request, so every request queued for a host leaves at once
(CONCURRENT_REQUESTS_PER_DOMAIN = 1 gave three at a time). With a delay the loop stops after
one request, which is why a normal crawl (DOWNLOAD_DELAY 2) never showed it; `bantin crawl
--delay 0` did.
"""
from __future__ import annotations

from scrapy.core.downloader import Downloader


class OneSlotDownloader(Downloader):
    """Counts a request as transferring the moment the queue hands it out."""

    def _wait_for_download(self, slot, request, queue_dfd):  # returns Scrapy's coroutine, not awaited here
        slot.transferring.add(request)  # Scrapy's _download adds it again (a set) and removes it when done
        return super()._wait_for_download(slot, request, queue_dfd)
