"""NPS dashboard: `streamlit run app.py`.

The dashboard's script is `dashboard.py` (navigation, sidebar, data
source); this file is the server around it, so the server can prepare
before its first visitor (see `startup`).
"""

import ast
import importlib
import importlib.util
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # "module.Name": a name inside a module, not a module
        return False


def page_modules() -> list[str]:
    """The modules the dashboard's script and pages import ("from ui import
    cached" names the module ui.cached)."""
    names = set()
    for file in [HERE / "dashboard.py", *sorted((HERE / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.update([node.module, *(f"{node.module}.{alias.name}" for alias in node.names)])
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    return sorted(name for name in names if _is_module(name))


@asynccontextmanager
async def startup(_app):
    """Before the first visitor.

    With a `pages/` folder beside the script, Streamlit runs a server's first
    session in its old folder-of-pages mode until the script's st.navigation
    has run once: the first visitor after a start who opens a page's address
    (a bookmark, a link in an e-mail digest) got "Page not found" over the
    right page. The folder holds our pages for st.navigation, never that mode.

    And the modules every page imports are imported now: the first visitor's
    page took 2.5-3 s more for them (pandas, Altair, DuckDB, the engine).

    When the server stops (SIGTERM, Ctrl+C), the background work that reads
    the store stops and DuckDB's connections close before the process ends:
    uvicorn ends it by raising the signal again, which skips atexit.
    """
    from streamlit.runtime.pages_manager import PagesManager

    from nps_core.db import lifecycle

    PagesManager.uses_pages_directory = False
    for name in page_modules():
        importlib.import_module(name)
    yield
    lifecycle.shutdown()


app = st.App("dashboard.py", lifespan=startup)
