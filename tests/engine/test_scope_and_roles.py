"""Access in the engine: a scoped reader sees only its rows, whatever it asks;
privileged actions check the role; every action lands in the audit trail.

References are plain pandas over the demo CSV (conftest.demo_frame), or the
unscoped engine asked for the same rows with an ordinary filter."""

import datetime as dt
import io
import json
import re
from collections.abc import Hashable

import duckdb
import pandas as pd
import pytest
from conftest import ROOT, write_csv
from test_lake import lake  # noqa: F401 - a fixture

from nps_core.analysis import aggregates, themes, topics, value, verbatims
from nps_core.analysis import export as records
from nps_core.analysis.filters import Filters
from nps_core.base.access import LOCAL, Access, AccessDenied, AccessFileError, load_policy
from nps_core.db import audit, catalog, datasets
from nps_core.db.errors import StoreError
from nps_core.db.store import Store
from nps_core.followup import alerts, loop
from nps_core.ingest.importer import import_file
from nps_core.report import content as report
from nps_core.sources import registry
from nps_core.text import taxonomy

NOORD = Access(role="viewer", datasets=("demo",), dims=(("region", ("Noord",)),), identity="noord@example.com")
DEC = Filters(dataset="demo", date_from=dt.date(2025, 12, 1), date_to=dt.date(2025, 12, 31))
AS_FILTER = DEC.with_dim("region", ["Noord"])  # the same rows, asked for by an unscoped reader


def nps_by_hand(scores: pd.Series) -> float:
    return round(100 * ((scores >= 9).mean() - (scores <= 6).mean()), 1)


@pytest.fixture
def two_datasets(demo_store, tmp_path):
    """The demo plus a second dataset the scoped viewer must never see."""
    rows = [{"response_id": f"o{i}", "responded_at": "2025-12-10 10:00", "score": 0, "comment": "geheim",
             "nps_type": "relationship", "region": "Noord"} for i in range(40)]
    import_file(demo_store, write_csv(tmp_path / "other.csv", rows), dataset="other")
    return demo_store


def scoped(store: Store, access: Access = NOORD) -> Store:
    return Store(store.path, lock_timeout=5, access=access)


def test_scope_nps_equals_a_hand_computation_and_not_the_whole(demo_store, demo_frame):
    s = scoped(demo_store)
    dec = demo_frame[(demo_frame.responded_at >= "2025-12-01") & (demo_frame.responded_at < "2026-01-01")]
    mine = dec[dec.region == "Noord"]
    got = aggregates.summary(s, DEC)
    assert got.n == len(mine)
    assert round(got.nps, 1) == nps_by_hand(mine.score)
    assert round(aggregates.summary(demo_store, DEC).nps, 1) == nps_by_hand(dec.score) != round(got.nps, 1)


def test_scope_is_narrowed_never_widened_by_the_users_filters(two_datasets):
    s = scoped(two_datasets)
    assert aggregates.summary(s, DEC.with_dim("region", ["West"])).n == 0  # asking for another region: nothing
    both = aggregates.summary(s, DEC.with_dim("region", ["Noord", "West"]))
    assert both.n == aggregates.summary(two_datasets, AS_FILTER).n
    with pytest.raises(StoreError, match="unknown dataset 'other'"):
        aggregates.summary(s, Filters(dataset="other"))
    with s.read() as con:
        assert catalog.dataset_names(con) == ["demo"]
        assert catalog.resolve_dataset(con, None) == "demo"  # the default is one the person may see
        # every table, read directly, holds only the scope
        assert con.execute("SELECT DISTINCT region FROM responses").fetchall() == [("Noord",)]
        assert con.execute("SELECT count(*) FROM imports WHERE dataset = 'other'").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 0
    assert [d["name"] for d in datasets.list_datasets(s)] == ["demo"]
    assert aggregates.dimension_values(s, Filters(), "region") == ["Noord"]


