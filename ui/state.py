"""Global filters: sidebar widgets, kept in session state across pages and
mirrored in the URL query parameters so a view can be bookmarked or shared.

URL: lang, dataset, period (month|quarter|year|all|custom), from, to,
type (comma separated) and one repeated `f.<dimension>` per filtered value.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from nps_core.analysis import complete, periods
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    dim_label,
    fmt_date,
    fmt_range,
    t,
    visitor_language,
)
from nps_core.db.connections import SourceError
from nps_core.db.schema import NPS_TYPES
from nps_core.db.store import Store
from nps_core.views import sidebar as sidebar_view
from nps_core.views.sidebar import SidebarView
from ui import cached
from ui.plain import md_escape, md_values

PRESETS = ("preset_month", "preset_quarter", "preset_year", "preset_all", "preset_custom")
PRESET_PARAM = {"preset_month": "month", "preset_quarter": "quarter", "preset_year": "year",
                "preset_all": "all", "preset_custom": "custom"}
DIM_PARAM = "f."
DIM_KEY = "dim:"


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANGUAGE)


def browser_language() -> str:
    """The visitor's language from the browser (i18n.visitor_language); both are
    None under AppTest, which then gets the default."""
    return visitor_language(st.context.locale, st.context.headers.get("Accept-Language"))


def _param(name: str, default=None):
    value = st.query_params.get(name)
    return value if value not in (None, "") else default


def _parse_date(text):
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def preset_range(preset: str, first: dt.date, last: dt.date, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Date range of a preset, anchored on the last complete month with data
    (analysis/complete.py): a month still running is never the default, the
    board would read its first days as the month. Data without a complete
    month yet (a first week of responses) show the month they are in."""
    month = complete.last_complete("month", first, last, today) or periods.month_range(last)
    if preset == "preset_month":
        return month
    if preset == "preset_quarter":
        return complete.last_complete("quarter", first, last, today) or periods.period_range(
            "quarter", periods.floor("quarter", last))
    if preset == "preset_year":
        return periods.add_months(month[0], -11), month[1]
    return first, last


def init_from_url() -> None:
    """First run of a session: take the filters from the URL."""
    if st.session_state.get("_url_loaded"):
        return
    st.session_state["_url_loaded"] = True
    lang_param = _param("lang")
    # a link with its language keeps it; a first visit speaks the browser's language
    st.session_state["lang"] = lang_param if lang_param in LANGUAGES else browser_language()
    inverse = {v: k for k, v in PRESET_PARAM.items()}
    st.session_state["preset"] = inverse.get(_param("period"), "preset_month")
    start, end = _parse_date(_param("from")), _parse_date(_param("to"))
    if start and end and start <= end:
        st.session_state["preset"] = "preset_custom"
        st.session_state["custom_range"] = (start, end)
    st.session_state["types"] = [x for x in (_param("type", "") or "").split(",") if x in NPS_TYPES]
    if _param("dataset"):
        st.session_state["dataset"] = _param("dataset")
    st.session_state["pending_dims"] = {
        name[len(DIM_PARAM):]: st.query_params.get_all(name)
        for name in st.query_params if name.startswith(DIM_PARAM)
    }
    st.session_state["drill_path"] = list(st.session_state["pending_dims"])


def drill(dimension: str, value: str) -> None:
    """Narrow every page to one segment; takes effect on the rerun this triggers."""
    st.session_state.setdefault("pending_dims", {})[dimension] = [value]
    path = [d for d in st.session_state.get("drill_path", []) if d != dimension]
    st.session_state["drill_path"] = path + [dimension]
    st.rerun()


def undo_drill() -> None:
    """Remove the last drill-down step."""
    path = st.session_state.get("drill_path", [])
    if path:
        st.session_state.setdefault("pending_dims", {})[path.pop()] = []
    st.rerun()


def drill_path() -> list[tuple[str, tuple[str, ...]]]:
    f = filters()
    chosen = dict(f.dims)
    return [(d, chosen[d]) for d in st.session_state.get("drill_path", []) if d in chosen]


def segment_filters() -> list[tuple[str, tuple[str, ...]]]:
    """Every active segment filter: the drill path in its order, then the
    ones chosen in the sidebar."""
    path = drill_path()
    drilled = {d for d, _ in path}
    return path + [(d, v) for d, v in filters().dims if d not in drilled]


