"""The embedded demo dataset, loaded into an empty store on first start."""

from __future__ import annotations

import datetime as dt
import hashlib

import duckdb
import pandas as pd

from nps_core import DATA_DIR
from nps_core.analysis.filters import Filters
from nps_core.base.sql import next_id_sql
from nps_core.db.catalog import dataset_names
from nps_core.db.store import Store
from nps_core.followup import alerts, loop
from nps_core.ingest.importer import import_file
from nps_core.report import digest
from nps_core.text.enrich import upgrade

DEMO_FILE = DATA_DIR / "demo_responses.csv.gz"
DEMO_DATASET = "demo"
# The demo team followed up the critical cases of autumn 2025 and has not
# got to the last week of December yet, so the Follow-up page shows open
# cases and the closed-loop figures have something to measure.
FOLLOWED_FROM, FOLLOWED_TO = dt.date(2025, 9, 1), dt.date(2025, 12, 24)
OWNERS = ("Sanne", "Mohamed", "Lotte", "Jeroen")
DEMO_RULE = "Airfryer XL detractors"
# The demo team's monthly e-mail digest, to a reserved example address, so that
# `digest --dry-run` on a fresh install shows what a digest holds (issue 30)
DEMO_DIGEST = digest.Subscription("team@example.com", "monthly", "en", dataset=DEMO_DATASET, attach_pdf=True)


def ensure_demo(store: Store) -> bool:
    """Load the demo into a store that has no dataset yet; True if it did.
    A store with data is brought up to date instead (schema, enrichment and
    tags of a newer taxonomy).

    Safe to race: a second loader finds every response already stored.
    """
    if store.exists():
        with store.read() as con:
            try:
                has_data = bool(dataset_names(con))
            except duckdb.CatalogException:  # a file without our schema yet
                has_data = False
        if has_data:
            upgrade(store)
            return False
    import_file(store, DEMO_FILE, dataset=DEMO_DATASET)
    seed_followup(store)
    seed_digest(store)
    return True


def seed_digest(store: Store) -> bool:
    """The demo's digest subscription (once; True if it was added)."""
    if any(s.recipient == DEMO_DIGEST.recipient for s in digest.list_subscriptions(store)):
        return False
    digest.save_subscription(store, DEMO_DIGEST)
    return True


def _draw(response_id: str) -> int:
    """A stable number 0–9999 per response: the same demo follow-up on every machine."""
    return int(hashlib.md5(response_id.encode()).hexdigest()[:8], 16) % 10_000


def seed_followup(store: Store) -> int:
    """An example rule with an e-mail channel, and the demo team's follow-up
    of autumn 2025 (once; returns the number of history rows written)."""
    if not any(r.name == DEMO_RULE for r in alerts.list_rules(store)):
        # the demo's problem product: its product manager hears of every detractor by e-mail
        alerts.save_rule(store, alerts.Rule(
            name=DEMO_RULE, recipient="Product manager Airfryer", channel="airfryer-pm@example.com",
            score_min=0, score_max=6, nps_types=("product",), dims=(("product", ("Airfryer XL",)),)), DEMO_DATASET)
    with store.read() as con:
        if con.execute("SELECT count(*) FROM case_events WHERE dataset = ?", [DEMO_DATASET]).fetchone()[0]:
            return 0
    cases = loop.cases(store, Filters(dataset=DEMO_DATASET, date_from=FOLLOWED_FROM, date_to=FOLLOWED_TO),
                       statuses=("new",), limit=1_000_000)
    events = []
    for r in cases.itertuples():
        draw = _draw(r.response_id)
        owner = OWNERS[draw % len(OWNERS)]
        if draw % 100 < 60:  # called back: mostly within two days, some late (1 to 82 hours)
            first = r.responded_at + dt.timedelta(hours=1 + ((draw // 100) % 10) ** 2)
            events.append((r.response_id, "contacted", owner, "Called back", owner, first))
            if draw % 100 < 40:
                events.append((r.response_id, "resolved", owner, "Solved with the customer", owner,
                               first + dt.timedelta(days=1)))
        elif draw % 100 < 70:
            events.append((r.response_id, "no_action", owner, "No phone number", owner,
                           r.responded_at + dt.timedelta(hours=20)))
    frame = pd.DataFrame(events, columns=["response_id", "status", "owner", "note", "changed_by", "changed_at"])
    frame = frame.sort_values(["changed_at", "response_id"])  # history rows in time order
    with store.write() as con:
        con.register("seed", frame)
        con.execute("INSERT INTO case_events (event_id, dataset, response_id, status, owner, note, changed_by, "
                    f"changed_at) SELECT {next_id_sql('case_events', 'event_id', 'changed_at, response_id')}, ?, * "
                    "FROM seed", [DEMO_DATASET])
    return len(frame)
