"""Cache warm-up after an import (issue 15, item 6): once ui/warmup.py has
run, the first visit of each page makes no engine read of its own, so it
only draws. Fails when a page reads something with defaults the warm-up
does not know (then that page's first visit after an import computes again)."""

import logging

import pytest
from apptest_support import start

from ui import navigation, warmup

PAGES = [p.url for p in navigation.warmed()]


@pytest.fixture
def reads(caplog):
    """The engine reads made: ui/cached logs each cache miss."""
    caplog.set_level(logging.DEBUG, logger="ui.cached")
    return caplog


def made(caplog) -> list[str]:
    return [r.getMessage().removeprefix("computing ") for r in caplog.records if r.name == "ui.cached"]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_after_the_warm_up_every_page_draws_from_the_cache(app_db, reads, lang):
    warmup.warm(app_db, "demo", "nl" if lang == "en" else "en")  # the page's language comes second
    assert {f"{p.view.__module__}.build" for p in navigation.warmed()} <= set(made(reads)), made(reads)
    for page in PAGES:
        for _ in range(2):  # the follow-up page's reads are keyed on the minute: retry once across a minute's end
            clock = warmup.clock()
            warmup.warm(app_db, "demo", "nl" if lang == "en" else "en")
            reads.clear()
            at = start("" if page == "start" else page, lang=lang, dataset="demo")
            if warmup.clock() == clock:
                break
        assert not at.exception and not at.error
        assert made(reads) == [], f"{page}: first visit computed {made(reads)}"
