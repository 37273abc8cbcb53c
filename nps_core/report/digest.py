"""Scheduled digests: the NPS of the day, week or month just ended, by e-mail.

A subscription names a recipient, a frequency (daily, weekly, monthly), a
language, a scope (dataset and filters) and whether the board report's PDF
goes along. `run()` is what `python -m nps_core digest --send` does from
cron: for every active subscription it takes the last complete period
before `now` (yesterday, last ISO week, last month; for data that stopped
before it, the period of their last response: period_for), and queues one e-mail
for it in the outbox under a key made of the subscription and the period,
then delivers through outbox.deliver_due (back-off, retries, a run lock of
its own). Running it twice, or from two crons at once, sends each
subscription's period once; a period without responses is skipped (and
tried again by the next run, so late-arriving data still goes out).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd

from nps_core.analysis import aggregates, periods
from nps_core.analysis.filters import Filters
from nps_core.base.i18n import LANGUAGES, fmt_nps, t
from nps_core.base.metrics import round1
from nps_core.base.sql import next_id_sql
from nps_core.db.catalog import groupable_columns, resolve_dataset
from nps_core.db.errors import StoreError
from nps_core.db.schema import NPS_TYPES
from nps_core.db.store import Store
from nps_core.followup import alerts, channels, outbox
from nps_core.report import content as report
from nps_core.report import export as report_export
from nps_core.report.html import digest_html

FREQUENCIES = {"daily": "day", "weekly": "week", "monthly": "month"}
COLUMNS = ("sub_id", "recipient", "frequency", "lang", "dataset", "filters", "attach_pdf", "active")


@dataclass(frozen=True)
class Subscription:
    recipient: str  # an e-mail address
    frequency: str = "weekly"
    lang: str = "nl"
    dataset: str | None = None  # None: the default dataset
    nps_types: tuple[str, ...] = ()
    dims: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    attach_pdf: bool = False
    active: bool = True
    sub_id: int | None = None  # None: not stored yet

    def filters(self) -> Filters:
        return Filters(dataset=self.dataset, nps_types=self.nps_types, dims=self.dims)


def _from_row(row) -> Subscription:
    d = dict(zip(COLUMNS, row))
    scope = json.loads(d.pop("filters") or "{}")
    return Subscription(**d, nps_types=tuple(scope.get("nps_types", ())),
                        dims=tuple((k, tuple(v)) for k, v in scope.get("dims", {}).items()))


def list_subscriptions(store: Store, active_only: bool = False) -> list[Subscription]:
    store.ensure_schema()
    with store.read() as con:
        rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM digest_subscriptions "
                           + ("WHERE active " if active_only else "") + "ORDER BY sub_id").fetchall()
    return [_from_row(r) for r in rows]


def save_subscription(store: Store, sub: Subscription) -> int:
    """Insert (sub_id None) or update a subscription after checking it; returns its id."""
    recipient = sub.recipient.strip()
    if alerts.channel_kind(recipient) != "email":
        raise ValueError("a digest goes to an e-mail address")
    if sub.frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}")
    if sub.lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    unknown = set(sub.nps_types) - set(NPS_TYPES)
    if unknown:
        raise ValueError(f"unknown programme type(s): {', '.join(sorted(unknown))}")
    with store.write("notification_settings", sub.dataset) as con:
        columns = groupable_columns(con, resolve_dataset(con, sub.dataset))  # StoreError: no such dataset
        for dim, values in sub.dims:
            if dim not in columns:
                raise ValueError(f"unknown column {dim!r}")
            if not values:
                raise ValueError(f"choose at least one value of {dim!r}")
        values = [recipient, sub.frequency, sub.lang, sub.dataset,
                  json.dumps({"nps_types": list(sub.nps_types), "dims": {d: list(v) for d, v in sub.dims}}),
                  sub.attach_pdf, sub.active]
        # no RETURNING, no sequence: DuckLake has neither
        if sub.sub_id is None:
            sub_id = con.execute(f"SELECT {next_id_sql('digest_subscriptions', 'sub_id')}").fetchone()[0]
            con.execute(f"INSERT INTO digest_subscriptions ({', '.join(COLUMNS)}) "
                        f"VALUES ({', '.join('?' for _ in COLUMNS)})", [sub_id, *values])
            return sub_id
        if not con.execute("SELECT 1 FROM digest_subscriptions WHERE sub_id = ?", [sub.sub_id]).fetchone():
            raise StoreError(f"no digest subscription with id {sub.sub_id}")
        sets = ", ".join(f"{c} = ?" for c in COLUMNS[1:])
        con.execute(f"UPDATE digest_subscriptions SET {sets} WHERE sub_id = ?", [*values, sub.sub_id])
        return sub.sub_id


def due_period(frequency: str, now: dt.datetime) -> tuple[str, dt.date, dt.date]:
    """(grain, first day, last day) of the last complete period before `now`."""
    grain = FREQUENCIES[frequency]
    start = periods.period_before(grain, periods.floor(grain, now.date()))
    return (grain, *periods.period_range(grain, start))


def period_for(sub: Subscription, now: dt.datetime, last_day: dt.date | None) -> tuple[str, dt.date, dt.date]:
    """The period a subscription's digest is due for at `now`: the last complete
    one before `now` (due_period). When the dataset's responses stopped before
    that period began (an export read long after, the embedded demo), the period
    holding its last response instead: a digest about nothing would be skipped
    forever, while this one says what the data say, once (issue 30: the demo's
    subscription shows a real digest on a fresh install). `last_day` is the
    dataset's, not the scope's: a quiet segment does not move the period."""
    grain, start, end = due_period(sub.frequency, now)
    if last_day is not None and last_day < start:
        start, end = periods.period_range(grain, periods.floor(grain, last_day))
    return grain, start, end


def digest_id(sub_id: int, grain: str, start: dt.date) -> str:
    """The idempotency key of one subscription's digest of one period."""
    key = f"digest\x1f{sub_id}\x1f{periods.period_key(grain, start)}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def _due(store: Store, now: dt.datetime) -> list[dict]:
    """The active subscriptions whose last complete period is not in the outbox yet."""
    subs = list_subscriptions(store, active_only=True)
    with store.read() as con:
        queued = {r[0] for r in con.execute("SELECT alert_id FROM alert_outbox WHERE kind = 'digest'").fetchall()}
    out, last_days = [], {}
    for sub in subs:
        if sub.dataset not in last_days:
            days = aggregates.data_range(store, sub.dataset)
            last_days[sub.dataset] = days[1] if days else None
        grain, start, end = period_for(sub, now, last_days[sub.dataset])
        aid = digest_id(sub.sub_id, grain, start)
        if aid not in queued:
            out.append({"sub": sub, "grain": grain, "start": start, "end": end, "alert_id": aid})
    return out


