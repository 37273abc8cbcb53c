"""Cache warm-up: when a run sees a data version it has not warmed yet (the
server's first run, or the first after an import), a background thread reads
every page's default view (ui/navigation.py names each page's nps_core.views
function) through ui/cached.py, so the first visit of a page after an import
finds it cached instead of computing it while the visitor waits. The thread
starts after the page is drawn and nobody waits for it; a page visited before
it got there computes its view itself (Streamlit computes each value once: a
read in progress is waited for, not repeated). The pages read their views
with the same defaults, so the two cannot drift apart (tests/pages/test_warmup.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading

from nps_core.analysis.filters import Filters
from nps_core.base.i18n import LANGUAGES
from nps_core.db import lifecycle
from nps_core.db.store import Store
from nps_core.views import sidebar
from ui import cached, navigation, state

log = logging.getLogger(__name__)

ENV = "NPS_WARMUP"  # "0": no warm-up (the tests' default: each test then sees only its own reads)
MAX_DATASETS = 4  # warm the visitor's dataset and a few others, not a whole lake's worth
_lock = threading.Lock()
_warmed: set[tuple] = set()  # (file, data version, reader scope, dataset) already warmed or under way


def default_filters(store: Store, dataset: str) -> Filters:
    """The sidebar's filters before anyone touches them (ui/state.py): the
    last complete month, every programme type, no segment."""
    sb = cached.view(sidebar.build, store, dataset)
    start, end = state.preset_range("preset_month", sb.first, sb.last)
    return Filters(dataset=dataset, date_from=start, date_to=end)


def clock() -> tuple[dt.datetime, dt.datetime]:
    """The follow-up page's "now" (to the minute: overdue) and hour (thank-you preview): cache keys."""
    now = dt.datetime.now().replace(second=0, microsecond=0)
    return now, now.replace(minute=0)


def clocked(page: navigation.PageSpec) -> dict:
    """The clock arguments a page's view takes (navigation.PageSpec.clock), as the page passes them."""
    return {k: v for k, v in zip(("now", "hour"), clock()) if k in page.clock}


def warm(store: Store, dataset: str, lang: str) -> None:
    """Read the sidebar's and every page's default view of `dataset` in `lang`, then in the other language."""
    f, version = default_filters(store, dataset), store.data_version()
    reads = [("sidebar", lambda L: cached.view(sidebar.build, store, dataset))]
    reads += [(p.key, lambda L, p=p: cached.view(p.view, store, f, L, **clocked(p))) for p in navigation.warmed()]
    for L in (lang, *(x for x in LANGUAGES if x != lang)):
        for name, read in reads:
            # another import landed (the next visit warms that version), or the process exits
            if lifecycle.exiting() or store.data_version() != version:
                return
            try:
                read(L)
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
