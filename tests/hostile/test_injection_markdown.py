"""Names from users and files are shown literally wherever Streamlit reads
Markdown (issue 19, item 6): a dataset, a theme label and an alert rule named
with bold, a javascript: link, Streamlit's colour syntax and LaTeX.

"Literally" is CommonMark's rule, checked here independently of the escaper:
an ASCII punctuation character preceded by a backslash is a plain character,
so every punctuation character of the name must carry one (which also
disarms Streamlit's own :red[…], :material/…: and $…$), and no line break may
split it."""

import re
import string

import pytest
from apptest_support import rerun, start
from conftest import write_csv

from nps_core.db.store import Store
from nps_core.followup import alerts
from nps_core.ingest.importer import import_file
from nps_core.text import taxonomy
from ui.plain import md_escape

NAME = "**bold** [x](javascript:alert(1)) :red[r] $x^2$"


def literal(markdown: str, text: str) -> bool:
    pattern = "".join(re.escape("\\" + c) if c in string.punctuation else re.escape(c) for c in text)
    return re.search(pattern, markdown) is not None


def test_injection_literal_check_tells_escaped_from_raw():
    assert not literal(NAME, NAME) and not literal(f"**{NAME}**", NAME)
    assert literal(md_escape("a\n# " + NAME), NAME) and "\n" not in md_escape("a\n# b")
    assert md_escape("<b>&amp;</b>\r\n- 1. x = y") == r"\<b\>\&amp\;\<\/b\> \- 1\. x \= y"


@pytest.fixture
def hostile_db(tmp_path, monkeypatch):
    """Dataset NAME (November 2025: detractors mention waiting, promoters do
    not) beside a plain one, as the app's database."""
    rows = [{"response_id": f"r{i}", "responded_at": f"2025-11-{1 + i % 28:02d}", "score": 2 if i % 2 else 10,
             "comment": "wacht te lang" if i % 2 else "prima", "customer_id": f"c{i}"} for i in range(40)]
    path = tmp_path / "hostile.duckdb"
    store = Store(path)
    import_file(store, write_csv(tmp_path / "plain.csv", rows), dataset="plain", nps_type="transaction")
    import_file(store, write_csv(tmp_path / "h.csv", rows), dataset=NAME, nps_type="transaction")
    monkeypatch.setenv("NPS_DB", str(path))
    return store


def _open(page, **query):
    at = start(page, lang="en", dataset=NAME, **{"from": "2025-11-01", "to": "2025-11-30"}, **query)
    assert not at.exception, at.exception
    return at


def _custom_theme(store):
    taxonomy.save(store, NAME, [{"key": "hostile", "nl": NAME, "en": NAME, "pattern": "wacht"}])


def test_injection_theme_label_on_the_themes_page(hostile_db):
    _custom_theme(hostile_db)
    at = _open("drivers")
    labels = [m.label for m in at.metric]
    assert any(literal(x, NAME) for x in labels), labels  # the action point's metric


def test_injection_theme_label_in_report_section_headings(hostile_db):
    _custom_theme(hostile_db)
    at = _open("board")
    headings = [h.value for h in at.subheader if "bold" in h.value]  # the theme's section
    assert headings and all(literal(h, NAME) for h in headings)


def test_injection_dataset_name_in_the_theme_editor_intro(hostile_db):
    at = _open("taxonomy")
    intro = [m.value for m in at.markdown if "bold" in m.value]
    assert intro and all(literal(x, NAME) for x in intro)


def test_injection_dataset_name_on_the_upload_page(hostile_db):
    at = _open("import")
    at.selectbox(key="delete_name").set_value(NAME)
    at.session_state["last_import"] = import_file(hostile_db, _again(hostile_db), dataset=NAME)
    at = rerun(at)
    assert not at.exception
    assert literal(at.checkbox(key="delete_sure").label, NAME)
    headings = [h.value for h in at.subheader if "bold" in h.value]
    assert headings and all(literal(h, NAME) for h in headings)  # "Imported into …"


def _again(store):
    """A file of one new response, to import into NAME for an import result."""
    path = store.path.parent / "one.csv"
    return write_csv(path, [{"response_id": "new", "responded_at": "2025-11-30", "score": 9, "comment": "ok",
                             "nps_type": "transaction"}])


def test_injection_dataset_name_on_the_overview(hostile_db):
    at = _open("start")
    captions = [c.value for c in at.caption if "bold" in c.value]
    assert captions and all(literal(c, NAME) for c in captions)


def test_injection_rule_name_in_the_follow_up_error(hostile_db):
    alerts.save_rule(hostile_db, alerts.Rule(name=NAME, recipient="Lead", channel="webhook"))
    at = _open("cases")
    at.text_input(key="rNone:name").set_value(NAME)
    at.text_input(key="rNone:recipient").set_value("Lead")
    at.button(key="fu_rule_save").click()
    at = rerun(at)
    errors = [e.value for e in at.error]
    assert errors and all(literal(e, NAME) for e in errors)  # "a rule named … exists already"
