"""Running the real entry point under AppTest.

Streamlit's AppTest (1.67) treats a top-level `pages/` folder as an old-style
multipage app: after the first run it executes the page file on its own,
skipping dashboard.py (sidebar, filters, st.navigation). The dashboard's layout
fixes the folder name, so every run here starts from the entry point again,
as the real server does, and asks st.navigation for a page by its url path
(which differs from the file name, so the old-style lookup cannot hijack it).
"""

import re
import time

from conftest import ROOT
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash


def start(page: str = "", **query) -> AppTest:
    """Run the app once on the page with this url path ("" = overview)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at._nps_page = page
    return rerun(at)


def rerun(at: AppTest, page: str | None = None) -> AppTest:
    """Run again (after interacting), optionally on another page."""
    if page is not None:
        at._nps_page = page
    at._finished_page_script_hash = ""  # see the module docstring
    at._page_hash = calc_hash(at._nps_page) if at._nps_page else ""
    return at.run()


def import_finished(at: AppTest, timeout: float = 120) -> AppTest:
    """Run again until the import started by a click on Import has finished in its
    worker process (the browser's progress fragment polls; AppTest's timers do not run)."""
    deadline = time.monotonic() + timeout
    while "import_job" in at.session_state:
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.2)
        rerun(at)
    return at


def rendered(markdown: str) -> str:
    """The text a Markdown element shows for plain text escaped by
    ui/plain.md_escape: CommonMark drops the backslash before ASCII punctuation."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)
