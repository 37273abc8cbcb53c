"""Spike alerts: a theme or a segment far outside its usual level last week.

For the last complete ISO week of a dataset (analysis/complete.py), against
the BASELINE_WEEKS weeks before it, pooled:
- each theme's share of the commented responses: is the week's count of
  mentions too high for the baseline share? (exact binomial test, upper tail);
- each segment's NPS (every segment dimension and the programme type): is
  the week's NPS too low for the baseline? (normal test of the difference,
  with the NPS standard errors of DESIGN.md, lower tail).
A spike is a rise of a theme or a fall of a segment: the direction somebody
must act on. Every test of the week (themes and segments together) goes
through Benjamini–Hochberg at significance.FDR, so a week with fifty tests
does not raise two alerts by chance. A test needs SMALL_SAMPLE comments
(themes) or responses (segments) in the week and in the baseline, and a
theme at least MIN_MENTIONS mentions in the week.

Spikes travel the way critical responses do (followup/notify.py): each is
one outbox row per channel of the active alert rules of the dataset, kind
"spike", keyed by (dataset, theme or segment, week, channel): a second run,
or a run from a second cron, queues nothing new and sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pandas as pd

from nps_core.analysis import aggregates, complete, periods, themes
from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import SPLITS_BUILTIN
from nps_core.analysis.significance import FDR, bh_adjust, binomial_upper, normal_cdf, z_score
from nps_core.base.i18n import DEFAULT_LANGUAGE, dim_label, fmt_int, fmt_nps, fmt_pct, fmt_range, t
from nps_core.base.metrics import COUNT_COLUMNS, SMALL_SAMPLE, add_stats
from nps_core.db.catalog import resolve_dataset
from nps_core.db.errors import StoreError
from nps_core.db.store import Store
from nps_core.followup import alerts, channels, outbox
from nps_core.present.narrative import segment_label

BASELINE_WEEKS = 8
MIN_MENTIONS = 5  # a "spike" of two mentions against none is noise, whatever the test says
KIND = "spike"


def _week_and_baseline(frame: pd.DataFrame, keys: list[str], columns: list[str], week: dt.date):
    """Sums of `columns` per `keys` in the week and in the baseline (the
    other weeks of `frame`), on the same index: zeros where one has none."""
    in_week = frame["period"].dt.date == week
    now, base = (frame[part].groupby(keys)[columns].sum() for part in (in_week, ~in_week))
    index = now.index.union(base.index)
    return now.reindex(index, fill_value=0), base.reindex(index, fill_value=0)


def _theme_tests(store: Store, filters: Filters, week: dt.date, lang: str) -> pd.DataFrame:
    """Per theme: the week's mentions and comments against the baseline's, and p."""
    shares = themes.theme_shares(store, filters, "week", lang)
    if shares.empty:
        return pd.DataFrame()
    now, base = _week_and_baseline(shares, ["theme", "label"], ["n", "commented"], week)
    baseline = base["n"] / base["commented"].where(base["commented"] > 0)
    testable = ((now["commented"] >= SMALL_SAMPLE) & (base["commented"] >= SMALL_SAMPLE)
                & (now["n"] >= MIN_MENTIONS))
    out = pd.DataFrame({"kind": "theme", "value": now["n"] / now["commented"].where(now["commented"] > 0),
                        "baseline": baseline, "mentions": now["n"], "commented": now["commented"],
                        "baseline_mentions": base["n"], "baseline_commented": base["commented"],
                        "p": [binomial_upper(k, n, p0) if ok else np.nan
                              for k, n, p0, ok in zip(now["n"], now["commented"], baseline, testable)]}).reset_index()
    out["subject"] = "theme:" + out["theme"]
    return out


def _segment_tests(store: Store, filters: Filters, week: dt.date) -> pd.DataFrame:
    """Per segment of every segment dimension: the week's NPS against the baseline's, and p."""
    dims = list(dict.fromkeys([*SPLITS_BUILTIN, *aggregates.dimensions(store, filters.dataset)]))
    now, base = (add_stats(f) for f in _week_and_baseline(
        aggregates.segment_counts(store, filters, dims, "week"), ["dimension", "segment"], COUNT_COLUMNS, week))
    testable = (now["n"] >= SMALL_SAMPLE) & (base["n"] >= SMALL_SAMPLE)
    z = z_score(now["nps"] - base["nps"], np.sqrt(now["se"] ** 2 + base["se"] ** 2))
    out = pd.DataFrame({"kind": "segment", "value": now["nps"], "baseline": base["nps"], "n": now["n"],
                        "baseline_n": base["n"], "p": np.where(testable, normal_cdf(z), np.nan)}).reset_index()
    out["subject"] = out["dimension"] + "=" + out["segment"]
    return out


def find(store: Store, dataset: str | None = None, today: dt.date | None = None,
         lang: str = DEFAULT_LANGUAGE) -> dict:
    """The spikes of the dataset's last complete ISO week: {"dataset", "week"
    (its key), "from", "to", "baseline_from", "baseline_to", "tested", "spikes":
    a frame of the themes and segments outside their baseline with p and q,
    smallest q first}."""
    with store.read() as con:
        dataset = resolve_dataset(con, dataset)
    week = complete.latest_complete(store, dataset, "week", today)
    if week is None:
        raise StoreError(f"no complete week in dataset {dataset!r} yet")
    start, end = week
    base_start = periods.period_before("week", start, BASELINE_WEEKS)
    filters = Filters(dataset=dataset, date_from=base_start, date_to=end)
    tests = pd.concat([_theme_tests(store, filters, start, lang), _segment_tests(store, filters, start)],
                      ignore_index=True)
    tested = tests[tests["p"].notna()].copy()
    tested["q"] = bh_adjust(tested["p"])
    spikes = tested[tested["q"] <= FDR].sort_values(["q", "p", "subject"]).reset_index(drop=True)
    return {"dataset": dataset, "week": periods.period_key("week", start), "from": start, "to": end,
            "baseline_from": base_start, "baseline_to": start - dt.timedelta(days=1), "tested": len(tested),
            "spikes": spikes}


def spike_id(dataset: str, subject: str, week: str, channel: str) -> str:
    """The idempotency key of one spike's message to one channel."""
    return hashlib.sha256(f"{KIND}\x1f{dataset}\x1f{subject}\x1f{week}\x1f{channel}".encode()).hexdigest()[:24]


