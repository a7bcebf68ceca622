"""The crawl turns off Scrapy's per-response check for generator callbacks that return a value
(WARN_ON_GENERATOR_RETURN_VALUE, which re-parsed the callback's source for every page): this
makes the same check once, over every callback PortalSpider hands to Scrapy. Such a return
value is silently dropped by Scrapy, so a callback that has one loses what it meant to yield."""
from __future__ import annotations

import inspect

import pytest
from scrapy.utils.misc import is_generator_with_return_value

from scraper import settings
from scraper.spiders.portal import PortalSpider

CALLBACKS = sorted(name for name, member in inspect.getmembers(PortalSpider, inspect.isfunction)
                   if name.startswith("parse_") or name == "on_error")


def test_the_spider_has_the_callbacks_this_file_checks():
    assert {"parse_list", "parse_article", "parse_part", "on_error"} <= set(CALLBACKS)


@pytest.mark.parametrize("name", CALLBACKS)
def test_no_callback_is_a_generator_that_returns_a_value(name):
    assert not is_generator_with_return_value(getattr(PortalSpider, name))


def test_the_check_finds_a_generator_that_returns_a_value():
    def parse_list(response):
        yield response
        return "lost"

    assert is_generator_with_return_value(parse_list)


def test_scrapys_check_for_every_response_is_off():
    assert settings.WARN_ON_GENERATOR_RETURN_VALUE is False
