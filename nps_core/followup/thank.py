"""Thank-you e-mails to promoters: each promoter's response thanked once.

`run()` is what `python -m nps_core thank --send` does from cron. The
promoters (score 9–10) of the last `days` days up to the dataset's latest
response that have an e-mail address (a column of the dataset named like
EMAIL_COLUMNS), are not thanked yet, not queued yet and not on the opt-out
list (their address or customer id) get one message each, in their
comment's language (Dutch when it has none), from the template of that
language with its placeholders filled in; at most the daily cap a day.
Messages go through the alerts' outbox (kind "thank", one key per
response), so two runs at once or a run after a failure send each once; a
response whose message was accepted is recorded in `promoter_thanks`,
which the closed-loop figures count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import pandas as pd

from nps_core.analysis.aggregates import data_range
from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import enriched_sql, scope
from nps_core.base.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from nps_core.base.metrics import PROMOTER_MIN
from nps_core.base.sql import insert_new_sql, quote_ident, replace_row
from nps_core.db.catalog import extra_columns
from nps_core.db.schema import EMAIL_COLUMNS, NAME_COLUMNS
from nps_core.db.store import Store
from nps_core.followup import alerts, channels, outbox

PLACEHOLDERS = ("first_name", "touchpoint", "product")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
DEFAULT_CAP = 200
SENT_BY = "thank-you e-mail"


# -- templates, opt-outs, the daily cap ---------------------------------------------
def check_template(subject: str, body: str) -> None:
    """ValueError naming a placeholder the template may not use."""
    for text in (subject, body):
        unknown = sorted(set(_PLACEHOLDER.findall(text)) - set(PLACEHOLDERS))
        if unknown:
            raise ValueError(f"unknown placeholder {{{unknown[0]}}}; use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}")
    if not subject.strip() or not body.strip():
        raise ValueError("a template needs a subject and a text")


def templates(store: Store) -> dict[str, tuple[str, str]]:
    """{lang: (subject, body)}: the saved template, or the default, per language."""
    store.ensure_schema()
    with store.read() as con:
        saved = {r[0]: (r[1], r[2]) for r in con.execute("SELECT lang, subject, body FROM thank_templates").fetchall()}
    return {L: saved.get(L, (t("thank_subject", L), t("thank_body", L))) for L in LANGUAGES}


def save_template(store: Store, lang: str, subject: str, body: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    check_template(subject, body)
    with store.write("notification_settings") as con, store.transaction(con):
        replace_row(con, "thank_templates", {"lang": lang},
                    {"subject": subject.strip(), "body": body.strip(), "updated_at": dt.datetime.now()})


def fill(template: str, values: dict[str, str | None], lang: str) -> str:
    """The template with its placeholders replaced; a value the response lacks
    reads as a neutral word ("customer", "us")."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1)) or t("thank_missing_" + m.group(1), lang), template)


def optouts(store: Store) -> list[str]:
    store.ensure_schema()
    with store.read() as con:
        return [r[0] for r in con.execute("SELECT address FROM thank_optout ORDER BY address").fetchall()]


def set_optouts(store: Store, entries) -> int:
    """Replace the opt-out list (e-mail addresses or customer ids; matched
    without regard to case); returns its length."""
    clean = sorted({e.strip().lower() for e in entries if e and e.strip()})
    with store.write("notification_settings") as con, store.transaction(con):
        con.execute("DELETE FROM thank_optout")
        if clean:
            con.executemany("INSERT INTO thank_optout (address) VALUES (?)", [[e] for e in clean])
    return len(clean)


def daily_cap(store: Store) -> int:
    store.ensure_schema()
    with store.read() as con:
        row = con.execute("SELECT value FROM settings WHERE key = 'thank_daily_cap'").fetchone()
    return int(json.loads(row[0])) if row else DEFAULT_CAP


def set_daily_cap(store: Store, cap: int) -> None:
    if int(cap) < 0:
        raise ValueError("the daily cap is a number of messages, 0 or more")
    with store.write("notification_settings") as con, store.transaction(con):
        replace_row(con, "settings", {"key": "thank_daily_cap"}, {"value": json.dumps(int(cap))})


# -- who is thanked ------------------------------------------------------------------
def thank_id(dataset: str, response_id: str) -> str:
    """The idempotency key of the thank-you for one response."""
    return hashlib.sha256(f"thank\x1f{dataset}\x1f{response_id}".encode()).hexdigest()[:24]


def contact_columns(con, dataset: str) -> tuple[str | None, str | None]:
    """The dataset's e-mail and first-name columns (None when it has none)."""
    extra = extra_columns(con, dataset)
    pick = lambda names: next((c for c in names if extra.get(c) == "VARCHAR"), None)  # noqa: E731
    return pick(EMAIL_COLUMNS), pick(NAME_COLUMNS)


