"""No traceback reaches the browser: engine errors become a clear message."""

from __future__ import annotations

import contextlib
import logging

import duckdb
import streamlit as st

from nps_core.base.access import AccessDenied
from nps_core.base.i18n import t
from nps_core.db.errors import StoreBusy, StoreError
from ui.plain import md_values

log = logging.getLogger("nps_dashboard")


@contextlib.contextmanager
def shown_as_message(lang):
    """`lang` is a function: the language is known only once the sidebar ran."""
    try:
        yield
    except StoreBusy:
        st.warning(t("busy", lang()))
    except AccessDenied as exc:  # the engine refused: say so, nothing more
        st.error(t("denied", lang(), error=str(exc)))
    except (StoreError, ValueError, duckdb.Error) as exc:
        log.exception("request failed")
        st.error(t("error", lang(), **md_values(error=str(exc).splitlines()[0])))
    except Exception as exc:  # noqa: BLE001 - last line of defence: log it, show a sentence
        if type(exc).__module__.startswith("streamlit"):
            raise  # st.stop / st.rerun / page switches are control flow, not errors
        log.exception("unexpected error")
        st.error(t("error", lang(), error=type(exc).__name__))


def attempted(lang: str, write, *args):
    """Make a write the person asked for: its result, or None after saying why it did not
    happen (the store busy, or the change refused) above what the page shows next."""
    try:
        return write(*args)
    except StoreBusy:
        st.warning(t("busy", lang))
    except StoreError as exc:
        st.warning(t("te_invalid", lang, **md_values(reason=exc)))
    return None
