"""Why the NPS moved (nps_core/analysis/explain.py, theme_moves.py,
significance.py, present/narrative.py) against answers known in advance.

The bridge dataset is built so the decomposition can be worked out on paper
(below); the random datasets are checked against a shift-share computed here
from the raw rows with plain pandas, never with the code under test.
"""

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import pytest
from conftest import write_csv

from nps_core.analysis import explain as ex
from nps_core.analysis.filters import Filters
from nps_core.analysis.significance import bh_adjust
from nps_core.analysis.theme_moves import compare
from nps_core.analysis.themes import ThemeCounts
from nps_core.db.errors import StoreError
from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.present.narrative import narrative

D = dt.date
TODAY = D(2025, 1, 1)  # long after the data: only the data's own last day makes a period partial

# The bridge, by hand. April (a): shop 50 responses (20 promoters, 20 passives,
# 10 detractors: NPS +20), installation 50 (10, 20, 20: NPS -20); NPS 0.
# May (b): shop 50 as before (NPS +20), installation 100 (10, 30, 60: NPS -50);
# NPS 100 * (30 - 70) / 150 = -80/3. Shares 1/2, 1/2 -> 1/3, 2/3; mean NPS S = -40/3.
#   shop:         mix = -1/6 * (20 + 40/3)   = -50/9   performance = 0
#   installation: mix = +1/6 * (-35 + 40/3)  = -65/18  performance = 7/12 * (-30) = -35/2
# Sum: -50/9 - 65/18 - 35/2 = -480/18 = -80/3: the whole change.
BRIDGE = {"a": {"shop": (20, 20, 10), "installation": (10, 20, 20)},
          "b": {"shop": (20, 20, 10), "installation": (10, 30, 60)}}
BRIDGE_EXPECTED = {"shop": (-50 / 9, 0.0), "installation": (-65 / 18, -35 / 2)}
MONTH_DAYS = {"a": ("2018-04", 30), "b": ("2018-05", 31)}
# themes planted in the comments: delivery 5 of 100 comments in April, 45 of 150 in May (5 % -> 30 %);
# price 20 of 100 and 30 of 150 (20 % both months)
PLANTED = {"a": {"delivery": 5, "price": 20}, "b": {"delivery": 45, "price": 30}}
COMMENTS = {"delivery": "De bezorging was te laat.", "price": "De prijs is hoog.", None: "Prima."}


def bridge_rows() -> list[dict]:
    rows = []
    for period, segments in BRIDGE.items():
        month, days = MONTH_DAYS[period]
        planted = [k for k, n in PLANTED[period].items() for _ in range(n)]
        i = 0
        for segment, (p, pa, d) in segments.items():
            for score in [10] * p + [7] * pa + [3] * d:
                theme = planted[i] if i < len(planted) else None
                rows.append({"response_id": f"{period}{i}", "responded_at": f"{month}-{1 + i % days:02d} 10:00",
                             "score": score, "comment": COMMENTS[theme], "touchpoint": segment})
                i += 1
    # June runs to the 20th only: a partial month, never the default
    rows += [{"response_id": f"june{i}", "responded_at": f"2018-06-{1 + i % 20:02d} 10:00", "score": 9,
              "comment": "Prima.", "touchpoint": "shop"} for i in range(40)]
    return rows


def random_rows(seed: int) -> pd.DataFrame:
    """Responses of April and May 2018 over touchpoints with their own score
    ranges; 'gone' only in April, 'new' only in May, some without a touchpoint."""
    rng = np.random.default_rng(seed)
    rows = []
    for period, (month, days) in MONTH_DAYS.items():
        segments = ["a", "b", "c", None, "gone" if period == "a" else "new"]
        for i in range(int(rng.integers(150, 400))):
            seg = segments[int(rng.integers(0, len(segments)))]
            low = {"a": 0, "b": 4, "c": 6, None: 2, "gone": 0, "new": 7}[seg]
            rows.append({"response_id": f"{period}{i}", "responded_at": f"{month}-{1 + i % days:02d} 12:00",
                         "score": int(rng.integers(low, 11)), "comment": "", "touchpoint": seg or "",
                         "period": period})
    return pd.DataFrame(rows)


