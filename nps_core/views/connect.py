"""The Connect page: the connected sources there are."""

from __future__ import annotations

from dataclasses import dataclass

from nps_core.db.store import Store
from nps_core.sources import registry


@dataclass(frozen=True)
class ConnectView:
    sources: list[dict]  # registry.list_sources: name, kind, mode, connection, reads, refreshed_at


def build(store: Store) -> ConnectView:
    return ConnectView(registry.list_sources(store))
