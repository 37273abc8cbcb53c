"""The pages' access to the engine: every read a page makes goes through here.

Each read is the engine function itself under Streamlit's cache, keyed by its
arguments, where a store counts as (its spec, its data version, the reader's
scope) through Streamlit's own hashing (`hash_funcs`): a command-line import
or a save changes the file, so the next rerun recomputes; people with the same
scope share results, people with another never do. No connection is ever
cached: holding one would lock out that import. Writes (saving a rule,
importing a file) call the engine directly; the change of data version expires
every cached read of that file. A page's default view is one read,
`view(build, store, filters, lang)` of its nps_core.views function.
"""

from __future__ import annotations

import functools
import logging
import os
from inspect import signature
from typing import Callable

import streamlit as st

from nps_core.base.access import Access
from nps_core.db import audit, catalog
from nps_core.db.lake import LakeStore
from nps_core.db.store import Store
from nps_core.ingest import importer
from nps_core.jobs.demo import ensure_demo
from nps_core.report import export as report_export
from nps_core.sources import registry
from nps_core.views import report as report_view
from ui import auth

log = logging.getLogger(__name__)


def _identity(s: Store | LakeStore) -> tuple:
    """What a store's reads depend on: which store, its data, whose eyes."""
    return s.spec, s.data_version(), s.access.reader()


@functools.cache
def _cache(fn: Callable) -> Callable:
    def computed(*args, **kwargs):
        log.debug("computing %s.%s", fn.__module__, fn.__qualname__)  # a cache miss (tests/pages/test_warmup.py)
        return fn(*args, **kwargs)

    # Streamlit keys a cache by the function's module, name and source: those of `fn`
    computed.__module__, computed.__qualname__, computed.__name__ = fn.__module__, fn.__qualname__, fn.__name__
    return st.cache_data(ttl=3600, max_entries=512, show_spinner=False,
                         hash_funcs={Store: _identity, LakeStore: _identity})(computed)


def read(fn: Callable, store: Store, *args, **kwargs):
    """fn(store, *args, **kwargs), cached until the store's data changes. Arguments
    are bound to fn's parameters first, so f(s, x) and f(s, x, default) share one entry."""
    bound = signature(fn).bind(store, *args, **kwargs)
    bound.apply_defaults()
    return _cache(fn)(*bound.args, **bound.kwargs)


def view(build: Callable, store: Store, *args, **kwargs):
    """A page's view (nps_core.views): everything its default drawing needs, in one cached read."""
    return read(build, store, *args, **kwargs)


@st.cache_data(ttl=3600, show_spinner=False)
def _dataset_choice(path: str, version: tuple, env_default: str | None, access: Access) -> tuple[list[str], str | None]:
    with Store(path, access=access).read() as con:
        return catalog.dataset_names(con), catalog.default_dataset(con)


def dataset_choice(store: Store) -> tuple[list[str], str | None]:
    """The datasets this person may see, as the sidebar offers them, and the default one
    (catalogue queries on their own reader)."""
    return _dataset_choice(store.spec, store.data_version(), os.environ.get(catalog.DEFAULT_ENV),
                           store.access.reader())


def store() -> Store:
    """The store as the signed-in person (ui/auth.py) sees and changes it."""
    return Store(access=auth.current())


@st.cache_resource(show_spinner=False)
def _prepared(path: str) -> bool:
    return ensure_demo(Store(path))


def prepare(s: Store) -> None:
    """Load the demo into an empty store, once per server process."""
    _prepared(s.spec)


@st.cache_data(max_entries=8, show_spinner=False)
def _inspect(path: str, size: int, mapping: tuple, date_order: str, db: str, version: tuple, dataset: str):
    return importer.inspect(path, dict(mapping), date_order, store=Store(db), dataset=dataset,
                            sample=importer.PREVIEW_SAMPLE)


def inspect(path, mapping: dict, date_order: str, s: Store, dataset: str):
    """importer.inspect (with the mapping remembered in `s` for these headers),
    read once per file, mapping and store version (every widget change reruns the page)."""
    return _inspect(str(path), path.stat().st_size, tuple(sorted(mapping.items())), date_order,
                    str(s.path), s.data_version(), dataset)


@st.cache_data(ttl=3600, max_entries=24, show_spinner=False)
def _report_file(path: str, version: tuple, access: Access, fmt: str, *args) -> bytes:
    content = view(report_view.build, Store(path, access=access), *args).content  # the page's own, cached
    return report_export.render(content, fmt)[0]


def report_file(s: Store, fmt: str, filters, lang: str, grain: str, start, masked: bool) -> bytes:
    """The file in `fmt` of the report the Report page shows (views/report.build),
    made on first download and kept until the database changes."""
    return _report_file(s.spec, s.data_version(), s.access.reader(), fmt, filters, lang, grain, start, masked)


@st.cache_data(ttl=60, show_spinner=False)
def source_tables(ref: str) -> list[str]:
    """Tables a connection offers (a minute's cache: the page reruns on every click)."""
    return registry.list_tables(ref)


@st.cache_data(ttl=60, max_entries=8, show_spinner=False)
def _inspect_source(ref: str, table, query, mapping: tuple, date_order: str):
    return registry.inspect_source(ref, table, query, dict(mapping), date_order)


def inspect_source(ref: str, table, query, mapping: dict, date_order: str):
    """registry.inspect_source, read once per table/query and mapping."""
    return _inspect_source(ref, table, query, tuple(sorted(mapping.items())), date_order)


def audit_entries(store: Store):
    """audit.entries, not cached: the engine checks the admin role on every read, and the newest entry shows at once."""
    return audit.entries(store)
