"""The monthly board report's content, built once as plain data.

`build()` asks the engine (aggregates, themes, metrics) for everything the
report says about one period; the renderers (report_pptx, report_pdf,
report_html) and the Report page only lay it out, so the PowerPoint, the
PDF, the HTML file and the presentation view always show the same numbers.
Customer comments are masked here (masking.py) unless the caller says not to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from nps_core.analysis import (
    aggregates,
    complete,
    drivers,
    effort,
    periods,
    themes,
    value,
)
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import (
    dim_label,
    filters_text,
    fmt_date,
    fmt_int,
    fmt_money,
    fmt_nps,
    fmt_partial,
    fmt_pct,
    fmt_period,
    fmt_range,
    fmt_verdict,
    t,
    t_count,
)
from nps_core.base.metrics import SMALL_SAMPLE, Change, NpsStats
from nps_core.db import datasets
from nps_core.db.catalog import resolve_dataset
from nps_core.db.errors import StoreError
from nps_core.db.store import Store
from nps_core.followup import loop
from nps_core.present.narrative import Why, why
from nps_core.text.excerpt import quote
from nps_core.text.masking import mask

EVOLUTION_PERIODS = 13
MOVERS = 3  # segments shown per direction
THEMES = 3  # themes with their own section
THEME_TABLE_ROWS = 8


@dataclass(frozen=True)
class Comparison:
    """The headline against another period (previous, or a year before)."""

    label: str
    stats: NpsStats
    change: Change


@dataclass(frozen=True)
class ThemeSection:
    theme: str
    label: str
    impact: float
    mentions: int
    nps: float
    trend: pd.DataFrame  # themes.theme_trend(): NPS per `grain` of the responses mentioning it
    verbatims: list[dict]  # {"date", "score", "comment", "context"}; comment masked when asked
    grain: str  # of the trend
    effort: str = ""  # effort.fact(): the team's estimate, its quadrant and NPS per day of effort


SECTION_KINDS = ("title", "headline", "why", "evolution", "types", "movers", "themes", "drivers", "theme", "extra", "note")


class SectionRenderer:
    """A report format: one method `<kind>_section(section)` per section kind.

    `draw` is the one section dispatch, shared by the PDF, PowerPoint and HTML
    renderers and the Report page; a new kind fails loudly in every format
    that does not draw it yet."""

    def draw(self, section: "Section"):
        return getattr(self, f"{section.kind}_section")(section)


@dataclass(frozen=True)
class Section:
    """One slide / page / presentation step: `kind` says how to draw it."""

    kind: str  # title, headline, why, evolution, types, movers, themes, drivers, theme, extra, note
    title: str
    index: int = 0  # which theme or extra section


@dataclass
class Report:
    lang: str
    grain: str
    date_from: dt.date
    date_to: dt.date
    period_label: str
    dataset: str
    filters_text: str
    generated: dt.date
    masked: bool
    current: NpsStats
    previous: Comparison
    last_year: Comparison
    evolution: pd.DataFrame  # aggregates.trend() over EVOLUTION_PERIODS periods
    by_type: pd.DataFrame  # aggregates.breakdown(nps_type), `label` translated
    movers_up: pd.DataFrame  # key, dimension, label, n, nps, prev_nps, delta, significant
    movers_down: pd.DataFrame
    theme_table: pd.DataFrame  # the most influential themes (themes.theme_table rows)
    themes: list[ThemeSection]
    extra: list[dict] = field(default_factory=list)  # {"title", "rows": [(label, value)]}
    note: dict = field(default_factory=dict)
    drivers: dict = field(default_factory=dict)  # drivers.key_drivers() of the period
    why: Why | None = None  # the change from the period before, explained (None: that period has no responses)
    partial: bool = False  # the period is still running: the data stop before its end (analysis/complete.py)

    @property
    def title(self) -> str:
        return t("report_title", self.lang, period=self.period_label)

    def sections(self) -> list[Section]:
        L = self.lang
        out = [Section("title", self.title), Section("headline", t("report_headline", L))]
        if self.why is not None:
            out.append(Section("why", t("report_why", L)))
        out += [
               Section("evolution", t("report_evolution", L, periods=EVOLUTION_PERIODS,
                                           unit=t(f"report_unit_{self.grain}", L))),
               Section("types", t("report_types", L)), Section("movers", t("report_movers", L))]
        if not self.theme_table.empty:
            out.append(Section("themes", t("report_themes", L)))
        if self.drivers and not self.drivers["drivers"].empty:
            out.append(Section("drivers", t("report_drivers", L)))
        out += [Section("theme", t("report_theme", L, theme=th.label), i) for i, th in enumerate(self.themes)]
        out += [Section("extra", x["title"], i) for i, x in enumerate(self.extra)]
        out.append(Section("note", t("report_note", L)))
        return out


def _movers(store: Store, filters: Filters, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Segments of every dimension whose NPS changed most against the previous
    period, among those with enough responses in both periods to trust."""
    frames = []
    for dim in aggregates.dimensions(store, filters.dataset):
        df = aggregates.breakdown(store, filters, dim)
        if df.empty or "delta" not in df:
            continue
        df = df[(df["n"] >= SMALL_SAMPLE) & (df["prev_n"] >= SMALL_SAMPLE)].copy()
        df["dimension"] = dim_label(dim, lang)
        frames.append(df)
    cols = ["dimension", "key", "n", "nps", "prev_nps", "delta", "significant"]
    if not frames:
        empty = pd.DataFrame(columns=cols)
        return empty, empty
    all_ = pd.concat(frames, ignore_index=True)[cols]
    up = all_[all_["delta"] > 0].sort_values("delta", ascending=False).head(MOVERS)
    down = all_[all_["delta"] < 0].sort_values("delta").head(MOVERS)
    return up.reset_index(drop=True), down.reset_index(drop=True)


