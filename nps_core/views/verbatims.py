"""The Verbatims page: one page of the comments a question selects, and how many there are."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nps_core.analysis import verbatims
from nps_core.analysis.filters import Filters
from nps_core.db.store import Store

PAGE_SIZE = 25


@dataclass(frozen=True)
class VerbatimsView:
    total: int
    pages: int
    rows: pd.DataFrame


def build(store: Store, filters: Filters, lang: str, query: verbatims.Query = verbatims.Query(),
          page: int = 1) -> VerbatimsView:
    total = verbatims.count(store, filters, query)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    return VerbatimsView(total, pages, verbatims.page(store, filters, query, PAGE_SIZE, (page - 1) * PAGE_SIZE))
