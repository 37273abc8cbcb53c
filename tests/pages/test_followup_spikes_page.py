"""Last week's spikes on the Follow-up page (issue 29 item 5), on the weeks of
test_spikes.py: delivery planted at 30 % of comments against 5 %, the phone's
NPS collapsed to -100; price and the shop steady."""

import pytest
from apptest_support import start
from conftest import write_csv
from test_spikes import WEEKS, week_rows

from nps_core.db.store import Store
from nps_core.ingest.importer import import_file


@pytest.fixture
def weeks_app(tmp_path, monkeypatch) -> Store:
    path = tmp_path / "app.duckdb"
    store = Store(path)
    import_file(store, write_csv(tmp_path / "weeks.csv", [r for w in range(WEEKS) for r in week_rows(w)]),
                dataset="weeks", nps_type="transaction")
    monkeypatch.setenv("NPS_DB", str(path))
    return store


@pytest.mark.parametrize("lang, theme, phone", [("en", "Delivery", "Touchpoint: phone"),
                                                ("nl", "Bezorging", "Contactmoment: phone")])
def test_the_spikes_of_the_last_complete_week_are_listed(weeks_app, lang, theme, phone):
    at = start("cases", lang=lang)
    assert not at.exception and not at.error
    assert any("2025-W12" in c.value for c in at.caption)
    [table] = [d.value for d in at.dataframe if d.value.shape[1] == 6]
    rows = {r[1]: r for r in table.itertuples(index=False, name=None)}
    assert set(rows) >= {theme, phone}
    assert rows[theme][2] == ("30.0 %" if lang == "en" else "30,0 %") and rows[theme][4] == "36 / 120"
    assert rows[phone][2] == ("-100.0" if lang == "en" else "-100,0")
    assert not any("Price" in s or "Prijs" in s or "shop" in s for s in rows)