def followup_section(store: Store, filters: Filters, lang: str) -> dict | None:
    """The closed loop in the period: critical detractors contacted within
    48 hours, time to first contact, resolved, the later score of those
    called back, and promoters thanked. None when there were no critical
    detractors to follow up."""
    fig = loop.loop_figures(store, filters)
    if not fig["critical"]:
        return None
    rows = [(line["label"], f"{line['value']} ({line['caption']})" if line["caption"] else line["value"])
            for line in loop.loop_lines(fig, lang)]
    thanked = loop.promoter_count(store, filters, include_thanked=True) - loop.promoter_count(store, filters)
    rows.append((t("report_thanked", lang), fmt_int(thanked, lang)))
    return {"title": t("report_followup", lang), "rows": rows}


def value_section(store: Store, filters: Filters, lang: str) -> dict | None:
    """Customer value in the period, as the Customer value page shows it, in the
    dataset's currency (db/catalog.currency): promoters' and detractors' mean
    value per customer and the difference with its 95 % interval. None when the
    data have no money column or the period no promoters or no detractors."""
    columns = value.value_columns(store, filters.dataset)
    if not columns or not value.is_money(columns[0]):  # a number such as an age is no customer value
        return None
    gap = value.promoter_gap(value.by_category(store, filters, columns[0]))
    if gap is None:
        return None
    money = datasets.currency(store, filters.dataset)
    verdict = t("significant" if gap.significant else "not_significant", lang)
    return {"title": t("report_value", lang, column=dim_label(columns[0], lang)), "rows": [
        (t("promoters", lang), fmt_money(gap.promoters_mean, lang, currency=money)),
        (t("detractors", lang), fmt_money(gap.detractors_mean, lang, currency=money)),
        (t("difference", lang), t("report_value_difference", lang,
                                  difference=fmt_money(gap.difference, lang, signed=True, currency=money),
                                  low=fmt_money(gap.low, lang, signed=True, currency=money),
                                  high=fmt_money(gap.high, lang, signed=True, currency=money), verdict=verdict)),
    ]}


