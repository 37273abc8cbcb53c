"""The Digests page: the subscriptions, when each last went out, what the
next scheduled run sends (`hour`: the page's clock, ui/warmup.clock) and
every digest sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from nps_core.analysis import aggregates
from nps_core.analysis.filters import Filters
from nps_core.db.store import Store
from nps_core.followup import outbox
from nps_core.report import digest


@dataclass(frozen=True)
class DigestsView:
    subscriptions: list  # digest.Subscription
    sent: pd.DataFrame  # outbox.messages() of kind digest
    last_sent: dict  # "digest <sub_id>" -> the period of its last digest sent
    due: list  # digest.pending(): what the next run sends
    dimensions: tuple[str, ...]  # the segment columns of the filters' dataset, for a new subscription's scope


def build(store: Store, filters: Filters, lang: str, hour: dt.datetime) -> DigestsView:
    store.ensure_schema()
    sent = outbox.messages(store, None, "digest")
    last = sent[sent["status"] == "sent"].groupby("rules")["response_id"].max().to_dict() if not sent.empty else {}
    return DigestsView(digest.list_subscriptions(store), sent, last, digest.pending(store, hour),
                       tuple(aggregates.dimensions(store, filters.dataset)))