def _listing(item: dict, store: Store) -> dict:
    sub = item["sub"]
    stats = aggregates.summary(store, sub.filters().with_dates(item["start"], item["end"]))
    return {"alert_id": item["alert_id"], "sub_id": sub.sub_id, "recipient": sub.recipient,
            "frequency": sub.frequency, "lang": sub.lang, "period": periods.period_key(item["grain"], item["start"]),
            "from": item["start"].isoformat(), "to": item["end"].isoformat(), "pdf": sub.attach_pdf,
            "n": stats.n, "nps": round1(stats.nps) if stats.n else None}


def pending(store: Store, now: dt.datetime) -> list[dict]:
    """What a run at `now` would send: one entry per subscription whose
    period is due, with its recipient, period and the period's n and NPS."""
    store.ensure_schema()
    return [_listing(i, store) for i in _due(store, now)]


def message(store: Store, sub: Subscription, grain: str, start: dt.date, today: dt.date | None = None) -> dict:
    """The digest of one period as an outbox row (subject, text, HTML, PDF);
    StoreError when the period has no responses under the subscription's scope."""
    content = report.build(store, sub.filters(), grain, start, sub.lang, today=today)
    L = sub.lang
    subject = t("digest_subject", L, period=content.period_label, nps=fmt_nps(content.current.nps, L))
    lines = [content.title, "", f"NPS {fmt_nps(content.current.nps, L)}",
             *(report.change_text(c, L) for c in (content.previous, content.last_year)), "",
             *report.why_lines(content), *([""] if content.why else []),  # why it moved, in sentences
             *(f"{k}: {v}" for k, v in report.headline_facts(content)), ""]
    for key, frame in (("report_up", content.movers_up), ("report_down", content.movers_down)):
        lines.append(t(key, L) + ":")
        lines += [f"  {r.dimension}: {r.key}  NPS {fmt_nps(r.nps, L)} ({fmt_nps(r.delta, L)})"
                  for r in frame.itertuples()] or ["  " + t("report_no_movers", L)]
    if not content.theme_table.empty:
        lines += ["", t("report_themes", L) + ":"]
        lines += [f"  {r.label}: {t('impact', L)} {fmt_nps(r.impact, L)}, n = {int(r.mentions)}"
                  for r in content.theme_table.itertuples()]
    row = {"dataset": content.dataset, "response_id": periods.period_key(grain, start), "channel": sub.recipient,
           "recipients": sub.recipient, "rules": f"digest {sub.sub_id}", "subject": subject,
           "body": "\n".join(lines), "html": digest_html(content)}
    if sub.attach_pdf:
        row["attachment"] = report_export.render(content, "pdf")[0]
        row["attachment_name"] = report_export.file_name(content, "pdf")
    return row


def run(store: Store, now: dt.datetime | None = None, dry_run: bool = False, cfg: channels.Config | None = None,
        wait: float = 60.0) -> dict:
    """Queue the digests due at `now` and deliver everything due; see the module."""
    cfg = cfg or channels.load_config()
    now = now or dt.datetime.now()
    store.ensure_schema()
    configured = cfg.configured("digest@example.com")  # any address: is SMTP set up?
    if dry_run:
        would = pending(store, now)
        return {"dry_run": True, "now": now.isoformat(), "would_send": would,
                "unconfigured": 0 if configured else len(would)}
    if not configured:
        raise ValueError("e-mail is not configured (NPS_SMTP_HOST and NPS_SMTP_FROM); nothing was sent")
    skipped = []
    with outbox.run_lock(store, "digest"):
        rows = []
        for item in _due(store, now):  # read under the lock: a run that waited sees what the other queued
            try:
                rows.append({"alert_id": item["alert_id"],
                             **message(store, item["sub"], item["grain"], item["start"], now.date())})
            except StoreError as exc:  # no responses in the period: the next run tries again
                skipped.append({"sub_id": item["sub"].sub_id, "reason": str(exc)})
            except Exception as exc:  # noqa: BLE001 - one digest that cannot be built stops no other
                skipped.append({"sub_id": item["sub"].sub_id, "reason": f"{type(exc).__name__}: {exc}"[:300]})
        queued = outbox.put(store, pd.DataFrame(rows), "digest", dt.datetime.now())
        outcome = outbox.deliver_due(store, cfg, ("digest",), None, wait)
    return {"dry_run": False, "now": now.isoformat(), "queued": queued, **outbox.counts(outcome),
            "skipped": skipped, "digests": [{"alert_id": k, "status": v} for k, v in outcome.items()]}