def build(store: Store, filters: Filters, grain: str, date_from: dt.date, lang: str, masked: bool = True,
          today: dt.date | None = None, extra_sections: list[dict] | None = None) -> Report:
    """The report for the week, month or quarter starting on `date_from`,
    under `filters` (their dates are replaced by the period's)."""
    date_from, date_to = periods.period_range(grain, date_from)
    f = filters.with_dates(date_from, date_to)
    prev_from = periods.period_before(grain, date_from)
    year_from = periods.year_before(grain, date_from)
    current = aggregates.summary(store, f)
    if not current.n:
        raise StoreError(f"no responses in {periods.period_key(grain, date_from)} for these filters")
    comparisons = []
    for start in (prev_from, year_from):
        lo, hi = periods.period_range(grain, start)
        stats = aggregates.summary(store, f.with_dates(lo, hi))
        comparisons.append(Comparison(fmt_period(grain, start, lang) if grain != "month" else fmt_range(lo, hi, lang),
                                      stats, Change(current, stats)))
    evo_from = periods.period_before(grain, date_from, EVOLUTION_PERIODS - 1)
    evolution = aggregates.trend(store, f.with_dates(evo_from, date_to), grain)
    by_type = aggregates.breakdown(store, f, "nps_type")
    by_type["label"] = [t(k, lang) for k in by_type["key"]]
    up, down = _movers(store, f, lang)

    table = themes.theme_table(store, f, lang)
    sections = []
    for point in themes.action_points(store, f, table, THEMES):
        verbatims = [
            {"date": r.responded_at.date(), "score": int(r.score),
             "context": r.context if isinstance(r.context, str) else t(r.nps_type, lang),
             "comment": quote(mask(r.comment, lang) if masked else r.comment,
                              mask(r.focus, lang) if masked and r.focus else r.focus)}
            for r in point["verbatims"].itertuples()
        ]
        sections.append(ThemeSection(point["theme"], point["label"], float(point["impact"]), point["mentions"],
                                     float(point["nps"]), point["trend"], verbatims, point["grain"],
                                     effort.fact(point, lang)))
    top = table.reindex(table["impact"].abs().sort_values(ascending=False).index).head(THEME_TABLE_ROWS)
    placed = effort.with_effort(table, effort.efforts(store, f.dataset)).set_index("theme")
    # the effort of the harmful themes, as the team estimated it (a helpful theme needs no fix)
    top["effort"] = [effort.short(placed.loc[k, "level"], placed.loc[k, "days"], placed.loc[k, "estimated"], lang)
                     if k in placed.index else "" for k in top["theme"]]

    extra = list(extra_sections or [])
    extra += [x for x in (value_section(store, f, lang), followup_section(store, f, lang)) if x]

    with store.read() as con:
        dataset = resolve_dataset(con, f.dataset)
    totals = datasets.import_totals(store, dataset)
    last_day = aggregates.data_range(store, dataset)[1]
    partial = complete.runs_past(date_to, last_day, today)
    label = fmt_period(grain, date_from, lang) if grain != "month" else fmt_range(date_from, date_to, lang)
    return Report(
        lang=lang, grain=grain, date_from=date_from, date_to=date_to,
        period_label=fmt_partial(date_from, min(date_to, last_day), lang) if partial else label,
        dataset=dataset, filters_text=filters_text(f, lang), generated=today or dt.date.today(), masked=masked,
        current=current, previous=comparisons[0], last_year=comparisons[1], by_type=by_type,
        evolution=complete.with_partial(evolution, grain, last_day, today, date_to=date_to),
        movers_up=up, movers_down=down, theme_table=top.reset_index(drop=True), themes=sections, extra=extra,
        drivers=drivers.key_drivers(store, f, lang), why=why(store, f, lang), partial=partial,
        note={"n": current.n, "n_previous": comparisons[0].stats.n, "n_last_year": comparisons[1].stats.n,
              "read": totals["read"], "rejected": totals["rejected"], "generated": fmt_date(today or dt.date.today(), lang)},
    )


def change_text(cmp: Comparison, lang: str) -> str:
    """'+3.2 points vs October 2025, significant' — the same sentence everywhere."""
    if cmp.change.delta is None:
        return t("report_no_comparison", lang, period=cmp.label)
    verdict = t(cmp.change.verdict, lang)
    return t("report_change", lang, delta=fmt_nps(cmp.change.delta, lang), period=cmp.label, verdict=verdict)


def _signed(value, lang: str) -> str:
    return fmt_nps(value, lang) if pd.notna(value) else "–"


def type_table(report: Report) -> tuple[list[str], list[list[str]]]:
    """NPS per programme type as header and text rows, for every renderer."""
    L = report.lang
    header = [t("programme_type", L), "n", "NPS", "±", t("report_vs_previous", L), t("significant_col", L)]
    rows = [[r.label, fmt_int(int(r.n), L), fmt_nps(r.nps, L), fmt_nps(r.moe, L, signed=False),
             _signed(getattr(r, "delta", None), L), fmt_verdict(getattr(r, "significant", None), getattr(r, "delta", None), L)]
            for r in report.by_type.itertuples()]
    return header, rows


