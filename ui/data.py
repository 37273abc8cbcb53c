"""Cached access to the engine for the pages.

Results are cached per (database file, its data version, arguments): a
command-line import changes the file, so the next rerun recomputes. No
connection is ever cached: holding one would lock out that import.
"""

from __future__ import annotations

import streamlit as st

from nps_core import (aggregates, followup, ingest, report, report_export, sources, taxonomy, themes, topics, value,
                      verbatims)
from nps_core.demo import ensure_demo
from nps_core.store import Store, dataset_names

MODULES = {"aggregates": aggregates, "verbatims": verbatims, "value": value, "themes": themes, "topics": topics,
           "taxonomy": taxonomy, "followup": followup, "report": report}


def store() -> Store:
    return Store()


@st.cache_resource(show_spinner=False)
def _prepared(path: str) -> bool:
    return ensure_demo(Store(path))


def prepare(s: Store) -> None:
    """Load the demo into an empty store, once per server process."""
    _prepared(str(s.path))


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _call(name: str, path: str, version: tuple, *args):
    module, _, func = name.rpartition(".")
    return getattr(MODULES[module or "aggregates"], func)(Store(path), *args)


def call(name: str, s: Store, *args):
    """nps_core.<module>.<func>(store, *args) — `name` is "func" for aggregates
    or "module.func" — cached until the database changes."""
    return _call(name, str(s.path), s.data_version(), *args)


@st.cache_data(max_entries=8, show_spinner=False)
def _inspect(path: str, size: int, mapping: tuple, date_order: str):
    return ingest.inspect(path, dict(mapping), date_order)


def inspect(path, mapping: dict, date_order: str):
    """ingest.inspect, read once per file and mapping (every widget change reruns the page)."""
    return _inspect(str(path), path.stat().st_size, tuple(sorted(mapping.items())), date_order)


@st.cache_data(ttl=3600, show_spinner=False)
def _datasets(path: str, version: tuple) -> list[str]:
    with Store(path).read() as con:
        return dataset_names(con)


def datasets(s: Store) -> list[str]:
    return _datasets(str(s.path), s.data_version())


@st.cache_data(ttl=3600, max_entries=24, show_spinner=False)
def _report_file(path: str, version: tuple, fmt: str, *args) -> bytes:
    content = _call("report.build", path, version, *args)
    return report_export.render(content, fmt)[0]


def report_file(s: Store, fmt: str, *args) -> bytes:
    """The report file in `fmt` for report.build(store, *args), made on first
    download and kept until the database changes."""
    return _report_file(str(s.path), s.data_version(), fmt, *args)


@st.cache_data(ttl=60, show_spinner=False)
def source_tables(ref: str) -> list[str]:
    """Tables a connection offers (a minute's cache: the page reruns on every click)."""
    return sources.list_tables(ref)


@st.cache_data(ttl=60, max_entries=8, show_spinner=False)
def _inspect_source(ref: str, table, query, mapping: tuple, date_order: str):
    return sources.inspect_source(ref, table, query, dict(mapping), date_order)


def inspect_source(ref: str, table, query, mapping: dict, date_order: str):
    """sources.inspect_source, read once per table/query and mapping."""
    return _inspect_source(ref, table, query, tuple(sorted(mapping.items())), date_order)
