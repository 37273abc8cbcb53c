"""AppTest of the Connect page against the session's live PostgreSQL."""

from apptest_support import import_finished, rerun, start
from test_sources import BASE, READER, READER_PASSWORD, expected, pg, pg_base  # noqa: F401 (fixtures)

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters


def page_text(at) -> str:
    parts = [str(getattr(e, "value", "")) for kind in ("markdown", "caption", "success", "error", "info", "text")
             for e in getattr(at, kind)]
    parts += [str(s.options) + str(s.value) for s in at.selectbox]
    return "\n".join(parts)


def test_connect_live_postgres_and_the_dashboard_survives_it_going_down(app_db, pg_base, monkeypatch):
    monkeypatch.setenv("NPS_SOURCE_URL_CRM", pg_base.url(READER, READER_PASSWORD))
    at = start("sources", lang="en")
    assert not at.exception
    assert "env:NPS_SOURCE_URL_CRM" in at.selectbox(key="connect_ref").options
    at.selectbox(key="connect_table").set_value("responses")
    rerun(at)
    assert not at.exception and not at.error
    # the same mapping screen as uploads, guessed from the table
    assert at.selectbox(key="map_score_env:NPS_SOURCE_URL_CRM|responses|None").value == "score"
    assert at.selectbox(key="map_responded_at_env:NPS_SOURCE_URL_CRM|responses|None").value == "submitted"
    at.radio(key="connect_mode").set_value("live")
    at.text_input(key="connect_name").set_value("crm")
    rerun(at)
    at.button(key="connect_add").click()
    import_finished(rerun(at))  # in a worker process, as an upload
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Usable"] == f"{expected(BASE)['n']:,}"
    listed = next(df.value for df in at.dataframe if "Last refresh" in df.value.columns)  # the sources list
    assert "crm" in listed.iloc[:, 0].tolist()
    assert READER_PASSWORD not in page_text(at)
    assert agg.summary(app_db, Filters(dataset="crm")).n == expected(BASE)["n"]

    at.button(key="refresh_button").click()  # refresh the live source
    import_finished(rerun(at))
    assert not at.exception and any("Refreshed: crm" in s.value for s in at.success)

    # wrong password: the page says so in one line; the other datasets keep working
    monkeypatch.setenv("NPS_SOURCE_URL_CRM", pg_base.url(READER, "wrong-password"))
    at = start("", lang="en", dataset="crm", period="all")
    assert not at.exception
    assert any("password authentication failed" in e.value for e in at.error)
    assert "wrong-password" not in page_text(at)
    at = start("", lang="en", dataset="demo", period="all")
    assert not at.exception and not at.error
    assert at.metric[0].label == "NPS"
