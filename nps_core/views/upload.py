"""The Upload page: the datasets in the store and the remembered column mappings."""

from __future__ import annotations

from dataclasses import dataclass

from nps_core.db import datasets
from nps_core.db.store import Store
from nps_core.ingest import remember


@dataclass(frozen=True)
class UploadView:
    datasets: list[dict]  # datasets.list_datasets: most recently imported first
    remembered: list[dict]  # remember.list_remembered


def build(store: Store) -> UploadView:
    return UploadView(datasets.list_datasets(store), remember.list_remembered(store))
