"""Notifications of critical responses and escalations of overdue cases, each sent once.

`run()` is what `python -m nps_core alerts --notify` does, from cron every
few minutes: new critical responses of the last days (one alert per response
× channel of the rules that fired, keyed by alert_id) and escalations of
overdue cases go into the outbox (outbox.py), which delivers them through
their channels (channels.py) exactly once.
"""


from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd

from nps_core.analysis.aggregates import data_range
from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import scope
from nps_core.base.i18n import DEFAULT_LANGUAGE, t
from nps_core.base.metrics import category
from nps_core.db.errors import retrying
from nps_core.db.store import Store
from nps_core.followup import alerts, channels, loop, outbox


def alert_id(dataset: str, response_id: str, channel: str) -> str:
    return hashlib.sha256(f"{dataset}\x1f{response_id}\x1f{channel}".encode()).hexdigest()[:24]


def _text(value) -> str | None:
    """A text field of a frame row; None for SQL NULL (NaN / None in pandas)."""
    return value if isinstance(value, str) and value else None


def message(row, lang: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """Subject (one line) and plain-text body of the alert about one response."""
    where = " · ".join(v for v in (_text(row.touchpoint), _text(row.product)) if v) or t(row.nps_type, lang)
    subject = channels.one_line(t("alert_subject", lang, score=int(row.score), where=where))
    facts = [
        (t("alert_when", lang), row.responded_at.strftime("%Y-%m-%d %H:%M")),
        (t("score", lang), f"{int(row.score)} ({t(category(int(row.score)), lang)})"),
        (t("programme_type", lang), t(row.nps_type, lang)),
        *((t("dim_" + c, lang), _text(getattr(row, c))) for c in ("touchpoint", "product", "channel", "agent")
          if _text(getattr(row, c))),
        (t("customer_id", lang), _text(row.customer_id) or "–"),
        (t("alert_rule", lang), ", ".join(row.rules)),
        (t("alert_for", lang), ", ".join(row.recipients)),
        (t("dataset", lang) + " / id", f"{row.dataset} / {row.response_id}"),
    ]
    lines = [f"{k}: {v}" for k, v in facts]
    body = "\n".join(lines) + "\n\n" + t("alert_comment", lang) + ":\n" + (_text(row.comment) or "–")
    return subject, body


def candidates(store: Store, dataset: str | None, days: int) -> pd.DataFrame:
    """Alerts not in the outbox yet: critical responses of the `days` days up
    to the dataset's latest response, one row per channel of the rules that fired."""
    rng = data_range(store, dataset)
    if rng is None:
        return pd.DataFrame()
    filters = Filters(dataset=dataset, date_from=rng[1] - dt.timedelta(days=days), date_to=rng[1])
    with store.read() as con:
        sc = scope(con, filters)
        where, params = sc.where(filters)
        sql, params = alerts.matches_sql(con, sc.dataset, where, params, alerts.read_rules(con, active_only=True))
        df = con.execute(
            f"""SELECT r.dataset, r.response_id, r.responded_at, r.score, r.comment, r.nps_type, r.touchpoint,
                       r.product, r.channel, r.agent, r.customer_id, a.channel AS send_to,
                       list(DISTINCT a.name ORDER BY a.name) AS rules,
                       list(DISTINCT a.recipient ORDER BY a.recipient) AS recipients
                FROM ({sql}) m JOIN alert_rules a USING (rule_id)
                JOIN responses r ON r.dataset = ? AND r.response_id = m.response_id
                GROUP BY ALL ORDER BY r.responded_at, r.response_id, send_to""",
            [*params, sc.dataset],
        ).df()
        sent = {r[0] for r in con.execute("SELECT alert_id FROM alert_outbox WHERE dataset = ?", [sc.dataset]).fetchall()}
    if df.empty:
        return df
    df["alert_id"] = [alert_id(d, r, c) for d, r, c in zip(df["dataset"], df["response_id"], df["send_to"])]
    return df[~df["alert_id"].isin(sent)].reset_index(drop=True)


@retrying
def enqueue(store: Store, new: pd.DataFrame, now: dt.datetime) -> int:
    rows = pd.DataFrame([
        {"alert_id": r.alert_id, "dataset": r.dataset, "response_id": r.response_id, "channel": r.send_to,
         "recipients": ", ".join(r.recipients), "rules": ", ".join(r.rules), **dict(zip(("subject", "body"), message(r)))}
        for r in new.itertuples()
    ])
    return outbox.put(store, rows, "alert", now)


def _listing(df: pd.DataFrame) -> list[dict]:
    return [{"alert_id": r.alert_id, "dataset": r.dataset, "response_id": r.response_id,
             "responded_at": r.responded_at.isoformat(sep=" "), "score": int(r.score), "channel": r.send_to,
             "recipients": list(r.recipients), "rules": list(r.rules)} for r in df.itertuples()]


def escalation_candidates(store: Store, dataset: str | None, days: int, now: dt.datetime) -> pd.DataFrame:
    """Escalations not in the outbox yet: overdue cases (loop.escalations) x
    their rules' escalation channels."""
    df = loop.escalations(store, dataset, days, now)
    if df.empty:
        return df
    df["alert_id"] = [alert_id(d, r, "escalate:" + c) for d, r, c in zip(df["dataset"], df["response_id"], df["send_to"])]
    with store.read() as con:
        queued = {r[0] for r in con.execute("SELECT alert_id FROM alert_outbox WHERE kind = 'escalation'").fetchall()}
    return df[~df["alert_id"].isin(queued)].reset_index(drop=True)


def escalation_message(row, lang: str = DEFAULT_LANGUAGE) -> tuple[str, str]:
    """The alert about the response, headed by the deadline that passed."""
    subject, body = message(row, lang)
    due = t("escalation_due", lang, deadline=row.deadline.strftime("%Y-%m-%d %H:%M"))
    return t("escalation_subject", lang, subject=subject), due + "\n" + body


def enqueue_escalations(store: Store, new: pd.DataFrame, now: dt.datetime) -> int:
    rows = pd.DataFrame([
        {"alert_id": r.alert_id, "dataset": r.dataset, "response_id": r.response_id, "channel": r.send_to,
         "recipients": ", ".join(r.recipients), "rules": ", ".join(r.rules),
         **dict(zip(("subject", "body"), escalation_message(r)))}
        for r in new.itertuples()
    ])
    return outbox.put(store, rows, "escalation", now)


def _split(df: pd.DataFrame, cfg: channels.Config) -> tuple[pd.DataFrame, dict]:
    """The rows whose channel is configured, and a count per channel that is not."""
    if df.empty:
        return df, {}
    configured = df["send_to"].map(cfg.configured)
    return df[configured], df[~configured]["send_to"].value_counts().to_dict()


def run(store: Store, dataset: str | None = None, days: int = 7, dry_run: bool = False,
        cfg: channels.Config | None = None, wait: float = 60.0) -> dict:
    """Queue the new critical responses and the escalations of overdue cases,
    and deliver everything due; retry failures with back-off for up to
    `wait` seconds, later runs go on."""
    cfg = cfg or channels.load_config()
    store.ensure_schema()
    ready, unconfigured = _split(candidates(store, dataset, days), cfg)
    late, late_unconfigured = _split(escalation_candidates(store, dataset, days, dt.datetime.now()), cfg)
    for channel, n in late_unconfigured.items():
        unconfigured[channel] = unconfigured.get(channel, 0) + n
    if dry_run:
        return {"dry_run": True, "would_send": _listing(ready), "would_escalate": _listing(late),
                "unconfigured": unconfigured}
    targets = sorted(c for c in _outbox_channels(store) | set(ready.get("send_to", [])) | set(late.get("send_to", []))
                      if cfg.configured(c))
    with outbox.run_lock(store):
        queued = enqueue(store, ready, dt.datetime.now())
        escalated = enqueue_escalations(store, late, dt.datetime.now())
        outcome = outbox.deliver_due(store, cfg, ("alert", "escalation"), targets, wait)
        unrecorded = len(outbox.Journal(store, ("alert", "escalation")).entries())  # the next run records them
    return {"dry_run": False, "queued": queued, "escalations": escalated, **outbox.counts(outcome),
            "unconfigured": unconfigured, "unrecorded": unrecorded,
            "alerts": [{"alert_id": k, "status": v} for k, v in outcome.items()]}


def _outbox_channels(store: Store) -> set[str]:
    with store.read() as con:
        return {r[0] for r in con.execute(
            "SELECT DISTINCT channel FROM alert_outbox WHERE status IN ('pending', 'sending', 'failed') "
            "AND coalesce(kind, 'alert') IN ('alert', 'escalation')").fetchall()}