def message(found: dict, spike, lang: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """Subject (one line) and body of the alert about one spike."""
    week = found["week"]
    if spike.kind == "theme":
        names = {"theme": spike.label, "share": fmt_pct(spike.value, lang), "baseline": fmt_pct(spike.baseline, lang)}
        subject = t("spike_theme_subject", lang, week=week, **names)
        detail = t("spike_theme_detail", lang, mentions=fmt_int(spike.mentions, lang),
                   commented=fmt_int(spike.commented, lang), weeks=BASELINE_WEEKS,
                   baseline_mentions=fmt_int(spike.baseline_mentions, lang),
                   baseline_commented=fmt_int(spike.baseline_commented, lang), **names)
    else:
        names = {"nps": fmt_nps(spike.value, lang), "baseline": fmt_nps(spike.baseline, lang)}
        subject = t("spike_segment_subject", lang, week=week,
                    segment=segment_label(spike.dimension, spike.segment, lang),
                    dimension=dim_label(spike.dimension, lang).lower(), **names)
        detail = t("spike_segment_detail", lang, n=fmt_int(spike.n, lang), baseline_n=fmt_int(spike.baseline_n, lang),
                   weeks=BASELINE_WEEKS, **names)
    body = t("spike_body", lang, week=week, days=fmt_range(found["from"], found["to"], lang),
             baseline_days=fmt_range(found["baseline_from"], found["baseline_to"], lang), detail=detail,
             p=f"{spike.p:.2g}", q=f"{spike.q:.2g}", tests=found["tested"], dataset=found["dataset"])
    return channels.one_line(subject), body


def _channels(store: Store, dataset: str) -> dict[str, list[str]]:
    """channel -> recipients of the active alert rules that apply to the dataset."""
    out: dict[str, list[str]] = {}
    for rule in alerts.list_rules(store, active_only=True):
        if rule.dataset in (None, dataset):
            out.setdefault(rule.channel, []).append(rule.recipient)
    return out


def _outbox_rows(store: Store, found: dict, targets: dict[str, list[str]], lang: str) -> pd.DataFrame:
    """One row per spike × channel that is not in the outbox yet."""
    with store.read() as con:
        queued = {r[0] for r in con.execute("SELECT alert_id FROM alert_outbox WHERE kind = ?", [KIND]).fetchall()}
    rows = []
    for spike in found["spikes"].itertuples():
        subject, body = message(found, spike, lang)
        for channel, recipients in targets.items():
            aid = spike_id(found["dataset"], spike.subject, found["week"], channel)
            if aid not in queued:
                rows.append({"alert_id": aid, "dataset": found["dataset"],
                             "response_id": f"{found['week']} {spike.subject}", "channel": channel,
                             "recipients": ", ".join(sorted(set(recipients))), "rules": KIND, "subject": subject,
                             "body": body})
    return pd.DataFrame(rows)


def listing(found: dict) -> list[dict]:
    """The spikes as JSON-ready rows."""
    out = []
    for s in found["spikes"].itertuples():
        row = {"kind": s.kind, "subject": s.subject, "value": round(float(s.value), 4),
               "baseline": round(float(s.baseline), 4), "p": float(s.p), "q": float(s.q)}
        if s.kind == "theme":
            row |= {"theme": s.theme, "label": s.label, "mentions": int(s.mentions), "commented": int(s.commented)}
        else:
            row |= {"dimension": s.dimension, "segment": s.segment, "n": int(s.n), "baseline_n": int(s.baseline_n)}
        out.append(row)
    return out


def run(store: Store, dataset: str | None = None, today: dt.date | None = None, dry_run: bool = False,
        cfg: channels.Config | None = None, wait: float = 60.0, lang: str = DEFAULT_LANGUAGE) -> dict:
    """Find last week's spikes and send each new one to the configured
    channels of the dataset's alert rules, once; see the module."""
    cfg = cfg or channels.load_config()
    store.ensure_schema()
    found = find(store, dataset, today, lang)
    targets = _channels(store, found["dataset"])
    configured = {c: r for c, r in targets.items() if cfg.configured(c)}
    out = {"dataset": found["dataset"], "week": found["week"], "from": found["from"].isoformat(),
           "to": found["to"].isoformat(), "baseline_from": found["baseline_from"].isoformat(),
           "baseline_to": found["baseline_to"].isoformat(), "tested": found["tested"], "spikes": listing(found),
           "unconfigured": {c: len(found["spikes"]) for c in targets if c not in configured and len(found["spikes"])}}
    if dry_run:
        rows = _outbox_rows(store, found, configured, lang)
        return {**out, "dry_run": True,
                "would_send": [] if rows.empty else rows[["alert_id", "response_id", "channel", "subject"]]
                .to_dict("records")}
    with outbox.run_lock(store, KIND):
        # under the lock: a run that waited for it sees what the other one queued
        rows = _outbox_rows(store, found, configured, lang)
        queued = outbox.put(store, rows, KIND, dt.datetime.now())
        outcome = outbox.deliver_due(store, cfg, (KIND,), sorted(configured), wait)
    return {**out, "dry_run": False, "queued": queued, **outbox.counts(outcome),
            "alerts": [{"alert_id": k, "status": v} for k, v in outcome.items()]}
