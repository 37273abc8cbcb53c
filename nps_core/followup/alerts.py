"""Alert rules: which responses are critical, and who hears about them.

A rule marks a response critical when its score lies in [score_min,
score_max], or when it is a detractor whose comment reads at least as
negative as `sentiment_max` (the default rule "critical": score 0–3, or a
detractor with sentiment ≤ −0.5). Themes (any of), programme types and
dimension values narrow a rule down ("contact-centre detractors mentioning
waiting time"). Rules live in the store (`alert_rules`, seeded with the
default by the schema) and are evaluated in DuckDB SQL, values bound as
parameters and dimension names checked against the dataset and quoted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from nps_core.analysis.filters import Filters
from nps_core.analysis.scope import enriched_sql, scope
from nps_core.base.metrics import detractor_sql
from nps_core.base.sql import next_id_sql, quote_ident
from nps_core.db import audit
from nps_core.db.catalog import groupable_columns
from nps_core.db.errors import StoreError, retrying
from nps_core.db.schema import NPS_TYPES
from nps_core.db.store import Store
from nps_core.text import taxonomy

RULE_COLUMNS = ("rule_id", "name", "dataset", "score_min", "score_max", "sentiment_max", "themes",
                "nps_types", "dims", "recipient", "channel", "active", "contact_hours", "escalate_to")
DEFAULT_CONTACT_HOURS = 48
# A channel is an e-mail address or the name of a configured webhook. An address is one mailbox:
# RFC 5322's dot-atom local part (no comma, semicolon, quote or angle bracket, which would make
# "a,b@evil.example" two recipients) at a domain of letters, digits and hyphens, with a dot.
_EMAIL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_WEBHOOK_NAME = re.compile(r"^webhook(:[a-z0-9_-]+)?$")


@dataclass(frozen=True)
class Rule:
    name: str
    recipient: str
    channel: str
    score_min: int = 0
    score_max: int = 3
    sentiment_max: float | None = None
    themes: tuple[str, ...] = ()
    nps_types: tuple[str, ...] = ()
    dims: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())
    dataset: str | None = None  # None: every dataset
    active: bool = True
    rule_id: int | None = None  # None: not stored yet
    contact_hours: int = DEFAULT_CONTACT_HOURS  # first contact due within this many hours of the answer
    escalate_to: str | None = None  # a second channel told once when that deadline passes

    def predicate(self, columns) -> tuple[str, list] | None:
        """SQL condition on `r` (a response with its sentiment and themes), with its
        parameters; None when the rule names a column `columns` lacks."""
        if any(d not in columns for d, _ in self.dims):
            return None
        score = "r.score BETWEEN ? AND ?"
        params: list = [self.score_min, self.score_max]
        if self.sentiment_max is not None:
            score = f"({score} OR ({detractor_sql('r.score')} AND r.sentiment <= ?))"
            params.append(self.sentiment_max)
        clauses = [score]
        if self.themes:
            clauses.append("list_has_any(r.themes, ?::VARCHAR[])")
            params.append(list(self.themes))
        if self.nps_types:
            clauses.append(f"r.nps_type IN ({', '.join('?' for _ in self.nps_types)})")
            params += list(self.nps_types)
        for dim, values in self.dims:
            clauses.append(f"CAST(r.{quote_ident(dim)} AS VARCHAR) IN ({', '.join('?' for _ in values)})")
            params += list(values)
        return " AND ".join(clauses), params


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def channel_kind(channel: str) -> str:
    """"email" or "webhook"; ValueError for anything else."""
    if is_email(channel):
        return "email"
    if _WEBHOOK_NAME.match(channel):
        return "webhook"
    raise ValueError(f"channel must be an e-mail address, 'webhook' or 'webhook:NAME', not {channel!r}")


def validate(rule: Rule, columns, theme_keys) -> Rule:
    """The rule with clean values, or ValueError saying what is wrong."""
    name, recipient, channel = rule.name.strip(), rule.recipient.strip(), rule.channel.strip()
    if not name:
        raise ValueError("a rule needs a name")
    if not recipient:
        raise ValueError("a rule needs a recipient (a team or a person)")
    channel_kind(channel)
    if not 0 <= rule.score_min <= rule.score_max <= 10:
        raise ValueError("the score range must lie within 0–10, lowest first")
    if rule.sentiment_max is not None and not -1 <= rule.sentiment_max <= 1:
        raise ValueError("the sentiment threshold must lie within −1 and 1")
    unknown = set(rule.themes) - set(theme_keys)
    if unknown:
        raise ValueError(f"unknown theme(s): {', '.join(sorted(unknown))}")
    unknown = set(rule.nps_types) - set(NPS_TYPES)
    if unknown:
        raise ValueError(f"unknown programme type(s): {', '.join(sorted(unknown))}")
    for dim, values in rule.dims:
        if dim not in columns:
            raise ValueError(f"unknown column {dim!r}")
        if not values:
            raise ValueError(f"choose at least one value of {dim!r}")
    if not 1 <= int(rule.contact_hours) <= 24 * 90:
        raise ValueError("the first-contact deadline must lie between 1 hour and 90 days")
    escalate_to = (rule.escalate_to or "").strip() or None
    if escalate_to:
        channel_kind(escalate_to)
    return replace(rule, name=name, recipient=recipient, channel=channel, contact_hours=int(rule.contact_hours),
                   escalate_to=escalate_to)


def _from_row(row) -> Rule:
    d = dict(zip(RULE_COLUMNS, row))
    dims = json.loads(d.pop("dims") or "{}")
    return Rule(**{**d, "themes": tuple(d["themes"]), "nps_types": tuple(d["nps_types"]),
                   "dims": tuple((k, tuple(v)) for k, v in dims.items()),
                   "contact_hours": d["contact_hours"] or DEFAULT_CONTACT_HOURS})


def read_rules(con, active_only: bool = False) -> list[Rule]:
    rows = con.execute(
        f"SELECT {', '.join(RULE_COLUMNS)} FROM alert_rules "
        + ("WHERE active " if active_only else "") + "ORDER BY rule_id"
    ).fetchall()
    return [_from_row(r) for r in rows]


def list_rules(store: Store, active_only: bool = False) -> list[Rule]:
    store.ensure_schema()
    with store.read() as con:
        return read_rules(con, active_only)


@retrying
def save_rule(store: Store, rule: Rule, dataset: str | None = None) -> int:
    """Insert (rule_id None) or update a rule after validating it against the
    columns of `dataset` (or the rule's own dataset); returns its id."""
    with store.write("alert_rule", rule.dataset or dataset) as con:
        target = rule.dataset or dataset
        columns = groupable_columns(con, target or "")  # no dataset: the canonical dimensions
        themes = taxonomy.default()["themes"] + (taxonomy.for_dataset(con, target)["themes"] if target else [])
        rule = validate(rule, columns, {th["key"] for th in themes})
        values = [rule.name, rule.dataset, rule.score_min, rule.score_max, rule.sentiment_max,
                  list(rule.themes), list(rule.nps_types), json.dumps({d: list(v) for d, v in rule.dims}),
                  rule.recipient, rule.channel, rule.active, rule.contact_hours, rule.escalate_to]
        clash = con.execute("SELECT rule_id FROM alert_rules WHERE name = ? AND rule_id IS DISTINCT FROM ?",
                            [rule.name, rule.rule_id]).fetchone()
        if clash:
            raise ValueError(f"a rule named {rule.name!r} exists already")
        # no RETURNING: DuckLake has none
        if rule.rule_id is None:
            rule_id = con.execute(f"SELECT {next_id_sql('alert_rules', 'rule_id')}").fetchone()[0]
            con.execute(f"INSERT INTO alert_rules ({', '.join(RULE_COLUMNS)}) "
                        f"VALUES ({', '.join('?' for _ in RULE_COLUMNS)})", [rule_id, *values])
        else:
            if not con.execute("SELECT 1 FROM alert_rules WHERE rule_id = ?", [rule.rule_id]).fetchone():
                raise StoreError(f"no alert rule with id {rule.rule_id}")
            sets = ", ".join(f"{c} = ?" for c in RULE_COLUMNS[1:])
            con.execute(f"UPDATE alert_rules SET {sets}, updated_at = current_timestamp WHERE rule_id = ?",
                        [*values, rule.rule_id])
            rule_id = rule.rule_id
        audit.record(con, store, "alert_rule", target, {"rule_id": rule_id, **dict(zip(RULE_COLUMNS[1:], values))})
        return rule_id


def matches_sql(con, dataset: str, where: str, params: list, rules: list[Rule]) -> tuple[str, list]:
    """A query of (response_id, rule_id) for every response of `where` (a
    Filters clause) that an active rule marks critical."""
    columns = set(groupable_columns(con, dataset))
    parts, all_params = [], []
    for rule in rules:
        if not rule.active or (rule.dataset and rule.dataset != dataset):
            continue
        pred = rule.predicate(columns)
        if pred is None:
            continue
        parts.append(f"SELECT response_id, {int(rule.rule_id)} AS rule_id FROM base r WHERE {pred[0]}")
        all_params += pred[1]
    if not parts:
        parts, all_params = ["SELECT NULL::VARCHAR AS response_id, NULL::INTEGER AS rule_id WHERE false"], []
    # the dataset's own theme tags when its taxonomy was edited
    sql = f"WITH base AS (SELECT * FROM {enriched_sql(where, 'LEFT')}) " + " UNION ALL ".join(parts)
    return sql, [*params, *all_params]


def critical_sql(con, filters: Filters, rules: list[Rule]) -> tuple[str, list, str]:
    """A query of the critical responses under `filters`: response_id, the
    names of the rules that fired (`rules`), the shortest first-contact
    deadline of those rules in hours (`contact_hours`) and their escalation
    channels (`escalate_to`); also the resolved dataset."""
    sc = scope(con, filters)
    where, params = sc.where(filters)
    sql, params = matches_sql(con, sc.dataset, where, params, rules)
    return (
        f"""SELECT m.response_id, list(DISTINCT a.name ORDER BY a.name) AS rules,
                   list(DISTINCT a.recipient ORDER BY a.recipient) AS recipients,
                   min(coalesce(a.contact_hours, {DEFAULT_CONTACT_HOURS})) AS contact_hours,
                   list(DISTINCT a.escalate_to ORDER BY a.escalate_to) FILTER (WHERE a.escalate_to IS NOT NULL)
                       AS escalate_to
            FROM ({sql}) m JOIN alert_rules a USING (rule_id) GROUP BY m.response_id""",
        params,
        sc.dataset,
    )
