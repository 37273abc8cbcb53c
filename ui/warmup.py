"""Cache warm-up: when a run sees a data version it has not warmed yet (the
server's first run, or the first after an import), a background thread makes
the reads of every page's default view through ui/cached.py, so the first
visit of a page after an import finds them cached instead of computing them
while the visitor waits. The thread starts after the page is drawn and
nobody waits for it; a page visited before it got there computes its reads
itself (Streamlit computes each value once: a read in progress is waited for,
not repeated).

The defaults here are those the pages draw with before anyone touches a
widget; tests/test_warmup.py checks that after a warm-up each page makes no
read of its own, so a page that changes its defaults without this file fails
there.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from typing import Callable

from nps_core.analysis import periods
from nps_core.analysis import themes as themes_engine
from nps_core.analysis.filters import Filters
from nps_core.analysis.verbatims import Query
from nps_core.base.i18n import LANGUAGES
from nps_core.db import lifecycle
from nps_core.db.store import Store
from nps_core.followup.loop import OPEN
from ui import cached

log = logging.getLogger(__name__)

ENV = "NPS_WARMUP"  # "0": no warm-up (the tests' default: each test then sees only its own reads)
MAX_DATASETS = 4  # warm the visitor's dataset and a few others, not a whole lake's worth
_lock = threading.Lock()
_warmed: set[tuple] = set()  # (file, data version, reader scope, dataset) already warmed or under way


def default_filters(store: Store, dataset: str) -> Filters:
    """The sidebar's filters before anyone touches them (ui/state.py): the
    latest month with data, every programme type, no segment."""
    _, last = cached.data_range(store, dataset)
    start, end = periods.month_range(last)
    return Filters(dataset=dataset, date_from=start, date_to=end)


def clock() -> tuple[dt.datetime, dt.datetime]:
    """The follow-up page's "now" (to the minute: overdue) and hour (thank-you preview): cache keys."""
    now = dt.datetime.now().replace(second=0, microsecond=0)
    return now, now.replace(minute=0)


def _sidebar(store: Store, f: Filters, L: str) -> None:
    cached.pending_analysis(store)  # every page's header asks (ui/analysis.py)
    for dimension in cached.dimensions(store, f.dataset):
        cached.dimension_values(store, Filters(dataset=f.dataset), dimension)


def _overview(store: Store, f: Filters, L: str) -> None:
    cached.overview(store, f)


def _evolution(store: Store, f: Filters, L: str) -> None:
    cached.trend(store, f, periods.default_grain(f.date_from, f.date_to), None)


def _segments(store: Store, f: Filters, L: str) -> None:
    options = cached.dimensions(store, f.dataset)
    useful = [d for d in options if not cached.breakdown(store, f, d, False).empty]
    cached.breakdown(store, f, useful[0] if useful else "nps_type")
    cached.verbatims_page(store, f, Query(), 8, 0)


def _themes(store: Store, f: Filters, L: str) -> None:
    table = cached.theme_table(store, f, L)
    cached.uncaught_share(store, f)
    cached.taxonomy_current(store, f.dataset)
    cached.theme_fit(store, f)
    if table.empty:
        cached.discovered_topics(store, f, 15)
        return
    cached.action_points(store, f, table)
    cached.key_drivers(store, f, L)
    cached.effort_estimates(store, f.dataset)
    window, grain = themes_engine.trend_window(f, 12)
    cached.theme_shares(store, window, grain, L)
    dims = cached.dimensions(store, f.dataset)
    if dims:
        cached.themes_by_segment(store, f, dims[0], L)
    cached.sentiment_by_category(store, f, L)
    cached.representative_verbatims(store, f, table["theme"].iloc[0], 5)
    cached.discovered_topics(store, f, 15)
    cached.emerging_topics(store, f, 15)
    for kind in ("promoter", "detractor"):
        cached.mismatches(store, f, kind, 3)


def _verbatims(store: Store, f: Filters, L: str) -> None:
    cached.verbatims_count(store, f, Query())
    cached.verbatims_page(store, f, Query(), 25, 0)


def _followup(store: Store, f: Filters, L: str) -> None:
    now, hour = clock()
    cached.loop_figures(store, f)
    cached.taxonomy_current(store, f.dataset)
    cached.case_counts(store, f, now)
    for row in cached.cases(store, f, tuple(OPEN), 10, 0, now).itertuples(index=False):
        cached.case_history(store, f.dataset, row.response_id)
    cached.promoter_count(store, f)
    cached.promoters(store, f, False)
    cached.thank_preview(store, f.dataset, 7, hour, 3)
    cached.thank_templates(store)
    cached.thank_daily_cap(store)
    cached.thank_optouts(store)
    cached.alert_rules(store)


def _value(store: Store, f: Filters, L: str) -> None:
    columns = cached.value_columns(store, f.dataset)
    if columns:
        cached.value_by_category(store, f, columns[0])
        start, grain = periods.trend_window(f.date_from, f.date_to, 13)
        cached.value_over_time(store, f.with_dates(start, f.date_to), columns[0], grain)


def _report(store: Store, f: Filters, L: str) -> None:
    first, last = cached.data_range(store, f.dataset)
    cached.report(store, f, "month", periods.period_starts("month", first, last)[0], L, True)


# the slowest first: a visitor opening the board report soon after an import finds it ready soonest
PAGES: list[tuple[str, Callable[[Store, Filters, str], None]]] = [
    ("sidebar", _sidebar), ("board", _report), ("drivers", _themes), ("cases", _followup), ("start", _overview),
    ("drilldown", _segments), ("trend", _evolution), ("comments", _verbatims), ("value", _value),
]


def warm(store: Store, dataset: str, lang: str, pages=PAGES) -> None:
    """Make the default reads of `pages` for `dataset` in `lang`, then in the other language."""
    f, version = default_filters(store, dataset), store.data_version()
    for L in (lang, *(x for x in LANGUAGES if x != lang)):
        for name, reads in pages:
            # another import landed (the next visit warms that version), or the process exits
            if lifecycle.exiting() or store.data_version() != version:
                return
            try:
                reads(store, f, L)
            except Exception:  # noqa: BLE001 - the visit itself reports what fails; warming is best effort
                if lifecycle.exiting():
                    return  # its read was interrupted: nothing failed
                log.warning("warm-up of %s (%s, %s) failed", name, dataset, L, exc_info=True)


def start(store: Store, dataset: str | None, lang: str) -> None:
    """Warm the caches in the background, once per data version, dataset and scope:
    the visitor's dataset first, then the others this person may see."""
    if not dataset or os.environ.get(ENV, "1") == "0":
        return
    names, default = cached.dataset_choice(store)
    order = list(dict.fromkeys([dataset, *([default] if default else []), *names]))[:MAX_DATASETS]
    version, scope = store.data_version(), store.access.reader()
    with _lock:
        todo = [d for d in order if (store.spec, version, scope, d) not in _warmed]
        _warmed.update((store.spec, version, scope, d) for d in todo)
    if todo:
        lifecycle.background(_warm_all, store, todo, lang, name="nps-warm-up")  # stopped before the process exits


def _warm_all(store: Store, datasets: list[str], lang: str) -> None:
    try:  # Linux schedules threads as tasks: a lower priority leaves the CPU to pages being drawn
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass
    for dataset in datasets:
        warm(store, dataset, lang)