def candidates(store: Store, dataset: str | None, days: int, now: dt.datetime) -> tuple[pd.DataFrame, dict]:
    """Promoters to thank now, oldest first, at most what is left of today's
    cap; and counts of those held back (no address, opted out, over the cap)."""
    store.ensure_schema()
    rng = data_range(store, dataset)
    if rng is None:
        return pd.DataFrame(), {}
    filters = Filters(dataset=dataset, date_from=rng[1] - dt.timedelta(days=days), date_to=rng[1])
    with store.read() as con:
        sc = scope(con, filters)
        email_col, name_col = contact_columns(con, sc.dataset)
        where, params = sc.where(filters)
        if email_col is None:
            n = con.execute(f"SELECT count(*) FROM responses WHERE {where} AND score >= {PROMOTER_MIN}",
                            params).fetchone()[0]
            return pd.DataFrame(), {"address_column": None, "no_address": int(n)}
        name = f"x.{quote_ident(name_col)}" if name_col else "NULL"
        address = f"lower(trim(x.{quote_ident(email_col)}))"
        df = con.execute(
            f"""SELECT x.dataset, x.response_id, x.responded_at, x.customer_id, x.touchpoint, x.product,
                       {address} AS address, trim({name}) AS first_name, coalesce(x.language, '') AS language,
                       t.response_id IS NOT NULL AS thanked,
                       o.address IS NOT NULL OR oc.address IS NOT NULL AS opted_out
                FROM {enriched_sql(where, 'LEFT')}
                LEFT JOIN promoter_thanks t ON t.dataset = x.dataset AND t.response_id = x.response_id
                LEFT JOIN thank_optout o ON o.address = {address}
                LEFT JOIN thank_optout oc ON oc.address = lower(trim(x.customer_id))
                WHERE x.score >= {PROMOTER_MIN}
                ORDER BY x.responded_at, x.response_id""",
            params,
        ).df()
        queued = {r[0] for r in con.execute("SELECT alert_id FROM alert_outbox WHERE kind = 'thank'").fetchall()}
        sent_today = con.execute("SELECT count(*) FROM alert_outbox WHERE kind = 'thank' AND created_at::DATE = ?",
                                 [now.date()]).fetchone()[0]
    cap = daily_cap(store)
    df["alert_id"] = [thank_id(d, r) for d, r in zip(df["dataset"], df["response_id"])]
    valid = df["address"].map(lambda a: isinstance(a, str) and alerts.is_email(a))
    open_ = df[~df["thanked"] & ~df["alert_id"].isin(queued)]
    held = {"address_column": email_col, "no_address": int((~valid[open_.index]).sum()),
            "opted_out": int((valid[open_.index] & open_["opted_out"]).sum())}
    ready = open_[valid[open_.index] & ~open_["opted_out"]]
    room = max(cap - sent_today, 0)
    held["over_cap"] = max(len(ready) - room, 0)
    held["daily_cap"] = cap
    return ready.head(room).reset_index(drop=True), held


def message(row, tmpl: dict[str, tuple[str, str]]) -> tuple[str, str, str]:
    """(language, subject, body) of the thank-you for one candidate row."""
    lang = row.language if row.language in LANGUAGES else DEFAULT_LANGUAGE
    values = {"first_name": row.first_name, "touchpoint": row.touchpoint, "product": row.product}
    values = {k: v if isinstance(v, str) and v.strip() else None for k, v in values.items()}
    subject, body = tmpl[lang]
    # one line: a placeholder value must not start a new header
    return lang, " ".join(fill(subject, values, lang).split()), fill(body, values, lang)


def preview(store: Store, dataset: str | None, days: int = 7, now: dt.datetime | None = None,
            limit: int = 20) -> list[dict]:
    """What the next run would send: recipient, language, subject and text."""
    ready, _ = candidates(store, dataset, days, now or dt.datetime.now())
    tmpl = templates(store)
    out = []
    for r in ready.head(limit).itertuples():
        lang, subject, body = message(r, tmpl)
        out.append({"alert_id": r.alert_id, "response_id": r.response_id, "to": r.address, "lang": lang,
                    "responded_at": r.responded_at.isoformat(sep=" "), "subject": subject, "body": body})
    return out


def record_thanked(store: Store) -> int:
    """Mark the responses whose thank-you was accepted as thanked (once)."""
    with store.write() as con:
        return con.execute(
            insert_new_sql("promoter_thanks", ("dataset", "response_id", "thanked_by", "thanked_at"),
                           "SELECT dataset, response_id, ? AS thanked_by, sent_at AS thanked_at FROM alert_outbox "
                           "WHERE kind = 'thank' AND status = 'sent'", ("dataset", "response_id")), [SENT_BY],
        ).fetchone()[0]


def run(store: Store, dataset: str | None = None, days: int = 7, dry_run: bool = False,
        cfg: channels.Config | None = None, wait: float = 60.0, now: dt.datetime | None = None) -> dict:
    """Queue the thank-you messages due and deliver everything due; see the module."""
    cfg = cfg or channels.load_config()
    now = now or dt.datetime.now()
    if dry_run:
        ready, held = candidates(store, dataset, days, now)
        return {"dry_run": True, "would_send": preview(store, dataset, days, now, limit=len(ready)), **held,
                "unconfigured": 0 if cfg.configured("thanks@example.com") else len(ready)}
    if not cfg.configured("thanks@example.com"):
        raise ValueError("e-mail is not configured (NPS_SMTP_HOST and NPS_SMTP_FROM); nothing was sent")
    with outbox.run_lock(store, "thank"):
        record_thanked(store)  # a run that died after sending
        ready, held = candidates(store, dataset, days, now)  # under the lock: what another run queued is out
        tmpl = templates(store)
        rows = []
        for r in ready.itertuples():
            lang, subject, body = message(r, tmpl)
            rows.append({"alert_id": r.alert_id, "dataset": r.dataset, "response_id": r.response_id,
                         "channel": r.address, "recipients": r.customer_id if isinstance(r.customer_id, str) else "",
                         "rules": f"thank {lang}", "subject": subject, "body": body})
        queued = outbox.put(store, pd.DataFrame(rows), "thank", now)
        outcome = outbox.deliver_due(store, cfg, ("thank",), None, wait)
        thanked = record_thanked(store)
    return {"dry_run": False, "queued": queued, **outbox.counts(outcome), "thanked": thanked, **held,
            "thanks": [{"alert_id": k, "status": v} for k, v in outcome.items()]}
