"""Running the real entry point under AppTest.

Streamlit's AppTest (1.67) treats a top-level `pages/` folder as an old-style
multipage app: after the first run it executes the page file on its own,
skipping app.py (sidebar, filters, st.navigation). The dashboard's layout
fixes the folder name, so every run here starts from the entry point again,
as the real server does.
"""

from streamlit.testing.v1 import AppTest

from conftest import ROOT


class EntryPointAppTest:
    def __init__(self, **query):
        self.at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in query.items():
            self.at.query_params[key] = value

    def run(self) -> AppTest:
        self.at._finished_page_script_hash = ""  # see the module docstring
        return self.at.run()


def start(**query) -> AppTest:
    """Run the app once with these URL query parameters; `rerun(at)` after interactions."""
    runner = EntryPointAppTest(**query)
    at = runner.run()
    at._entry_runner = runner
    return at


def rerun(at: AppTest) -> AppTest:
    return at._entry_runner.run()
