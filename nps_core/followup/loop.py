"""Follow-up of critical responses, promoters to thank, and the closed-loop figures.

A case is a response an active alert rule marks critical. Its state is the
latest row of `case_events` (append-only: every change is a new row with who
and when); a case without rows is "new". First contact is the first change to
"contacted" or "resolved" (someone who resolved a case has spoken to the
customer); "no action" is a decision not to call.

Deadlines: first contact is due within the shortest `contact_hours` of the
rules that fired (48 by default); a new case past it is overdue, and the
alerts run tells the rules' `escalate_to` channel once (notify.run). Closing
a case (resolved, no action) names its root cause, a theme. A closed case
whose customer (same customer id) answers again with a detractor score
after it was closed is open again ("new", reopened).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nps_core.analysis.aggregates import data_range
from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import scope
from nps_core.base.i18n import fmt_int, fmt_nps, fmt_pct, t
from nps_core.base.metrics import PASSIVE_MIN, detractor_sql, nps_sql, promoter_sql
from nps_core.base.safe_export import spreadsheet
from nps_core.base.sql import insert_new_sql, next_id_sql
from nps_core.db import audit
from nps_core.db.errors import StoreError, retrying
from nps_core.db.store import Store
from nps_core.followup import alerts
from nps_core.text import taxonomy

STATUSES = ("new", "contacted", "resolved", "no_action")
OPEN = ("new", "contacted")
CONTACT_SQL = "('contacted', 'resolved')"  # the statuses that mean someone spoke to the customer
CONTACT_WITHIN_HOURS = 48
CLOSED = ("resolved", "no_action")


def _cases_sql(con, filters: Filters) -> tuple[str, list, str]:
    """Every critical response under `filters` with its current state, its
    first-contact deadline and first contact, and whether it was reopened."""
    crit, params, dataset = alerts.critical_sql(con, filters, alerts.read_rules(con, active_only=True))
    sql = f"""
        WITH crit AS ({crit}),
        latest AS (SELECT * FROM case_events WHERE dataset = ?
                   QUALIFY row_number() OVER (PARTITION BY response_id ORDER BY event_id DESC) = 1),
        first AS (SELECT response_id, min(changed_at) AS first_contact FROM case_events
                  WHERE dataset = ? AND status IN {CONTACT_SQL} GROUP BY response_id),
        c AS (SELECT r.responded_at, r.response_id, r.score, r.comment, r.customer_id, r.touchpoint, r.product,
                     r.channel, r.agent, r.nps_type, crit.rules, crit.recipients, crit.escalate_to,
                     coalesce(l.status, 'new') AS recorded_status, l.owner, l.note, l.changed_by, l.changed_at,
                     l.root_cause, crit.contact_hours, f.first_contact
              FROM crit JOIN responses r ON r.dataset = ? AND r.response_id = crit.response_id
              LEFT JOIN latest l ON l.response_id = crit.response_id
              LEFT JOIN first f ON f.response_id = crit.response_id),
        r AS (SELECT c.*, CASE WHEN recorded_status IN {CLOSED!r} THEN (
                  SELECT min(later.responded_at) FROM responses later WHERE later.dataset = ?
                  AND later.customer_id = c.customer_id AND later.score < {PASSIVE_MIN}
                  AND later.responded_at > c.changed_at) END AS reopened_at
              FROM c)
        SELECT r.* EXCLUDE (recorded_status, contact_hours), reopened_at IS NOT NULL AS reopened,
               CASE WHEN reopened_at IS NOT NULL THEN 'new' ELSE recorded_status END AS status,
               -- a reopened case is due again, counted from the customer's new answer
               coalesce(reopened_at, responded_at) + contact_hours * INTERVAL 1 HOUR AS deadline
        FROM r"""
    return sql, [*params, dataset, dataset, dataset, dataset], dataset


def _overdue(now: dt.datetime | None) -> tuple[str, list]:
    """SQL (over _cases_sql's rows) for a case whose first contact is overdue
    at `now` (a reopened case has had no contact since it was reopened: any
    change after the customer's new answer ends "reopened")."""
    return ("(status = 'new' AND (first_contact IS NULL OR reopened) AND deadline < ?)",
            [now or dt.datetime.now()])


def _checked(statuses) -> list[str]:
    unknown = set(statuses) - set(STATUSES)
    if unknown:
        raise ValueError(f"unknown status: {', '.join(sorted(unknown))}")
    return list(statuses)


def cases(store: Store, filters: Filters, statuses=OPEN, limit: int = 25, offset: int = 0,
          now: dt.datetime | None = None) -> pd.DataFrame:
    """Critical responses in these statuses, newest first, with `overdue`
    (first contact past its deadline at `now`)."""
    store.ensure_schema()
    statuses = _checked(statuses)
    overdue, when = _overdue(now)
    with store.read() as con:
        sql, params, _ = _cases_sql(con, filters)
        marks = ", ".join("?" for _ in statuses) or "NULL"
        return con.execute(
            f"SELECT *, {overdue} AS overdue FROM ({sql}) WHERE status IN ({marks}) "
            "ORDER BY responded_at DESC, response_id LIMIT ? OFFSET ?",
            [*when, *params, *statuses, int(limit), int(offset)],
        ).df()


def case_counts(store: Store, filters: Filters, now: dt.datetime | None = None) -> dict[str, int]:
    """Number of cases per status (every status present, zero when none),
    and "overdue": new cases past their first-contact deadline at `now`."""
    store.ensure_schema()
    overdue, when = _overdue(now)
    with store.read() as con:
        sql, params, _ = _cases_sql(con, filters)
        rows = dict(con.execute(f"SELECT status, count(*) FROM ({sql}) GROUP BY status", params).fetchall())
        late = con.execute(f"SELECT count(*) FROM ({sql}) WHERE {overdue}", [*params, *when]).fetchone()[0]
    return {**{s: int(rows.get(s, 0)) for s in STATUSES}, "overdue": int(late)}


def escalations(store: Store, dataset: str | None, days: int, now: dt.datetime) -> pd.DataFrame:
    """Overdue cases of the `days` days up to the dataset's latest response,
    one row per escalation channel of their rules (`send_to`)."""
    rng = data_range(store, dataset)
    if rng is None:
        return pd.DataFrame()
    filters = Filters(dataset=dataset, date_from=rng[1] - dt.timedelta(days=days), date_to=rng[1])
    overdue, when = _overdue(now)
    with store.read() as con:
        sql, params, ds = _cases_sql(con, filters)
        return con.execute(
            f"""SELECT ? AS dataset, * EXCLUDE (escalate_to), unnest(escalate_to) AS send_to
                FROM ({sql}) WHERE {overdue} AND len(escalate_to) > 0
                ORDER BY responded_at, response_id, send_to""", [ds, *params, *when],
        ).df()


@retrying
def update_case(store: Store, dataset: str, response_id: str, status: str, owner: str | None,
                note: str | None, changed_by: str, at: dt.datetime | None = None,
                root_cause: str | None = None) -> None:
    """Record a change of a case (a new history row; nothing is overwritten).
    Closing it (resolved, no action) needs its root cause: a theme key of the
    dataset's taxonomy."""
    _checked([status])
    if not (changed_by or "").strip():
        raise ValueError("say who makes the change")
    root_cause = (root_cause or "").strip() or None
    with store.write("case_change", dataset) as con:  # the role and scope first: a refusal says so
        if status in CLOSED and root_cause is None:
            raise ValueError("choose the root cause (a theme) before closing the case")
        # the scope's rows only (Store.write): a case outside it is "no response"
        if not con.execute("SELECT 1 FROM responses WHERE dataset = ? AND response_id = ?",
                           [dataset, response_id]).fetchone():
            raise StoreError(f"no response {response_id!r} in dataset {dataset!r}")
        if root_cause and root_cause not in {th["key"] for th in taxonomy.for_dataset(con, dataset)["themes"]}:
            raise ValueError(f"unknown theme {root_cause!r} as root cause")
        owner, note = (owner or "").strip() or None, (note or "").strip() or None
        con.execute(
            "INSERT INTO case_events (event_id, dataset, response_id, status, owner, note, changed_by, changed_at, "
            f"root_cause) VALUES ({next_id_sql('case_events', 'event_id')}, ?, ?, ?, ?, ?, ?, ?, ?)",
            [dataset, response_id, status, owner, note, changed_by.strip(), at or dt.datetime.now(),
             root_cause if status in CLOSED else None],
        )
        audit.record(con, store, "case_change", dataset,
                     {"response_id": response_id, "status": status, "owner": owner, "note": note})


def history(store: Store, dataset: str, response_id: str) -> pd.DataFrame:
    """Every change of one case, oldest first."""
    store.ensure_schema()
    with store.read() as con:
        return con.execute(
            "SELECT changed_at, changed_by, status, owner, note, root_cause FROM case_events "
            "WHERE dataset = ? AND response_id = ? ORDER BY event_id", [dataset, response_id],
        ).df()


# -- promoters to thank -------------------------------------------------------
THANK_COLUMNS = ("responded_at", "response_id", "customer_id", "score", "comment", "nps_type", "touchpoint",
                 "product", "agent")


def _promoters_sql(con, filters: Filters, include_thanked: bool) -> tuple[str, list, str]:
    sc = scope(con, filters)
    where, params = sc.where(filters)
    thanked = "" if include_thanked else "AND t.response_id IS NULL"
    return (
        f"""SELECT {', '.join('r.' + c for c in THANK_COLUMNS)}, t.thanked_at
            FROM (SELECT * FROM responses WHERE {where}) r
            LEFT JOIN promoter_thanks t ON t.dataset = r.dataset AND t.response_id = r.response_id
            WHERE {promoter_sql("r.score")} AND r.customer_id IS NOT NULL {thanked}""",
        params, sc.dataset,
    )


def promoters(store: Store, filters: Filters, include_thanked: bool = False,
              limit: int | None = 100) -> pd.DataFrame:
    """Promoters with a customer id (someone to thank), newest first."""
    store.ensure_schema()
    with store.read() as con:
        sql, params, _ = _promoters_sql(con, filters, include_thanked)
        return con.execute(f"{sql} ORDER BY r.responded_at DESC, r.response_id LIMIT ?",
                           [*params, limit]).df()


def promoter_count(store: Store, filters: Filters, include_thanked: bool = False) -> int:
    store.ensure_schema()
    with store.read() as con:
        sql, params, _ = _promoters_sql(con, filters, include_thanked)
        return con.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


def export_promoters(store: Store, filters: Filters, fmt: str, include_thanked: bool = False,
                     lang: str = "en") -> bytes:
    """The promoters for a mail merge, as CSV (UTF-8 with BOM) or Excel, formula-safe."""
    store.access.require("export_comments", filters.dataset)
    rows = promoters(store, filters, include_thanked, limit=None).drop(columns=["thanked_at"])
    audit.log(store, "export_promoters", filters.dataset, {"format": fmt, "rows": len(rows), **_described(filters)})
    return spreadsheet(rows, fmt, "promoters", lang)


def _described(filters: Filters) -> dict:
    """The filters of an export, for the audit trail."""
    return {"from": filters.date_from, "to": filters.date_to, "types": list(filters.nps_types),
            "dims": {d: list(v) for d, v in filters.dims}}


@retrying
def mark_thanked(store: Store, filters: Filters, thanked_by: str, at: dt.datetime | None = None) -> int:
    """Mark every promoter to thank under `filters` as thanked; returns how many."""
    if not (thanked_by or "").strip():
        raise ValueError("say who thanked them")
    with store.write("thank", filters.dataset) as con:
        sql, params, dataset = _promoters_sql(con, filters, include_thanked=False)
        n = con.execute(
            insert_new_sql("promoter_thanks", ("dataset", "response_id", "thanked_by", "thanked_at"),
                           f"SELECT ? AS dataset, response_id, ? AS thanked_by, ? AS thanked_at FROM ({sql})",
                           ("dataset", "response_id")),
            [dataset, thanked_by.strip(), at or dt.datetime.now(), *params],
        ).fetchone()[0]
        audit.record(con, store, "thank", dataset, {"promoters": n, **_described(filters)})
        return n


# -- closed-loop figures ------------------------------------------------------
def loop_figures(store: Store, filters: Filters, now: dt.datetime | None = None) -> dict:
    """How well the team closes the loop on the critical detractors (score
    0–6) that responded under `filters`:

    critical          number of critical detractors
    due               those whose 48 hours have passed at `now` (the fair base)
    contacted_48h     of `due`, first contacted within 48 hours; share_48h = contacted_48h / due
    contacted         contacted at all; median_hours_to_contact over them
    resolved          currently resolved; resolved_share = resolved / critical
    called_back_answered   contacted customers (same customer_id) who answered
                      again after the first contact; later_mean_score and
                      later_nps of their first later answer, before_mean_score
                      of the critical answer they were called about
    """
    store.ensure_schema()
    now = now or dt.datetime.now()
    with store.read() as con:
        sql, params, dataset = _cases_sql(con, filters)
        row = con.execute(
            f"""WITH c AS (SELECT * FROM ({sql}) WHERE {detractor_sql()}),
                cc AS (SELECT c.*, date_diff('second', c.responded_at, c.first_contact) / 3600.0 AS hours FROM c),
                later AS (SELECT cc.response_id, any_value(cc.score) AS before,
                                 arg_min(l.score, l.responded_at) AS after
                          FROM cc JOIN responses l ON l.dataset = ? AND l.customer_id = cc.customer_id
                                                  AND l.responded_at > cc.first_contact
                          GROUP BY cc.response_id)
                SELECT (SELECT count(*) FROM cc),
                       (SELECT count(*) FROM cc WHERE responded_at <= ?),
                       (SELECT count(*) FROM cc WHERE responded_at <= ? AND hours <= {CONTACT_WITHIN_HOURS}),
                       (SELECT count(first_contact) FROM cc),
                       (SELECT median(hours) FROM cc),
                       (SELECT count(*) FROM cc WHERE status = 'resolved'),
                       (SELECT count(*) FROM later),
                       (SELECT avg(after) FROM later),
                       (SELECT {nps_sql("after")} FROM later),
                       (SELECT avg(before) FROM later)""",
            [*params, dataset, now - dt.timedelta(hours=CONTACT_WITHIN_HOURS),
             now - dt.timedelta(hours=CONTACT_WITHIN_HOURS)],
        ).fetchone()
    critical, due, within, contacted, median_h, resolved, answered, later_mean, later_nps, before = row
    return {
        "critical": critical, "due": due, "contacted_48h": within,
        "share_48h": within / due if due else None,
        "contacted": contacted,
        "median_hours_to_contact": float(median_h) if median_h is not None else None,
        "resolved": resolved, "resolved_share": resolved / critical if critical else None,
        "called_back_answered": answered,
        "later_mean_score": float(later_mean) if later_mean is not None else None,
        "later_nps": float(later_nps) if later_nps is not None else None,
        "before_mean_score": float(before) if before is not None else None,
    }


def loop_lines(fig: dict, lang: str) -> list[dict]:
    """loop_figures() as the four figures the Follow-up page and the board
    report show: {"label", "value", "caption", "help"} each, in the language."""
    def num(v):
        return fmt_nps(v, lang, signed=False) if v is not None else "–"

    hours, later = fig["median_hours_to_contact"], fig["later_mean_score"]
    return [
        {"label": t("fu_contacted_48h", lang), "value": fmt_pct(fig["share_48h"], lang),
         "caption": t("fu_of", lang, k=fmt_int(fig["contacted_48h"], lang), n=fmt_int(fig["due"], lang)),
         "help": t("fu_contacted_48h_help", lang)},
        {"label": t("fu_median_contact", lang), "value": t("fu_hours", lang, h=num(hours)) if hours is not None else "–",
         "caption": t("fu_contacted_n", lang, n=fmt_int(fig["contacted"], lang)), "help": None},
        {"label": t("fu_resolved", lang), "value": fmt_pct(fig["resolved_share"], lang),
         "caption": t("fu_of", lang, k=fmt_int(fig["resolved"], lang), n=fmt_int(fig["critical"], lang)), "help": None},
        {"label": t("fu_later_score", lang), "value": num(later),
         "caption": t("fu_later_caption", lang, before=num(fig["before_mean_score"]), nps=fmt_nps(fig["later_nps"], lang),
                      n=fmt_int(fig["called_back_answered"], lang)) if later is not None else "",
         "help": t("fu_later_help", lang)},
    ]
