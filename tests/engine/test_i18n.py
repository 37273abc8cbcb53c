import datetime as dt
import json
import string

from conftest import ROOT

from nps_core.base.i18n import TEXT, fmt_int, fmt_nps, fmt_pct, fmt_range
from ui.plain import md_escape

D = dt.date


def test_every_text_exists_in_both_languages():
    assert all(set(v) == {"nl", "en"} and all(v.values()) for v in TEXT.values())


def test_the_catalogue_files_have_the_same_keys_and_placeholders():
    """base/texts/<lang>.json, read as plain JSON (not through i18n): a text added in one
    language only, or a {placeholder} spelled differently, fails here."""
    files = {L: json.loads((ROOT / "nps_core" / "base" / "texts" / f"{L}.json").read_text("utf-8")) for L in ("nl", "en")}
    assert files["nl"].keys() == files["en"].keys()

    def fields(text) -> set[str]:
        parts = text.values() if isinstance(text, dict) else [text]
        return {f for part in parts for _, f, _, _ in string.Formatter().parse(part) if f}

    differ = [k for k in files["nl"] if fields(files["nl"][k]) != fields(files["en"][k])]
    assert differ == []


def test_number_formats_per_language():
    assert fmt_nps(27.345, "en") == "+27.3" and fmt_nps(27.345, "nl") == "+27,3"
    assert fmt_nps(-4.26, "nl") == "-4,3" and fmt_nps(0.0, "en") == "+0.0"
    assert fmt_int(30125, "en") == "30,125" and fmt_int(30125, "nl") == "30.125"
    assert fmt_pct(0.459, "nl") == "45,9 %"


def test_ranges_read_naturally():
    assert fmt_range(D(2025, 3, 1), D(2025, 3, 31), "nl") == "maart 2025"
    assert fmt_range(D(2025, 3, 1), D(2025, 3, 31), "en") == "March 2025"
    assert fmt_range(D(2025, 4, 1), D(2025, 6, 30), "en") == "Q2 2025"
    assert fmt_range(D(2025, 1, 1), D(2025, 12, 31), "nl") == "1 januari 2025 – 31 december 2025"


def test_markdown_is_escaped():
    assert md_escape("**bold** [x](javascript:alert(1)) <script>") == (
        r"\*\*bold\*\* \[x\]\(javascript\:alert\(1\)\) \<script\>")


def test_chart_tooltips_use_the_languages_number_format():
    import pandas as pd

    from nps_core.base.metrics import add_stats
    from nps_core.present.charts import nps_trend_chart

    trend = add_stats(pd.DataFrame({"period": pd.to_datetime(["2025-01-01"]), "key": ["2025-01"],
                                    "n": [1234], "promoters": [617], "passives": [300], "detractors": [317]}))
    data = list(nps_trend_chart(trend, "nl").to_dict()["datasets"].values())[0][0]
    # (617 - 317) / 1234 = 24.31 -> "+24,3" ; n "1.234"
    assert data["nps_txt"] == "+24,3" and data["n_txt"] == "1.234"
    assert data["label"] == "jan 2025"


def test_counts_take_the_plural_form_of_the_language():
    from nps_core.base.i18n import t_count

    assert t_count("n_pages", 1, "en") == "1 page" and t_count("n_pages", 2, "en") == "2 pages"
    assert t_count("n_pages", 1, "nl") == "1 pagina" and t_count("n_pages", 1234, "nl") == "1.234 pagina's"
    assert t_count("n_comments", 0, "en") == "0 comments"


def test_one_dimension_label_rule_for_pages_and_report():
    from nps_core.base.i18n import dim_label

    assert dim_label("touchpoint", "nl") == "Contactmoment" and dim_label("touchpoint", "en") == "Touchpoint"
    assert dim_label("loyalty_tier", "en") == "Loyalty tier"  # a file's own column, made readable


def test_a_visitor_gets_the_browsers_language(monkeypatch):
    from nps_core.base.i18n import DEFAULT_LANGUAGE, visitor_language

    monkeypatch.delenv("NPS_LANG", raising=False)
    assert visitor_language("nl-NL") == "nl" and visitor_language("nl-BE") == "nl" and visitor_language("nl") == "nl"
    assert visitor_language("en-US") == "en" and visitor_language("de-DE") == "en" and visitor_language("fr") == "en"
    # navigator.language first; the header only when the browser's locale is unknown
    assert visitor_language("en-GB", "nl-NL,nl;q=0.9") == "en"
    assert visitor_language(None, "nl-NL,nl;q=0.9,en;q=0.8") == "nl"
    assert visitor_language(None, "en;q=0.5, nl-BE;q=0.9") == "nl"  # by quality, not by position
    assert visitor_language(None, "*, en-US;q=0.7") == "en"
    assert visitor_language(None, None) == DEFAULT_LANGUAGE and visitor_language(None, "") == DEFAULT_LANGUAGE
    monkeypatch.setenv("NPS_LANG", "nl")
    assert visitor_language("en-US", "en-US") == "nl"
    monkeypatch.setenv("NPS_LANG", "en")
    assert visitor_language("nl-NL") == "en"


def test_week_labels_carry_their_dates():
    from nps_core.base.i18n import fmt_period, fmt_week

    # ISO week 1 of 2026 runs from Monday 29 December 2025 to Sunday 4 January 2026 (a calendar says so)
    assert fmt_period("week", D(2025, 12, 29), "en") == "W01 2026, 29 Dec–4 Jan"
    assert fmt_period("week", D(2025, 12, 29), "nl") == "W01 2026, 29 dec–4 jan"
    assert fmt_week(D(2026, 1, 4), "en") == "W01 2026, 29 Dec–4 Jan"  # any day of the week names it
    # week 10 of 2025: 3 to 9 March, one month named once
    assert fmt_period("week", D(2025, 3, 3), "nl") == "W10 2025, 3–9 mrt"
    # week 53 of 2020 ends in January 2021; its year is the ISO year
    assert fmt_period("week", D(2020, 12, 28), "en") == "W53 2020, 28 Dec–3 Jan"


def test_week_axes_show_the_dates_on_a_second_line():
    import pandas as pd

    from nps_core.base.metrics import add_stats
    from nps_core.present.charts import nps_trend_chart

    trend = add_stats(pd.DataFrame({"period": pd.to_datetime(["2025-12-22", "2025-12-29"]), "key": ["a", "b"],
                                    "n": [100, 100], "promoters": [50, 40], "passives": [30, 30],
                                    "detractors": [20, 30]}))
    spec = nps_trend_chart(trend, "en", "week").to_dict()
    axes = [layer["encoding"]["x"]["axis"] for layer in spec.get("layer", [spec]) if "x" in layer.get("encoding", {})]
    assert axes and all(a["labelExpr"] == "split(datum.label, ', ')" and a["labelAngle"] == 0 for a in axes)
    assert axes[0]["values"][-1] == "W01 2026, 29 Dec–4 Jan"
