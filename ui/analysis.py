"""Comments not analysed yet (text/enrich.pending: an import cut off while
analysing, a sentiment model newer than the scores, a database from an older
version) are analysed in the background, in a worker process of their own
(nps_core/jobs/worker.py, task `analyse`), one per server and store,
without anyone asking. Until it is done every page says how many are left:
themes, sentiment and meaning search do not count them yet."""

from __future__ import annotations

import logging
import threading
import time

import streamlit as st

from nps_core.base.i18n import fmt_pct, t_count
from nps_core.db.store import Store
from nps_core.jobs.worker import ANALYSE, ImportJob
from nps_core.text import enrich
from ui import cached

log = logging.getLogger(__name__)

RETRY_SECONDS = 60  # after a failed analysis, before the next try
POLL_SECONDS = 2.0
_lock = threading.Lock()
_jobs: dict[str, ImportJob] = {}  # store spec -> its running analysis
_failed_at: dict[str, float] = {}


def _job(store: Store) -> ImportJob | None:
    """The store's analysis, started when none runs (and no import of this
    server, which analyses its own comments, is under way); forgotten once
    finished. None while an import runs, or for a while after a failure."""
    now = time.monotonic()
    with _lock:
        job = _jobs.get(store.spec)
        if job is not None:
            status = job.poll()
            if not status.finished:
                return job
            if status.state != "done" or not status.analysed:
                log.warning("background analysis of %s ended: %s", store.spec, status.error)
                _failed_at[store.spec] = now
            job.close()
            del _jobs[store.spec]
        if now - _failed_at.get(store.spec, -RETRY_SECONDS) < RETRY_SECONDS or ImportJob.running(store.spec):
            return None
        # the server's own work, not the visitor's: it runs with the store's default (local) access
        job = _jobs[store.spec] = ImportJob.run_task(Store(store.spec), ANALYSE)
        return job


def notice(store: Store, L: str) -> None:
    """Keep the analysis going while comments wait for it, and say so."""
    if st.session_state.get("pending_analysis"):  # the sidebar's count (ui/state.py)
        _waiting(store, L)


@st.fragment(run_every=POLL_SECONDS)
def _waiting(store: Store, L: str) -> None:
    """Refreshed on its own while the analysis runs; the page runs again when it is done."""
    left = cached.read(enrich.pending, store)
    if not left:
        st.rerun()  # the page's figures now count every comment
    job = _job(store)
    progress = f" ({fmt_pct(job.poll().fraction, L)})" if job is not None else ""
    st.info(t_count("analysis_pending", left, L, progress=progress), icon=":material/hourglass_top:")
