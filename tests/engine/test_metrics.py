"""NPS statistics against values worked out by hand."""

import math

import pandas as pd
import pytest

from nps_core.base.metrics import Change, NpsStats, add_stats, category


def test_bands_by_hand():
    # the bands: promoter 9-10, passive 7-8, detractor 0-6
    expected = ["detractor"] * 7 + ["passive"] * 2 + ["promoter"] * 2
    assert [category(s) for s in range(11)] == expected


def test_five_promoters_three_passives_two_detractors():
    s = NpsStats(promoters=5, passives=3, detractors=2)
    assert s.n == 10
    assert s.nps == pytest.approx(30.0)
    # p = .5, d = .2: p + d - (p - d)^2 = .7 - .09 = .61; .61 / 10 = .061
    # sqrt(.061) = .2469818; x 100 x 1.96 = 48.408
    assert s.moe == pytest.approx(48.408, abs=0.001)
    assert (s.promoter_share, s.passive_share, s.detractor_share) == (0.5, 0.3, 0.2)
    assert s.small


def test_all_promoters_have_no_margin():
    s = NpsStats(40, 0, 0)
    assert s.nps == 100.0 and s.moe == 0.0 and not s.small


def test_all_detractors():
    assert NpsStats(0, 0, 12).nps == -100.0


def test_empty_group():
    s = NpsStats(0, 0, 0)
    assert s.nps is None and s.moe is None and s.small


def test_small_sample_threshold():
    assert NpsStats(10, 10, 9).small  # 29
    assert not NpsStats(10, 10, 10).small  # 30


def test_significant_change_by_hand():
    # period 1: 300 promoters, 100 passives, 100 detractors (n=500): NPS 40
    #   p=.6 d=.2: .8 - .16 = .64; /500 = .00128; se = 100*sqrt(.00128) = 3.5777
    # period 2: 200/150/150 (n=500): NPS 10
    #   p=.4 d=.3: .7 - .01 = .69; /500 = .00138; se = 3.7148
    # threshold = 1.96*sqrt(3.5777^2 + 3.7148^2) = 1.96*5.1575 = 10.109
    c = Change(current=NpsStats(200, 150, 150), previous=NpsStats(300, 100, 100))
    assert c.delta == pytest.approx(-30.0)
    assert c.threshold == pytest.approx(10.109, abs=0.005)
    assert c.significant


def test_small_change_not_significant():
    # 52/20/28 (NPS 24) vs 50/20/30 (NPS 20), n = 100 each: ±~17 needed
    c = Change(current=NpsStats(52, 20, 28), previous=NpsStats(50, 20, 30))
    assert c.delta == pytest.approx(4.0)
    assert not c.significant


def test_change_with_empty_period_is_not_significant():
    c = Change(current=NpsStats(5, 0, 0), previous=NpsStats(0, 0, 0))
    assert c.delta is None and not c.significant


def test_vectorised_stats_match_hand_values():
    df = add_stats(pd.DataFrame({"n": [10, 500], "promoters": [5, 300], "passives": [3, 100],
                                 "detractors": [2, 100]}))
    assert list(df["nps"].round(3)) == [30.0, 40.0]
    assert df["moe"].iloc[0] == pytest.approx(48.408, abs=0.001)
    assert df["moe"].iloc[1] == pytest.approx(1.96 * 100 * math.sqrt(0.64 / 500))
    assert list(df["small"]) == [True, False]
