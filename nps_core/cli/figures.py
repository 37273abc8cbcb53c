"""The figures: NPS with its margin, the explained change, the board report."""

from __future__ import annotations

import argparse
import time

from nps_core.analysis.aggregates import breakdown, data_range, summary, trend
from nps_core.analysis.complete import is_partial
from nps_core.analysis.explain import explain as explain_change
from nps_core.analysis.filters import Filters
from nps_core.analysis.periods import GRAINS, parse_period, period_key
from nps_core.base.i18n import DEFAULT_LANGUAGE, LANGUAGES
from nps_core.base.metrics import SMALL_SAMPLE, is_small, round1
from nps_core.cli import options
from nps_core.cli.options import Command
from nps_core.db.schema import NPS_TYPES
from nps_core.present.narrative import narrative
from nps_core.report import content as report
from nps_core.report import export as report_export
from nps_core.report.export import FORMATS as REPORT_FORMATS


def _summary_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", help=f"{'|'.join(GRAINS)}|nps_type|COLUMN")


def cmd_summary(args) -> dict:
    store = options.reading_store(args)
    filters = options.filters(args)
    stats = summary(store, filters)
    groups = []
    if args.by:
        if args.by in GRAINS:
            frame = trend(store, filters, args.by)
        else:
            frame = breakdown(store, filters, args.by, compare=False).sort_values("key")
        groups = [
            {"key": r.key, "n": int(r.n), "nps": round1(r.nps), "moe": round1(r.moe)}
            for r in frame.itertuples()
        ]
        if args.by in GRAINS and groups:
            last_day = data_range(store, filters.dataset)[1]
            for g, start in zip(groups, frame["period"]):
                g["partial"] = is_partial(args.by, start.date(), last_day, date_from=filters.date_from,
                                          date_to=filters.date_to)
    out = {
        "n": stats.n,
        "nps": round1(stats.nps),
        "promoters": stats.promoters,
        "passives": stats.passives,
        "detractors": stats.detractors,
        "moe": round1(stats.moe),
        "groups": groups,
    }
    if not args.json:
        if stats.n:
            print(f"NPS {out['nps']:+.1f} ± {out['moe']:.1f}  (n = {stats.n}: "
                  f"{stats.promoters} promoters, {stats.passives} passives, {stats.detractors} detractors)")
        else:
            print("no responses match")
        for g in groups:
            flag = f"  (n < {SMALL_SAMPLE})" if is_small(g["n"]) else ""
            flag += "  (partial)" if g.get("partial") else ""
            print(f"  {g['key']:<24} {g['nps']:+6.1f} ± {g['moe']:4.1f}  n = {g['n']}{flag}")
    return out


def _explain_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--vs-from", dest="vs_from", type=options.date, metavar="DATE", help="start of the period to compare with")
    p.add_argument("--vs-to", dest="vs_to", type=options.date, metavar="DATE",
                   help="end of the period to compare with (default: the period before --from/--to)")
    p.add_argument("--by", help="the dimension to split along (default: the one that explains most)")
    p.add_argument("--grain", choices=("week", "month", "quarter"), default="month",
                   help="the periods compared when no dates are given (default month)")


def cmd_explain(args) -> dict:
    if (args.vs_from is None) != (args.vs_to is None):
        raise ValueError("give both --vs-from and --vs-to, or neither")
    vs = (args.vs_from, args.vs_to) if args.vs_from else None
    out = explain_change(options.reading_store(args), options.filters(args), vs, args.by, args.grain).as_dict()
    out["narrative"] = {lang: narrative(out, lang) for lang in LANGUAGES}
    if not args.json:
        for sentence in out["narrative"]["en"]:
            print(sentence["text"])
        print(f"\nby {out['dimension']}:  share before -> after   NPS before -> after   mix   performance   "
              f"contribution [95 % interval]")
        for g in out["segments"]:
            nps = "  ".join("     -" if v is None else f"{v:+6.1f}" for v in (g["nps_a"], g["nps_b"]))
            print(f"  {g['key']:<24} {100 * g['share_a']:5.1f} % -> {100 * g['share_b']:5.1f} %  {nps}  "
                  f"{g['mix']:+6.2f}  {g['performance']:+6.2f}  {g['contribution']:+6.2f} "
                  f"[{g['low']:+6.2f}, {g['high']:+6.2f}]")
        print(f"  {'total':<24} {out['change']['delta']:+.2f} = mix {out['check']['mix']:+.2f} "
              f"+ performance {out['check']['performance']:+.2f}")
    return out


def _report_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", required=True, help="YYYY-MM, YYYY-Www, YYYY-Qn, last-month or last-week")
    p.add_argument("--format", required=True, choices=REPORT_FORMATS)
    p.add_argument("--out", required=True)
    p.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    p.add_argument("--dataset", help="dataset name (default: the configured default, else the first created)")
    p.add_argument("--nps-type", dest="nps_types", action="append", choices=NPS_TYPES,
                   help="only this programme type (repeatable)")
    p.add_argument("--no-mask", dest="mask", action="store_false",
                   help="keep e-mail addresses, phone numbers, IBANs and names in the comments")


def cmd_report(args) -> dict:
    started = time.perf_counter()
    grain, start, _ = parse_period(args.period)
    filters = Filters(dataset=args.dataset, nps_types=tuple(args.nps_types or ()))
    content = report.build(options.reading_store(args), filters, grain, start, args.lang, masked=args.mask)
    data, count = report_export.render(content, args.format)
    with open(args.out, "wb") as fh:
        fh.write(data)
    out = {"out": args.out, "format": args.format, report_export.COUNT_KEY[args.format]: count,
           "period": period_key(grain, start), "from": content.date_from.isoformat(),
           "to": content.date_to.isoformat(), "lang": args.lang, "masked": args.mask,
           "n": content.current.n, "nps": round1(content.current.nps),
           "seconds": round(time.perf_counter() - started, 2)}
    if not args.json:
        print(f"wrote {content.title} ({count} {report_export.COUNT_KEY[args.format]}) to {args.out}")
    return out


COMMANDS = (
    Command("summary", "NPS with margin of error", _summary_arguments, cmd_summary, ("common", "reading")),
    Command("explain", "why the NPS moved: the change split into mix and performance per segment, the themes "
            "that moved, the narrative (default: the last complete period against the one before)",
            _explain_arguments, cmd_explain, ("common", "reading")),
    Command("report", "the board report as PDF, PowerPoint or HTML", _report_arguments, cmd_report),
)