def movers_table(frame: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    header = [t("report_segment", lang), "n", "NPS", t("report_before", lang), t("change", lang),
              t("significant_col", lang)]
    rows = [[f"{r.dimension}: {r.key}", fmt_int(int(r.n), lang), fmt_nps(r.nps, lang), fmt_nps(r.prev_nps, lang),
             fmt_nps(r.delta, lang), fmt_verdict(r.significant, r.delta, lang)] for r in frame.itertuples()]
    return header, rows


def themes_table(report: Report) -> tuple[list[str], list[list[str]]]:
    L = report.lang
    header = [t("theme", L), "n", t("share", L), "NPS", t("impact", L), t("effort", L)]
    rows = [[r.label, fmt_int(int(r.mentions), L), fmt_pct(r.share, L), fmt_nps(r.nps, L), fmt_nps(r.impact, L),
             r.effort] for r in report.theme_table.itertuples()]
    return header, rows


def driver_notes(report: Report) -> list[str]:
    """What the key-driver chart needs said beside it: how to read it, how
    much the themes explain, which themes were too rare to estimate."""
    L, found = report.lang, report.drivers
    lines = [t("key_drivers_help", L, resamples=drivers.RESAMPLES),
             t("drivers_r2", L, r2=fmt_pct(found["r2"], L), n=fmt_int(found["n"], L))]
    if not found["too_few"].empty:
        lines.append(t("drivers_too_few", L, min=drivers.MIN_MENTIONS, themes=", ".join(found["too_few"]["label"])))
    return lines


def cover(report: Report) -> dict:
    """The cover's headline, the same in every format: the NPS, its change
    against the period before, the first sentences of the narrative (the
    change and where most of it came from), the period and the dataset."""
    L = report.lang
    sentences = list(report.why.sentences[:2]) if report.why else []
    return {"nps": "NPS " + fmt_nps(report.current.nps, L), "change": change_text(report.previous, L),
            "significant": bool(report.previous.change.significant), "delta": report.previous.change.delta,
            "sentences": sentences,
            "context": f"{report.period_label} · {t('dataset', L)} {report.dataset} · {report.filters_text}"}


def why_lines(report: Report) -> list[str]:
    """The narrative of the change, every sentence (the why section)."""
    return list(report.why.sentences) if report.why else []


def themes_moved_table(report: Report) -> tuple[list[str], list[list[str]]]:
    """The themes that moved as header and text rows (empty rows: none did)."""
    L = report.lang
    header = [t("theme", L), t("themes_moved_what", L), t("report_before", L), t("themes_moved_after", L)]
    if report.why is None or report.why.themes.empty:
        return header, []
    fmt = {"share": lambda v: fmt_pct(v, L), "gap": lambda v: fmt_nps(v, L)}
    return header, [[r.label, t(f"theme_moved_{r.test}", L), fmt[r.test](r.before), fmt[r.test](r.after)]
                    for r in report.why.themes.itertuples()]


def themes_moved_note(report: Report) -> str:
    """Under the table, or instead of it: how many themes were compared."""
    tested = report.why.doc["themes_tested"] if report.why else 0
    return t("themes_moved_none", report.lang, n=tested) if tested and report.why.themes.empty else ""


def headline_facts(report: Report) -> list[tuple[str, str]]:
    """The headline's figures as (label, value) pairs."""
    L, cur = report.lang, report.current
    return [
        (t("responses", L), fmt_int(cur.n, L)),
        (t("margin", L), "± " + fmt_nps(cur.moe, L, signed=False)),
        (t("promoters", L), fmt_pct(cur.promoter_share, L)),
        (t("passives", L), fmt_pct(cur.passive_share, L)),
        (t("detractors", L), fmt_pct(cur.detractor_share, L)),
    ]


def theme_facts(section: ThemeSection, lang: str) -> str:
    # "costs 1.6 points": the sign is in the verb (only harmful themes get a section)
    facts = t_count("report_theme_facts", section.mentions, lang,
                    impact=fmt_nps(abs(section.impact), lang, signed=False), nps=fmt_nps(section.nps, lang))
    return f"{facts} · {section.effort}" if section.effort else facts


def verbatim_context(v: dict, lang: str) -> str:
    return " · ".join(x for x in (fmt_date(v["date"], lang), f"{t('score', lang)} {v['score']}", v["context"]) if x)


def note_lines(report: Report) -> list[str]:
    L, n = report.lang, report.note
    lines = [
        t("report_note_sample", L, n=fmt_int(n["n"], L), period=report.period_label,
          n_prev=fmt_int(n["n_previous"], L), prev=report.previous.label,
          n_year=fmt_int(n["n_last_year"], L), year=report.last_year.label),
        t("report_note_rejected", L, rejected=fmt_int(n["rejected"], L), read=fmt_int(n["read"], L)),
        t("report_note_filters", L, dataset=report.dataset, filters=report.filters_text),
        t("report_note_method", L, small=SMALL_SAMPLE),
        t("report_note_masked" if report.masked else "report_note_unmasked", L),
        t("report_note_generated", L, date=n["generated"]),
    ]
    if report.current.small:
        lines.insert(0, t("small_sample", L))
    return lines
