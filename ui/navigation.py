"""The pages, in one table: the navigation, the permission each needs, the
links between pages, the warm-up (ui/warmup.py) and the screenshot tool
(tools/screenshots.py) all read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import streamlit as st

from nps_core.base.access import Access
from nps_core.base.i18n import t
from nps_core.views import (
    customer_value,
    digests,
    evolution,
    followup,
    overview,
    report,
    segments,
    themes,
    verbatims,
)


@dataclass(frozen=True)
class PageSpec:
    key: str  # its title in the text catalogue, and how other pages link to it
    script: str
    icon: str
    url: str  # differs from the file name on purpose: see tests/support/apptest_support.py
    permission: str | None = None  # a role without it is not offered the page (which also refuses itself)
    view: Callable | None = None  # nps_core.views build(store, filters, lang): the page's default view
    warm: int = 9  # warm-up order after an import: the slowest pages first
    clock: tuple[str, ...] = ()  # which of the clock's "now" (to the minute) and "hour" its view takes (warmup.clock)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "pages/overview.py", ":material/dashboard:", "start", view=overview.build, warm=4),
    PageSpec("evolution", "pages/evolution.py", ":material/show_chart:", "trend", view=evolution.build, warm=6),
    PageSpec("segments", "pages/segments.py", ":material/account_tree:", "drilldown", view=segments.build, warm=5),
    PageSpec("themes", "pages/themes.py", ":material/category:", "drivers", view=themes.build, warm=2),
    PageSpec("edit_themes", "pages/theme_editor.py", ":material/edit_note:", "taxonomy", "edit_themes"),
    PageSpec("verbatims", "pages/verbatims.py", ":material/chat:", "comments", view=verbatims.build, warm=7),
    PageSpec("followup", "pages/followup.py", ":material/call:", "cases", view=followup.build, warm=3,
             clock=("now", "hour")),
    PageSpec("digests", "pages/digests.py", ":material/forward_to_inbox:", "subscriptions", "notification_settings",
             view=digests.build, warm=9, clock=("hour",)),
    PageSpec("customer_value", "pages/customer_value.py", ":material/euro:", "value", view=customer_value.build,
             warm=8),
    PageSpec("report", "pages/report.py", ":material/slideshow:", "board", view=report.build, warm=1),
    PageSpec("upload", "pages/upload.py", ":material/upload_file:", "import", "upload"),
    PageSpec("connect", "pages/connect.py", ":material/database:", "sources", "connect_source"),
    PageSpec("audit", "pages/audit.py", ":material/history:", "trail", "view_audit"),
)
BY_KEY = {p.key: p for p in PAGES}


def path(key: str) -> str:
    """The script of a page, for st.page_link and st.switch_page."""
    return BY_KEY[key].script


def offered(access: Access, lang: str) -> list:
    """The st.Page list of the pages this person's role allows."""
    return [st.Page(p.script, title=t(p.key, lang), icon=p.icon, url_path=p.url, default=p is PAGES[0])
            for p in PAGES if p.permission is None or access.may(p.permission)]


def warmed() -> list[PageSpec]:
    """The pages whose default view the warm-up reads, slowest first."""
    return sorted((p for p in PAGES if p.view is not None), key=lambda p: p.warm)