def _ordered(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in one order (ties in a ranking may come out either way)."""
    keys = [c for c in df.columns
            if not pd.api.types.is_float_dtype(df[c]) and df[c].map(lambda v: isinstance(v, Hashable)).all()]
    return df.sort_values(keys).reset_index(drop=True) if keys else df.reset_index(drop=True)


def test_scope_applies_to_every_read_like_a_filter(demo_store):
    """Each read the pages, the report and the exports make returns, for the
    scoped viewer, exactly what an unscoped reader gets when filtering on the scope."""
    s = scoped(demo_store)
    reads = [
        lambda st, f: aggregates.overview(st, f).current,
        lambda st, f: aggregates.trend(st, f.with_dates(dt.date(2025, 1, 1), f.date_to)),
        lambda st, f: aggregates.breakdown(st, f, "touchpoint"),
        lambda st, f: themes.theme_table(st, f),
        lambda st, f: themes.theme_shares(st, f),
        lambda st, f: themes.by_segment(st, f, "channel"),
        lambda st, f: themes.mismatches(st, f.with_dates(dt.date(2024, 1, 1), f.date_to), "detractor", limit=50),
        lambda st, f: topics.emerging(st, f, min_count=3),
        lambda st, f: verbatims.page(st, f, verbatims.Query(), limit=10_000),
        lambda st, f: verbatims.count(st, f),
        lambda st, f: value.by_category(st, f, "yearly_revenue"),
        lambda st, f: loop.cases(st, f, statuses=loop.STATUSES, limit=10_000),
        lambda st, f: loop.case_counts(st, f),
        lambda st, f: loop.promoters(st, f, include_thanked=True, limit=None),
        lambda st, f: loop.loop_figures(st, f, now=dt.datetime(2026, 2, 1)),
        lambda st, f: report.build(st, f, "month", f.date_from, "en").evolution,
    ]
    for i, read in enumerate(reads):
        mine, reference = read(s, DEC), read(demo_store, AS_FILTER)
        if isinstance(mine, pd.DataFrame):
            pd.testing.assert_frame_equal(_ordered(mine), _ordered(reference))
            assert not mine.empty or i in (7,), f"read {i} is empty: the check would prove nothing"
        else:
            assert mine == reference, f"read {i}"
    assert aggregates.summary(s, DEC).n < aggregates.summary(demo_store, DEC).n


def test_scope_hides_case_history_of_responses_outside_it(demo_store):
    rid = loop.cases(demo_store, DEC.with_dim("region", ["West"]), statuses=loop.STATUSES, limit=1)["response_id"][0]
    loop.update_case(demo_store, "demo", rid, "contacted", "Sanne", "belde klant", "Sanne")
    assert len(loop.history(demo_store, "demo", rid)) >= 1
    assert loop.history(scoped(demo_store), "demo", rid).empty


def test_scope_csv_export_of_records_holds_only_the_scope(demo_store, tmp_path):
    out = tmp_path / "records.csv"
    analyst = Access(role="analyst", datasets=("demo",), dims=NOORD.dims, identity="a@example.com")
    n = records.export(scoped(demo_store, analyst), DEC, "csv", out)
    df = pd.read_csv(out, dtype=str)
    assert len(df) == n == aggregates.summary(demo_store, AS_FILTER).n
    assert set(df["region"]) == {"Noord"}


def test_scope_dimension_a_dataset_lacks_shows_nothing(demo_store):
    s = scoped(demo_store, Access(datasets=None, dims=(("no_such_column", ("x",)),)))
    assert aggregates.summary(s, DEC).n == 0


VIEWER = Access(role="viewer", datasets=None, identity="viewer@example.com")
ANALYST = Access(role="analyst", datasets=None, identity="analyst@example.com")


def privileged_actions(store, tmp_path):
    """Every privileged engine action, as (name, least role, call)."""
    csv = write_csv(tmp_path / "new.csv", [{"response_id": "n1", "responded_at": "2025-12-01", "score": 9,
                                             "nps_type": "product"}])
    rid = loop.cases(Store(store.path), DEC, statuses=loop.STATUSES, limit=1)["response_id"][0]
    rule = alerts.Rule(name="laag", recipient="team@example.com", channel="team@example.com",
                       score_min=0, score_max=2)
    return [
        ("upload", "analyst", lambda: import_file(store, csv, dataset="demo")),
        ("connect", "analyst", lambda: registry.add_source(store, "src", str(tmp_path / "none.parquet"))),
        ("refresh", "analyst", lambda: registry.refresh_source(store, "demo")),
        ("themes", "analyst", lambda: taxonomy.save(store, "demo", taxonomy.default()["themes"])),
        ("reset", "analyst", lambda: taxonomy.reset(store, "demo")),
        ("export", "analyst", lambda: verbatims.export(store, DEC, verbatims.Query(), "csv")),
        ("promoters", "analyst", lambda: loop.export_promoters(store, DEC, "csv")),
        ("records", "analyst", lambda: records.export(store, DEC, "csv", tmp_path / "r.csv")),
        ("case", "analyst", lambda: loop.update_case(store, "demo", rid, "contacted", None, None, "x")),
        ("thank", "analyst", lambda: loop.mark_thanked(store, DEC, "x")),
        ("delete", "admin", lambda: datasets.delete_dataset(store, "demo")),
        ("rule", "admin", lambda: alerts.save_rule(store, rule, "demo")),
        ("audit", "admin", lambda: audit.entries(store)),
    ]


def _fingerprint(path) -> tuple:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in
                     ("responses", "datasets", "case_events", "promoter_thanks", "alert_rules", "taxonomies",
                      "audit_log", "sources"))
    finally:
        con.close()


@pytest.mark.parametrize("who", [VIEWER, ANALYST], ids=["viewer", "analyst"])
def test_role_refuses_every_privileged_action_and_changes_nothing(demo_store, tmp_path, who):
    before = _fingerprint(demo_store.path)
    s = scoped(demo_store, who)
    refused = 0
    for name, least, call in privileged_actions(s, tmp_path):
        if who.may({"analyst": "upload", "admin": "delete_dataset"}[least]):
            continue
        with pytest.raises(AccessDenied):
            call()
        refused += 1
    assert refused == (13 if who is VIEWER else 3)
    assert _fingerprint(demo_store.path) == before


def test_role_scoped_analyst_cannot_change_a_case_outside_the_scope(demo_store):
    analyst = Access(role="analyst", datasets=("demo",), dims=NOORD.dims, identity="a@example.com")
    west = loop.cases(demo_store, DEC.with_dim("region", ["West"]), statuses=loop.STATUSES, limit=1)["response_id"][0]
    with pytest.raises(StoreError, match="no response"):
        loop.update_case(scoped(demo_store, analyst), "demo", west, "resolved", None, None, "a@example.com",
                         root_cause="delivery")
    # thanking under the scope thanks only the scope's promoters
    expected = loop.promoter_count(demo_store, AS_FILTER)
    assert loop.mark_thanked(scoped(demo_store, analyst), DEC, "a@example.com") == expected > 0
    assert loop.promoter_count(demo_store, DEC.with_dim("region", ["West"])) > 0  # West untouched


def test_audit_records_who_did_what_and_exports_formula_safe(demo_store):
    analyst = Access(role="analyst", datasets=None, identity="=HYPERLINK(\"x\")", name="Ann")
    s = scoped(demo_store, analyst)
    rid = loop.cases(demo_store, DEC, statuses=loop.STATUSES, limit=1)["response_id"][0]
    loop.update_case(s, "demo", rid, "contacted", "Ann", "@SUM(1)", "Ann")
    verbatims.export(s, DEC, verbatims.Query(search="levering"), "csv")
    admin = scoped(demo_store, Access(role="admin", datasets=None, identity="boss@example.com"))
    log = audit.entries(admin)
    mine = log[log["identity"] == analyst.identity]
    assert list(mine["action"]) == ["export_comments", "case_change"]  # newest first
    assert set(mine["role"]) == {"analyst"}
    assert json.loads(mine["detail"].iloc[1])["response_id"] == rid
    assert json.loads(mine["detail"].iloc[0])["search"] == "levering"
    out = pd.read_csv(io.BytesIO(audit.export(admin, "csv")), dtype=str, encoding="utf-8-sig")
    assert "'=HYPERLINK(\"x\")" in set(out["identity"])  # a formula never starts a cell
    assert not any(str(v).startswith(("=", "@", "+")) for v in out.stack())


def test_audit_log_is_kept_when_a_dataset_is_deleted(two_datasets):
    admin = scoped(two_datasets, Access(role="admin", datasets=None, identity="boss@example.com"))
    datasets.delete_dataset(admin, "other")
    log = audit.entries(admin)
    assert (log["action"] == "delete_dataset").sum() == 1
    assert log.loc[log["action"] == "delete_dataset", "identity"].iloc[0] == "boss@example.com"
    assert (log["action"] == "upload").sum() == 2  # the demo and "other", by the command line (local)
    assert set(log.loc[log["action"] == "upload", "identity"]) == {LOCAL.identity}


ACCESS_FILE = """
[default]
role = "viewer"
datasets = ["demo"]
scope = { region = "Zuid" }

[[rule]]
group = "cx-admins"
role = "admin"
datasets = ["*"]

[[rule]]
domain = "example.com"
role = "analyst"
datasets = ["demo"]
scope = { region = ["Noord", "Oost"] }

[users."Anna@Example.com"]
role = "viewer"
datasets = []
"""


def test_role_and_scope_from_the_access_file(tmp_path):
    path = tmp_path / "access.toml"
    path.write_text(ACCESS_FILE, encoding="utf-8")
    policy = load_policy(path)
    boss = policy.resolve({"email": "boss@elders.nl", "groups": ["staff", "cx-admins"], "name": "Bo"})
    assert (boss.role, boss.datasets, boss.dims, boss.name) == ("admin", None, (), "Bo")
    jan = policy.resolve({"email": "jan@example.com"})
    assert (jan.role, jan.datasets, jan.dims) == ("analyst", ("demo",), (("region", ("Noord", "Oost")),))
    anna = policy.resolve({"email": "anna@example.com", "groups": ["cx-admins"]})  # her own entry wins
    assert (anna.role, anna.datasets) == ("viewer", ())
    claimed = policy.resolve({"email": "jan@example.com", "email_verified": False, "sub": "u-17"})
    assert (claimed.identity, claimed.role, claimed.dims) == ("u-17", "viewer", (("region", ("Zuid",)),))
    other = policy.resolve({"email": "piet@elders.nl"})
    assert (other.role, other.datasets, other.dims) == ("viewer", ("demo",), (("region", ("Zuid",)),))
    # no file: signed-in people see nothing until an admin writes one
    nobody = load_policy(tmp_path / "missing.toml").resolve({"email": "x@y.nl"})
    assert nobody.datasets == () and nobody.role == "viewer"


@pytest.mark.parametrize("text, message", [
    ('[default]\nrole = "god"\n', "unknown role"),
    ('[[rule]]\nrole = "admin"\n', "needs a group or a domain"),
    ('[default\n', "not valid TOML"),
])
def test_role_typos_in_the_access_file_are_refused(tmp_path, text, message):
    path = tmp_path / "access.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AccessFileError, match=message):
        load_policy(path)


def test_role_readme_access_file_means_what_the_readme_says(tmp_path):
    # the example moved with the sign-in section from the README to docs/sign-in.md (issue 30)
    block = re.search(r"```toml\n# \.streamlit/access\.toml\n(.*?)```", (ROOT / "docs" / "sign-in.md").read_text(), re.S)
    path = tmp_path / "access.toml"
    path.write_text(block.group(1), encoding="utf-8")
    policy = load_policy(path)
    sanne = policy.resolve({"email": "sanne@example.com", "groups": ["cx-admins"]})
    assert (sanne.role, sanne.datasets) == ("analyst", ("demo",))
    assert dict(sanne.dims) == {"touchpoint": ("delivery",), "region": ("Noord", "Oost")}
    assert policy.resolve({"email": "a@elders.nl", "groups": ["cx-admins"]}).role == "admin"
    assert policy.resolve({"email": "b@analytics.example.com"}).role == "analyst"
    manager = policy.resolve({"email": "c@example.com", "groups": ["region-noord"]})
    assert (manager.role, manager.datasets, manager.dims) == ("viewer", ("demo",), (("region", ("Noord",)),))
    assert policy.resolve({"email": "d@example.com"}).datasets == ()


def test_audit_actions_each_have_a_label_in_both_languages():
    from nps_core.base.i18n import TEXT
    assert all(set(TEXT[f"action_{a}"]) == {"nl", "en"} for a in audit.ACTIONS)


@pytest.mark.pg
def test_scope_and_role_on_a_ducklake_store_too(lake, tmp_path):
    rows = [{"response_id": f"r{i}", "responded_at": "2025-12-0{} 10:00".format(1 + i % 9), "score": i % 11,
             "nps_type": "relationship", "region": "Noord" if i % 3 else "West", "customer_id": f"c{i}"}
            for i in range(60)]
    import_file(lake, write_csv(tmp_path / "d.csv", rows), dataset="d")
    noord = [r["score"] for r in rows if r["region"] == "Noord"]
    mine = Store(lake.spec, access=Access(datasets=("d",), dims=(("region", ("Noord",)),), identity="n@x.nl"))
    got = aggregates.summary(mine, Filters(dataset="d"))
    assert got.n == len(noord) and round(got.nps, 1) == nps_by_hand(pd.Series(noord))
    assert aggregates.summary(mine, Filters(dataset="d").with_dim("region", ["West"])).n == 0
    with pytest.raises(AccessDenied):
        datasets.delete_dataset(mine, "d")
    assert [d["name"] for d in datasets.list_datasets(lake)] == ["d"]