def shift_share_by_hand(df: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """The midpoint shift-share per touchpoint from raw rows (period a/b,
    touchpoint, score), with pandas only; and the total change."""
    df = df.assign(seg=df["touchpoint"].replace("", "(none)"),
                   net=100 * ((df["score"] >= 9).astype(int) - (df["score"] <= 6).astype(int)))
    total = df.groupby("period")["net"].mean()
    mean_total = (total["a"] + total["b"]) / 2
    out = {}
    for seg in sorted(df["seg"].unique()):
        w, s = {}, {}
        for p in "ab":
            rows = df[(df["period"] == p) & (df["seg"] == seg)]
            w[p] = len(rows) / (df["period"] == p).sum()
            s[p] = rows["net"].mean() if len(rows) else None
        s["a"] = s["b"] if s["a"] is None else s["a"]  # a segment of one period only: all mix
        s["b"] = s["a"] if s["b"] is None else s["b"]
        out[seg] = {"mix": (w["b"] - w["a"]) * ((s["a"] + s["b"]) / 2 - mean_total),
                    "performance": (w["a"] + w["b"]) / 2 * (s["b"] - s["a"])}
    return pd.DataFrame(out).T, total["b"] - total["a"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("explain")
    st = Store(tmp / "nps.duckdb")
    import_file(st, write_csv(tmp / "bridge.csv", bridge_rows()), dataset="bridge", nps_type="transaction")
    for seed in (1, 2):
        frame = random_rows(seed)
        import_file(st, write_csv(tmp / f"random{seed}.csv", frame.drop(columns="period").to_dict("records")),
                    dataset=f"random{seed}", nps_type="transaction")
    return st


@pytest.fixture(scope="module")
def bridge(store):
    return ex.explain(store, Filters(dataset="bridge"), today=TODAY)


def test_the_default_is_the_last_complete_month_against_the_one_before(bridge):
    # data run to 20 June: June is partial, so May against April
    assert (bridge.b.date_from, bridge.b.date_to) == (D(2018, 5, 1), D(2018, 5, 31))
    assert (bridge.a.date_from, bridge.a.date_to) == (D(2018, 4, 1), D(2018, 4, 30))
    assert not bridge.a.partial and not bridge.b.partial


def test_the_bridge_equals_the_one_worked_out_by_hand(bridge):
    assert bridge.dimension == "touchpoint"
    assert bridge.change.delta == pytest.approx(-80 / 3, abs=1e-9)
    seg = bridge.segments.set_index("key")
    for key, (mix, performance) in BRIDGE_EXPECTED.items():
        assert seg.loc[key, "mix"] == pytest.approx(mix, abs=1e-9)
        assert seg.loc[key, "performance"] == pytest.approx(performance, abs=1e-9)
    assert list(bridge.segments["key"]) == ["installation", "shop"]  # largest contribution first
    assert (seg.loc["installation", "share_a"], seg.loc["installation", "share_b"]) == pytest.approx((1 / 2, 2 / 3))
    assert (seg.loc["installation", "nps_a"], seg.loc["installation", "nps_b"]) == pytest.approx((-20, -50))


def test_a_new_and_a_vanished_segment_are_all_mix():
    # a: X 40 responses NPS +25 (20, 10, 10), Old 10 NPS -50 (0, 5, 5): NPS +10.
    # b: X the same, New 10 NPS +100 (10, 0, 0): NPS +40. Mean NPS 25.
    # Old: mix = -0.2 * (-50 - 25) = +15; New: mix = +0.2 * (100 - 25) = +15; X: 0. Sum 30.
    a = pd.DataFrame({"segment": ["X", "Old"], "promoters": [20, 0], "passives": [10, 5], "detractors": [10, 5]})
    b = pd.DataFrame({"segment": ["X", "New"], "promoters": [20, 10], "passives": [10, 0], "detractors": [10, 0]})
    seg = ex.decompose(a, b).set_index("key")
    assert seg["mix"].to_dict() == pytest.approx({"New": 15.0, "Old": 15.0, "X": 0.0})
    assert seg["performance"].to_dict() == pytest.approx({"New": 0.0, "Old": 0.0, "X": 0.0})
    assert math.isnan(seg.loc["New", "nps_a"]) and math.isnan(seg.loc["Old", "nps_b"])


@pytest.mark.parametrize("seed", range(20))
def test_mix_and_performance_add_up_to_the_change_for_random_counts(seed):
    rng = np.random.default_rng(seed)
    segments = int(rng.integers(2, 12))
    a, b = (rng.integers(0, 60, size=(segments, 3)) * (rng.random((segments, 1)) > 0.2) for _ in "ab")
    a[0], b[1] = (5, 5, 5), (5, 5, 5)  # neither period empty
    nps = [100 * (c[:, 0].sum() - c[:, 2].sum()) / c.sum() for c in (a, b)]
    mix, performance = ex.shift_share(a.sum(1), a[:, 0] - a[:, 2], b.sum(1), b[:, 0] - b[:, 2])
    assert (mix + performance).sum() == pytest.approx(nps[1] - nps[0], abs=1e-9)


@pytest.mark.parametrize("seed", (1, 2))
def test_the_store_decomposition_equals_pandas_by_hand(store, seed):
    frame = random_rows(seed)
    found = ex.explain(store, Filters(dataset=f"random{seed}", date_from=D(2018, 5, 1), date_to=D(2018, 5, 31)),
                       by="touchpoint", today=TODAY)
    expected, total = shift_share_by_hand(frame)
    got = found.segments.set_index("key").sort_index()
    assert list(got.index) == list(expected.index)  # (none), a, b, c, gone, new
    assert got["mix"].to_numpy() == pytest.approx(expected["mix"].to_numpy(), abs=1e-9)
    assert got["performance"].to_numpy() == pytest.approx(expected["performance"].to_numpy(), abs=1e-9)
    assert found.change.delta == pytest.approx(total, abs=1e-9)
    assert abs((got["mix"] + got["performance"]).sum() - total) < 1e-9
    doc = found.as_dict()
    assert abs(doc["check"]["residual"]) < 1e-9
    assert sum(s["mix"] + s["performance"] for s in doc["segments"]) == pytest.approx(doc["change"]["delta"], abs=1e-9)


def test_intervals_hold_the_estimate_are_seeded_and_narrow_with_more_responses(store, bridge):
    seg = bridge.segments
    assert ((seg["low"] <= seg["contribution"]) & (seg["contribution"] <= seg["high"])).all()
    again = ex.explain(store, Filters(dataset="bridge"), today=TODAY).segments
    assert again[["low", "high"]].equals(seg[["low", "high"]])
    counts = {p: pd.DataFrame([{"segment": k, "promoters": c[0], "passives": c[1], "detractors": c[2]}
                               for k, c in BRIDGE[p].items()]) for p in "ab"}
    bigger = {p: f.assign(**{c: f[c] * 25 for c in ex.CELLS}) for p, f in counts.items()}
    small = ex.intervals(ex.decompose(counts["a"], counts["b"]), counts["a"], counts["b"]).set_index("key")
    large = ex.intervals(ex.decompose(bigger["a"], bigger["b"]), bigger["a"], bigger["b"]).set_index("key")
    # 25 times the responses: the same point estimate, an interval about 5 times narrower
    assert large["contribution"].to_numpy() == pytest.approx(small["contribution"].to_numpy())
    ratio = (small["high"] - small["low"]) / (large["high"] - large["low"])
    assert ((ratio > 3.5) & (ratio < 7)).all()


def test_the_dimension_that_explains_most_is_chosen(tmp_path):
    # the phone touchpoint collapses in May; region is spread evenly over both touchpoints
    # and periods, so each region moves like the whole; agent has 40 values (too many)
    rows = []
    for period, (month, days) in MONTH_DAYS.items():
        for i in range(400):
            touchpoint = ("phone", "shop")[i % 2]
            score = 2 if (period == "b" and touchpoint == "phone") else (10, 9, 7, 4)[i // 2 % 4]
            rows.append({"response_id": f"{period}{i}", "responded_at": f"{month}-{1 + i % days:02d}", "score": score,
                         "touchpoint": touchpoint, "region": ("north", "south")[i // 8 % 2], "agent": f"ag{i % 40}"})
    st = Store(tmp_path / "dims.duckdb")
    import_file(st, write_csv(tmp_path / "d.csv", rows), dataset="d", nps_type="transaction")
    found = ex.explain(st, Filters(dataset="d"), today=TODAY)
    assert found.dimension == "touchpoint"
    ranking = found.ranking.set_index("dimension")
    assert ranking.loc["touchpoint", "score"] > 10 * ranking.loc["region", "score"]
    assert ranking.loc["agent", "skipped"] == "too_many_segments"
    assert ranking.loc["nps_type", "skipped"] == "one_segment"
    # the user's choice wins; an unknown one is refused
    assert ex.explain(st, Filters(dataset="d"), by="region", today=TODAY).dimension == "region"
    with pytest.raises(StoreError, match="cannot group by"):
        ex.explain(st, Filters(dataset="d"), by="no_such_column", today=TODAY)


def test_a_planted_theme_moved_and_a_steady_one_did_not(bridge):
    themes = bridge.themes.set_index("theme")
    assert list(bridge.themes[bridge.themes["significant"]]["theme"]) == ["delivery"]
    # the share test by hand: 5 of 100 -> 45 of 150, pooled 50 of 250
    pooled = 50 / 250
    z = (45 / 150 - 5 / 100) / math.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 150))
    p = math.erfc(abs(z) / math.sqrt(2))
    delivery = themes.loc["delivery"]
    assert delivery["test"] == "share"  # 5 mentions in April: too few for the gap's test
    assert delivery["p"] == pytest.approx(p, rel=1e-9)
    assert delivery["q"] == pytest.approx(2 * p, rel=1e-9)  # BH over two themes: rank 1 of 2
    assert themes.loc["price_value", "p"] == pytest.approx(1.0)  # 20 % and 20 %
    assert not themes.loc["price_value", "significant"]
    assert (delivery["share_a"], delivery["share_b"]) == pytest.approx((0.05, 0.30))


def test_benjamini_hochberg_against_a_hand_worked_example():
    # sorted p: 0.001 0.008 0.039 0.041 0.27 (m = 5); p * m / rank:
    # 0.005 0.02 0.065 0.05125 0.27; the minimum from the right: 0.005 0.02 0.05125 0.05125 0.27
    p = [0.041, 0.001, 0.27, 0.008, 0.039]
    assert bh_adjust(p) == pytest.approx([0.05125, 0.005, 0.27, 0.02, 0.05125])
    assert list(bh_adjust(p) <= 0.05) == [False, True, False, True, False]
    assert bh_adjust([0.5, 0.9]) == pytest.approx([0.9, 0.9])  # capped by the larger: monotone
    assert len(bh_adjust([])) == 0


def _at(doc, path: str):
    """The value at a figure's key, e.g. segments[0].contribution."""
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        doc = doc[int(part[1:-1])] if part.startswith("[") else doc[part]
    return doc


def test_the_narrative_says_what_happened_in_both_languages(bridge):
    doc = bridge.as_dict()
    en, nl = narrative(doc, "en"), narrative(doc, "nl")
    assert en[0]["text"] == "NPS fell 26.7 points to -26.7 in May 2018, compared with April 2018 (significant)."
    assert nl[0]["text"] == "De NPS daalde 26,7 punten naar -26,7 in mei 2018, vergeleken met april 2018 (significant)."
    assert en[1]["text"] == ("Most of it came from installation (touchpoint): -21.1 points; its NPS fell from -20.0 "
                             "to -50.0 and its share rose from 50.0 % to 66.7 %.")
    assert nl[1]["text"] == ("Het grootste deel kwam van installation (contactmoment): -21,1 punten; de NPS daalde "
                             "van -20,0 naar -50,0 en het aandeel steeg van 50,0 % naar 66,7 %.")
    assert en[2]["text"] == "Next, shop: -5.6 points; its NPS stayed at +20.0 and its share fell from 50.0 % to 33.3 %."
    assert en[3]["text"] == "The share of comments about Delivery rose from 5.0 % to 30.0 %."
    assert nl[3]["text"] == "Het aandeel opmerkingen over Bezorging steeg van 5,0 % naar 30,0 %."
    assert len(en) == len(nl) == 4
    for sentence in en + nl:  # every figure quoted is the document's, at its key
        for figure in sentence["figures"]:
            value = _at(doc, figure["key"])
            assert figure["value"] == (round(value, 1) if isinstance(value, float) and "share" not in figure["key"]
                                       else value)


def test_small_periods_get_no_verdict_and_bad_periods_are_refused(store):
    small = ex.explain(store, Filters(dataset="bridge", date_from=D(2018, 5, 1), date_to=D(2018, 5, 3)),
                       today=TODAY)
    assert small.b.stats.n < 30 and small.change.verdict == "too_few_to_judge"
    assert small.as_dict()["change"]["significant"] is None
    assert "no verdict" in narrative(small.as_dict(), "en")[0]["text"]
    with pytest.raises(ValueError, match="cannot start after it ends"):
        ex.explain(store, Filters(dataset="bridge", date_from=D(2018, 5, 31), date_to=D(2018, 5, 1)))
    with pytest.raises(StoreError, match="no responses"):
        ex.explain(store, Filters(dataset="bridge", date_from=D(2019, 1, 1), date_to=D(2019, 1, 31)))


def test_a_partial_period_asked_for_is_marked(store):
    june = ex.explain(store, Filters(dataset="bridge", date_from=D(2018, 6, 1), date_to=D(2018, 6, 30)), today=TODAY)
    assert june.b.partial and not june.a.partial
    doc = june.as_dict()
    assert doc["periods"]["b"]["partial"] is True
    assert "1–20 June 2018, partial" in narrative(doc, "en")[0]["text"]
    assert "1–20 juni 2018, onvolledig" in narrative(doc, "nl")[0]["text"]


def test_a_theme_whose_nps_gap_moved_is_found_by_the_gap_test():
    # 200 responses in both periods (80 promoters, 40 detractors), all commented; "staff" is
    # mentioned by 50 in both (share steady). April: 40 P, 5 Pa, 5 D mention it (NPS +70, the
    # rest 40 P, 75 Pa, 35 D: +3.3); May: 5 P, 5 Pa, 40 D (NPS -70, the rest 75 P, 75 Pa, 0 D: +50).
    def counts(p, pa, d):
        per = pd.DataFrame({"theme": ["staff"], "n": [p + pa + d], "promoters": [p], "passives": [pa],
                            "detractors": [d], "sentiment": [0.0]})
        return ThemeCounts(n=200, promoters=80, detractors=40, commented=200, per=per, taxonomy={"themes": []})

    def nps_se(p, pa, d):  # DESIGN.md: 100 * sqrt((p + d - (p - d)^2) / n), shares p and d
        n = p + pa + d
        return 100 * (p - d) / n, 100 * math.sqrt((p / n + d / n - (p / n - d / n) ** 2) / n)

    gaps = []
    for with_, rest in (((40, 5, 5), (40, 75, 35)), ((5, 5, 40), (75, 75, 0))):
        (nps_with, se_with), (nps_rest, se_rest) = nps_se(*with_), nps_se(*rest)
        gaps.append((nps_with - nps_rest, math.hypot(se_with, se_rest)))
    z = (gaps[1][0] - gaps[0][0]) / math.hypot(gaps[0][1], gaps[1][1])
    p_gap = math.erfc(abs(z) / math.sqrt(2))

    row = compare(counts(40, 5, 5), counts(5, 5, 40)).iloc[0]
    assert row["p_share"] == pytest.approx(1.0)
    assert (row["gap_a"], row["gap_b"]) == pytest.approx((70 - 100 * 5 / 150, -70 - 50))
    assert row["p_gap"] == pytest.approx(p_gap, rel=1e-9)
    assert row["test"] == "gap" and row["p"] == pytest.approx(2 * p_gap, rel=1e-9)  # two tests made
    assert row["significant"]
    # impact = NPS of all - NPS without: 20 - 3.3 in April, 20 - 50 in May
    assert (row["impact_a"], row["impact_b"]) == pytest.approx((20 - 100 * 5 / 150, -30))
