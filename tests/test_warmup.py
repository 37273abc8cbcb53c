"""Cache warm-up after an import (issue 15, item 6): once ui/warmup.py has
run, the first visit of each page makes no engine read of its own, so it
only draws. Fails when a page reads something with defaults the warm-up
does not know (then that page's first visit after an import computes again)."""

import pytest
from apptest_support import start

from ui import cached, warmup

PAGES = [name for name, _ in warmup.PAGES if name != "sidebar"]


@pytest.fixture
def reads(monkeypatch):
    """The engine reads made (cache misses reach ui/cached._READS), by name."""
    made = []
    for key, fn in list(cached._READS.items()):
        def counted(*args, _fn=fn, _key=key):
            made.append(_key.rsplit(".", 1)[-1])
            return _fn(*args)
        monkeypatch.setitem(cached._READS, key, counted)
    return made


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_after_the_warm_up_every_page_draws_from_the_cache(app_db, reads, lang):
    warmup.warm(app_db, "demo", "nl" if lang == "en" else "en")  # the page's language comes second
    assert "build" in reads and "theme_table" in reads and "cases" in reads, reads
    for page in PAGES:
        for _ in range(2):  # the follow-up page's reads are keyed on the minute: retry once across a minute's end
            clock = warmup.clock()
            warmup.warm(app_db, "demo", "nl" if lang == "en" else "en")
            reads.clear()
            at = start("" if page == "start" else page, lang=lang, dataset="demo")
            if warmup.clock() == clock:
                break
        assert not at.exception and not at.error
        assert reads == [], f"{page}: first visit computed {reads}"