def sidebar(store: Store) -> Filters:
    """Draw the global filters and return them (also in session_state['filters'])."""
    init_from_url()
    sb = st.sidebar
    # the language lives in plain session state; the widget only edits it
    st.session_state["lang"] = sb.selectbox(
        t("language", lang()), LANGUAGES, index=LANGUAGES.index(lang()), key="lang_select",
        format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
    )
    L = lang()
    names, default = cached.dataset_choice(store)
    if st.session_state.get("pending_dataset") in names:  # just uploaded: show it, in this session only
        # the widget too: drawn in an earlier run (an import in a worker takes several), it keeps its value
        st.session_state["dataset"] = st.session_state["dataset_select"] = st.session_state.pop("pending_dataset")
    if st.session_state.get("dataset") not in names:
        st.session_state["dataset"] = default
    if len(names) > 1:  # plain state edited by the widget, like the language
        st.session_state["dataset"] = sb.selectbox(
            t("dataset", L), names, index=names.index(st.session_state["dataset"]), key="dataset_select")
    dataset = st.session_state["dataset"]
    try:
        view = cached.view(sidebar_view.build, store, dataset)
        first, last = view.first, view.last
        st.session_state["pending_analysis"] = view.pending  # every page's header says so (ui/analysis.py)
    except SourceError as exc:  # a live source is down: say so; pages show it, other datasets work
        sb.error(t("source_unavailable", L, **md_values(error=exc)))
        view, first = None, dt.date.today()
        last = first

    sb.subheader(t("filters", L))
    preset = sb.selectbox(t("period", L), PRESETS, key="preset", format_func=lambda k: t(k, L))
    if preset == "preset_custom":
        lo, hi = picker_bounds(first, last)
        default = _custom_range(first, last, L)
        chosen = sb.date_input(
            t("date_range", L), value=default, min_value=lo, max_value=hi,
            format="DD-MM-YYYY" if L == "nl" else "YYYY-MM-DD",
        )
        # while the user is halfway through picking a range, keep the old one
        if isinstance(chosen, tuple) and len(chosen) == 2:
            st.session_state["custom_range"] = chosen
        start, end = st.session_state.get("custom_range", default)
    else:
        start, end = preset_range(preset, first, last)
    types = sb.multiselect(
        t("programme_type", L), NPS_TYPES, key="types", format_func=lambda k: t(k, L),
        placeholder=t("all_types", L),
    )
    dims = _dimension_filters(view, L)
    filters = Filters(dataset=dataset, date_from=start, date_to=end, nps_types=tuple(types), dims=dims)
    st.session_state["filters"] = filters
    _write_url(preset, filters, L)
    return filters


def picker_bounds(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """What the date picker allows: the whole months the data touches (so
    "November" stays a valid choice for data ending 14 November)."""
    return first.replace(day=1), periods.month_range(last)[1]


def clamp_range(asked: tuple[dt.date, dt.date], first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """`asked` cut to picker_bounds(first, last); a range without any day
    of the data becomes the latest month with data."""
    start, end = asked
    if start > last or end < first:
        start, end = preset_range("preset_month", first, last)
    lo, hi = picker_bounds(first, last)
    return max(start, lo), min(end, hi)


def _custom_range(first: dt.date, last: dt.date, L: str) -> tuple[dt.date, dt.date]:
    """The custom range to offer, always within the picker's bounds (a
    bookmarked URL or another dataset's range may lie outside them; the date
    picker refuses that). A range the user asked for and did not get is said
    so, until they pick another one."""
    asked = st.session_state.get("custom_range")
    shown = clamp_range(asked or preset_range("preset_month", first, last), first, last)
    if asked and shown != tuple(asked):
        st.session_state["range_notice"] = (shown, t("range_clamped", L, asked=fmt_range(*asked, L),
                                                     first=fmt_date(first, L), last=fmt_date(last, L)))
    st.session_state["custom_range"] = shown
    notice = st.session_state.get("range_notice")
    if notice and notice[0] == shown:
        st.sidebar.warning(notice[1], icon=":material/date_range:")
    return shown


def _dimension_filters(view: SidebarView | None, L: str):
    pending = st.session_state.pop("pending_dims", {})
    available = view.dimensions if view else ()  # None: the live source is down (said above the filters)
    active = any(pending.values()) or any(st.session_state.get(DIM_KEY + d) for d in available)
    dims = []
    with st.sidebar.expander(t("segment_filters", L), expanded=active):
        for dimension in available:
            key = DIM_KEY + dimension
            options = view.values[dimension]
            if dimension in pending:  # a drill-down or the URL sets this one
                st.session_state[key] = [v for v in pending[dimension] if v in options]
            elif key in st.session_state:
                st.session_state[key] = [v for v in st.session_state[key] if v in options]
            values = st.multiselect(md_escape(dim_label(dimension, L)), options, key=key, placeholder=t("all", L))
            if values:
                dims.append((dimension, tuple(values)))
    return tuple(dims)


def _write_url(preset: str, f: Filters, L: str) -> None:
    params: dict = {"lang": L, "period": PRESET_PARAM[preset]}
    if preset == "preset_custom":
        params["from"], params["to"] = f.date_from.isoformat(), f.date_to.isoformat()
    if f.nps_types:
        params["type"] = ",".join(f.nps_types)
    if f.dataset:
        params["dataset"] = f.dataset
    for dimension, values in f.dims:
        params[DIM_PARAM + dimension] = list(values)
    current = {k: st.query_params.get_all(k) if k.startswith(DIM_PARAM) else st.query_params.get(k)
               for k in st.query_params}
    if current != params:
        st.query_params.from_dict(params)


def filters() -> Filters:
    return st.session_state["filters"]

