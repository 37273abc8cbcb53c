"""`python -m nps_core`: the command-line contract (README "Command line"; docs/ARCHITECTURE.md).

Every sub-command takes --db (default data/nps.duckdb, env NPS_STORE or NPS_DB;
a ducklake:… spec is the shared store); with --json it prints exactly one JSON object on stdout. Bad input exits non-zero
with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import duckdb

from nps_core import DEFAULT_DB
from nps_core.analysis.aggregates import breakdown, data_range, summary, trend
from nps_core.analysis.complete import is_partial
from nps_core.analysis.discovery import discover
from nps_core.analysis.drivers import DRIVER_COLUMNS, MIN_MENTIONS, key_drivers
from nps_core.analysis.explain import explain as explain_change
from nps_core.analysis.export import FORMATS, export
from nps_core.analysis.filters import Filters
from nps_core.analysis.fit import fit
from nps_core.analysis.periods import GRAINS, month_range, parse_period, period_key
from nps_core.analysis.search import search
from nps_core.analysis.themes import action_points, theme_table
from nps_core.analysis.topics import emerging
from nps_core.base.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from nps_core.base.metrics import SMALL_SAMPLE, is_small, round1
from nps_core.db.catalog import default_dataset, resolve_dataset
from nps_core.db.datasets import delete_dataset, list_datasets, set_default
from nps_core.db.errors import StoreBusy, StoreError
from nps_core.db.migrate import migrate
from nps_core.db.schema import NPS_TYPES
from nps_core.db.store import Store
from nps_core.followup import notify, spikes, thank
from nps_core.ingest.dates import ORDERS as DATE_ORDERS
from nps_core.ingest.importer import analysed, explain, import_file
from nps_core.ingest.remember import forget, list_remembered
from nps_core.jobs.demo import ensure_demo
from nps_core.present.narrative import narrative
from nps_core.report import content as report
from nps_core.report import digest
from nps_core.report import export as report_export
from nps_core.report.export import FORMATS as REPORT_FORMATS
from nps_core.sources.attach import MODES
from nps_core.sources.registry import add_source, list_sources, refresh_source
from nps_core.text.enrich import enrich, retag
from nps_core.text.packs import PACKS
from nps_core.text.packs import apply as apply_pack

EXIT_BAD_INPUT = 2
EXIT_BUSY = 3


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM): {text!r}") from None


def _scheduled(sub, name: str, help: str, common) -> argparse.ArgumentParser:
    """A sub-command that sends scheduled messages: --send or --dry-run."""
    p = sub.add_parser(name, parents=[common], help=help)
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--send", action="store_true", help="queue what is due and send it (and retry earlier failures)")
    mode.add_argument("--dry-run", action="store_true", help="list what --send would send; record nothing")
    p.add_argument("--now", type=_datetime, metavar="ISO", help="the moment to decide what is due (default: now)")
    p.add_argument("--wait", type=float, default=60.0, help="seconds a run may wait to retry a failure (default 60)")
    return p


def _pair(text: str) -> tuple[str, str]:
    field, sep, column = text.partition("=")
    if not sep or not field:  # FIELD= (empty column) leaves the field unmapped
        raise argparse.ArgumentTypeError(f"expected FIELD=COLUMN, got {text!r}")
    return field.strip(), column.strip()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help=f"DuckDB file or ducklake:… store (default: env NPS_STORE, NPS_DB, {DEFAULT_DB})")
    common.add_argument("--json", action="store_true", help="print one JSON object")

    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("--dataset", help="dataset name (default: the configured default, else the first created)")
    reading.add_argument("--from", dest="date_from", type=_date, metavar="DATE")
    reading.add_argument("--to", dest="date_to", type=_date, metavar="DATE")
    reading.add_argument("--nps-type", dest="nps_types", action="append", choices=NPS_TYPES,
                         help="only this programme type (repeatable)")
    reading.add_argument("--source", help="a connected source (its dataset has the same name)")

    parser = argparse.ArgumentParser(prog="python -m nps_core", description="NPS analytics engine")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", parents=[common], help="import a CSV file into a dataset")
    p.add_argument("file")
    p.add_argument("--map", dest="mapping", type=_pair, action="append", default=[],
                   metavar="FIELD=COLUMN", help="use COLUMN of the file for FIELD")
    p.add_argument("--nps-type", choices=NPS_TYPES, help="programme type of the whole file")
    p.add_argument("--dataset", help="dataset to import into (default: named after the file)")
    p.add_argument("--date-order", choices=DATE_ORDERS, default="auto",
                   help="day/month order of ambiguous dates (default: decided from the whole column)")
    p.add_argument("--explain", action="store_true",
                   help="print the mapping that would be used, with the evidence for each column; store nothing")
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the --explain evidence")
    p.add_argument("--theme-pack", choices=PACKS,
                   help="starter themes of a dataset this import creates (default retail; an existing dataset keeps its themes)")

    p = sub.add_parser("mappings", parents=[common],
                       help="column mappings remembered for files with the same headers; --delete one")
    p.add_argument("--delete", type=int, metavar="ID", help="forget this remembered mapping")

    p = sub.add_parser("themes", parents=[common, reading], help="themes with their NPS impact")
    p.add_argument("--by", help="also per value of this column")
    p.add_argument("--lang", choices=("nl", "en"), default="en", help="language of the theme labels")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--fit", action="store_true",
                      help="how well the themes catch what discovery finds, per starter pack, with a suggestion")
    what.add_argument("--drivers", action="store_true",
                      help="key drivers: each theme's NPS effect with the others held fixed and its relative weight")
    what.add_argument("--use-pack", choices=PACKS, metavar="PACK",
                      help=f"replace the dataset's themes by a starter pack ({', '.join(PACKS)}) and re-tag")

    p = sub.add_parser("topics", parents=[common, reading], help="words whose share rose against the baseline")
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--min-count", type=int, default=10, help="fewest mentions in the period (default 10)")

    p = sub.add_parser("actions", parents=[common, reading],
                       help="the themes that cost the most NPS, with their trend and typical verbatims")
    p.add_argument("--limit", type=int, default=3, help="how many themes (default 3)")
    p.add_argument("--lang", choices=("nl", "en"), default="en", help="language of the theme labels")

    p = sub.add_parser("discover", parents=[common, reading], help="topics found in the comments, with no taxonomy")
    p.add_argument("--limit", type=int, default=15, help="most mentioned topics to list (default 15)")

    p = sub.add_parser("search", parents=[common, reading], help="comments closest in meaning to a text (Dutch or English)")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=20, help="how many comments (default 20)")

    sub.add_parser("enrich", parents=[common],
                   help="add language, sentiment and themes to new comments; re-tag all after a taxonomy change")

    p = sub.add_parser("datasets", parents=[common], help="list datasets, delete one, or choose the default")
    p.add_argument("--delete", metavar="NAME", help="delete this dataset and everything imported into it")
    p.add_argument("--set-default", metavar="NAME",
                   help="the dataset shown when none is named (env NPS_DEFAULT_DATASET overrides it)")

    p = sub.add_parser("summary", parents=[common, reading], help="NPS with margin of error")
    p.add_argument("--by", help=f"{'|'.join(GRAINS)}|nps_type|COLUMN")

    p = sub.add_parser("explain", parents=[common, reading],
                       help="why the NPS moved: the change split into mix and performance per segment, "
                            "the themes that moved, the narrative (default: the last complete period against the one before)")
    p.add_argument("--vs-from", dest="vs_from", type=_date, metavar="DATE", help="start of the period to compare with")
    p.add_argument("--vs-to", dest="vs_to", type=_date, metavar="DATE",
                   help="end of the period to compare with (default: the period before --from/--to)")
    p.add_argument("--by", help="the dimension to split along (default: the one that explains most)")
    p.add_argument("--grain", choices=("week", "month", "quarter"), default="month",
                   help="the periods compared when no dates are given (default month)")

    p = sub.add_parser("export", parents=[common, reading], help="export canonical records")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True)

    p = sub.add_parser("alerts", parents=[common], help="critical responses; --notify sends each new one once")
    p.add_argument("--dataset", help="dataset name (default: the configured default, else the first created)")
    p.add_argument("--days", type=int, default=7, help="look back this many days from the latest response (default 7)")
    p.add_argument("--notify", action="store_true", help="send new alerts and retry failed ones")
    p.add_argument("--dry-run", action="store_true", help="list what --notify (or --spikes) would send; record nothing")
    p.add_argument("--spikes", action="store_true",
                   help="themes and segments of the last complete week outside their 8-week baseline; "
                        "sends each new one once to the alert rules' channels")
    p.add_argument("--wait", type=float, default=60.0, help="seconds a run may wait to retry a failure (default 60)")

    _scheduled(sub, "digest", "e-mail every subscription its digest of the last complete day, week or month, once",
               common)
    p = _scheduled(sub, "thank", "thank new promoters by e-mail, each response once, within the daily cap", common)
    p.add_argument("--dataset", help="dataset name (default: the default dataset)")
    p.add_argument("--days", type=int, default=7, help="promoters of this many days up to the latest response (default 7)")

    p = sub.add_parser("report", parents=[common], help="the board report as PDF, PowerPoint or HTML")
    p.add_argument("--period", required=True, help="YYYY-MM, YYYY-Www, YYYY-Qn, last-month or last-week")
    p.add_argument("--format", required=True, choices=REPORT_FORMATS)
    p.add_argument("--out", required=True)
    p.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    p.add_argument("--dataset", help="dataset name (default: the configured default, else the first created)")
    p.add_argument("--nps-type", dest="nps_types", action="append", choices=NPS_TYPES,
                   help="only this programme type (repeatable)")
    p.add_argument("--no-mask", dest="mask", action="store_false",
                   help="keep e-mail addresses, phone numbers, IBANs and names in the comments")

    p = sub.add_parser("source", help="connected databases: add, refresh, list")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("add", parents=[common], help="connect a table or query (live or snapshot)")
    a.add_argument("name")
    a.add_argument("--url", required=True,
                   help="env:VAR, secret:NAME (.streamlit/secrets.toml), postgresql://… without password, "
                        "sqlite:PATH, duckdb:PATH or parquet:PATH")
    what = a.add_mutually_exclusive_group()
    what.add_argument("--table", help="TABLE or SCHEMA.TABLE")
    what.add_argument("--query", help="one SELECT, run by PostgreSQL as written")
    a.add_argument("--map", dest="mapping", type=_pair, action="append", default=[], metavar="FIELD=COLUMN")
    a.add_argument("--nps-type", choices=NPS_TYPES, help="programme type of rows without one")
    a.add_argument("--mode", choices=MODES, default="snapshot",
                   help="live: read the source on every query; snapshot (default): copy it, refresh adds new rows")
    a.add_argument("--cursor", metavar="COLUMN", help="snapshot: an increasing id or timestamp column")
    a.add_argument("--date-order", choices=DATE_ORDERS, default="auto")
    a = actions.add_parser("refresh", parents=[common], help="copy new rows (snapshot) or re-check (live)")
    a.add_argument("name")
    actions.add_parser("list", parents=[common], help="the connected sources and their last refresh")

    p = sub.add_parser("store", help="the store itself: move it to another")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("migrate", parents=[common],
                           help="copy everything into another, empty store (a DuckLake or a file) and check it")
    a.add_argument("--to", dest="target", required=True, metavar="STORE",
                   help="ducklake:postgres:… data_path=… or a DuckDB file")
    a.add_argument("--from", dest="source", metavar="STORE", help="default: --db, NPS_STORE or NPS_DB")
    return parser


def _filters(args) -> Filters:
    return Filters(
        dataset=args.dataset or args.source,
        date_from=args.date_from,
        date_to=args.date_to,
        nps_types=tuple(args.nps_types or ()),
    )


def _latest_month_unless_dated(store: Store, filters: Filters) -> Filters:
    """The filters, over the latest month with data when no --from/--to was given."""
    if filters.date_from is None or filters.date_to is None:
        filters = filters.with_dates(*month_range(data_range(store, filters.dataset)[1]))
    return filters


def _reading_store(args) -> Store:
    store = Store(args.db)
    ensure_demo(store)  # same first start (or upgrade) as the dashboard
    return store


def cmd_import(args) -> dict:
    if args.explain:
        out = explain(args.file, Store(args.db), args.dataset, dict(args.mapping), args.date_order, args.lang)
        if not args.json:
            for fieldname, column in out["mapping"].items():
                print(f"{fieldname:<13} {column}  ({'; '.join(out['evidence'][fieldname])})")
            for u in out["undecided"].values():
                print(f"?             {u['text']}")
            if out["nps_category"]:
                print(out["nps_category"]["text"])
        return out
    store = Store(args.db)
    result = import_file(
        store, args.file, dataset=args.dataset, mapping=dict(args.mapping), nps_type=args.nps_type,
        date_order=args.date_order, theme_pack=args.theme_pack, analyse=False,
    )
    _analyse_stored(store, result, say=not args.json)
    out = result.contract()
    warnings = [t(f"warn_{code}", "en", file=Path(args.file).name) for code in result.warnings]
    if warnings:
        out["warnings"] = warnings  # an extra key: the contract's keys stay as they are
    if not args.json:
        reasons = "".join(f"\n  {k}: {v}" for k, v in out["reasons"].items())
        print(
            f"{result.dataset}: read {out['read']}, imported {out['imported']}, "
            f"duplicates {out['duplicates']}, rejected {out['rejected']}{reasons}"
            + (f"\nrejected rows: {out['rejects_file']}" if out["rejects_file"] else "")
        )
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return out


def _analyse_stored(store: Store, result, say: bool) -> None:
    """Say what is stored (to a person: with --json a script hears nothing on
    stderr from a command that succeeds), then analyse its comments: a command
    stopped while analysing has stored its rows all the same (the next import,
    `enrich` or the dashboard analyses what is left)."""
    if say and result.imported:
        print(t("stored_analysing", "en", n=f"{result.imported:,}", dataset=result.dataset), file=sys.stderr,
              flush=True)
    analysed(store, lambda fraction, stage: None)


def cmd_mappings(args) -> dict:
    store = Store(args.db)
    if args.delete is not None:
        forget(store, args.delete)
    rows = list_remembered(store)
    if not args.json:
        for r in rows:
            pairs = ", ".join(f"{f}={c}" for f, c in r["mapping"].items())
            print(f"{r['id']:>4}  {r['dataset']:<24} {r['saved_at']}  {pairs}")
    return {"mappings": rows}


def cmd_summary(args) -> dict:
    store = _reading_store(args)
    filters = _filters(args)
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


def cmd_explain(args) -> dict:
    if (args.vs_from is None) != (args.vs_to is None):
        raise ValueError("give both --vs-from and --vs-to, or neither")
    vs = (args.vs_from, args.vs_to) if args.vs_from else None
    out = explain_change(_reading_store(args), _filters(args), vs, args.by, args.grain).as_dict()
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


def cmd_export(args) -> dict:
    store = _reading_store(args)
    rows = export(store, _filters(args), args.format, args.out)
    out = {"rows": rows, "out": args.out, "format": args.format}
    if not args.json:
        print(f"wrote {rows} responses to {args.out}")
    return out




def _theme_rows(table) -> list[dict]:
    return [
        {"theme": r.theme, "mentions": int(r.mentions), "share": round(float(r.share), 4),
         "nps": round1(r.nps), "nps_without": round1(r.nps_without), "impact": round1(r.impact),
         "sentiment": round(float(r.sentiment), 3)}
        for r in table.itertuples()
    ]


def _share(value) -> float | None:
    return None if value is None else round(float(value), 4)


def _fit(store: Store, filters: Filters, as_json: bool) -> dict:
    out = fit(store, filters)
    for key in ("untagged_share", "caught_share"):
        out[key] = _share(out[key])
    for row in out["missed_topics"] + out["packs"]:
        for key in ("caught_share", "tagged_share"):
            if key in row:
                row[key] = _share(row[key])
    if not as_json:
        print(f"themes in use: {out['pack'] or 'edited'}; comments under no theme {100 * (out['untagged_share'] or 0):.1f} %, "
              f"sentences of discovered topics caught {100 * (out['caught_share'] or 0):.1f} %"
              + ("  -> WARNING: the themes fit poorly" if out["warn"] else ""))
        for row in out["packs"]:
            print(f"  {row['pack']:<10} tags {100 * (row['tagged_share'] or 0):5.1f} % of comments, "
                  f"catches {100 * (row['caught_share'] or 0):5.1f} % of topic sentences")
        if out["suggestion"]:
            print("suggestion: " + (f"use the {out['suggestion']['pack']} pack" if out["suggestion"]["kind"] == "pack"
                                    else "adopt discovered topics as themes"))
    return out


def _drivers(store: Store, filters: Filters, lang: str, as_json: bool) -> dict:
    found = key_drivers(store, filters, lang)
    rows = [{"theme": r.theme, "mentions": int(r.mentions),
             **{c: round(float(getattr(r, c)), 4 if c == "weight" else 1) for c in DRIVER_COLUMNS[3:]}}
            for r in found["drivers"].itertuples()]
    out = {"n": found["n"], "r2": _share(found["r2"]), "min_mentions": MIN_MENTIONS, "drivers": rows,
           "too_few": [{"theme": r.theme, "mentions": int(r.mentions)} for r in found["too_few"].itertuples()]}
    if not as_json:
        for r in rows:
            print(f"{r['theme']:<22} weight {100 * r['weight']:5.1f} %  effect {r['effect']:+6.1f} "
                  f"[{r['effect_low']:+6.1f}, {r['effect_high']:+6.1f}]  mentions {r['mentions']:>6}")
        for r in out["too_few"]:
            print(f"{r['theme']:<22} too few to estimate (mentions {r['mentions']})")
    return out


def cmd_themes(args) -> list | dict:
    store = _reading_store(args)
    filters = _filters(args)
    if args.use_pack:
        with store.read() as con:
            dataset = resolve_dataset(con, filters.dataset)
        out = apply_pack(store, dataset, args.use_pack)
        if not args.json:
            print(f"{dataset}: themes of the {args.use_pack} pack ({out['themes']} themes)")
        return out
    if args.fit:
        return _fit(store, filters, args.json)
    if args.drivers:
        return _drivers(store, filters, args.lang, args.json)
    if args.by:
        out = []
        for key in breakdown(store, filters, args.by, compare=False)["key"]:
            rows = _theme_rows(theme_table(store, filters.with_dim(args.by, [key]), args.lang))
            out += [{"group": key, **r} for r in rows]
    else:
        out = _theme_rows(theme_table(store, filters, args.lang))
    if not args.json:
        for r in out:
            group = f"{r['group']:<18} " if "group" in r else ""
            # impact is None when no response of the period lacks the theme
            impact = "     –" if r["impact"] is None else f"{r['impact']:+6.1f}"
            print(f"{group}{r['theme']:<20} impact {impact}  NPS {r['nps']:+6.1f}  "
                  f"mentions {r['mentions']:>6}  share {100 * r['share']:5.1f} %  sentiment {r['sentiment']:+.2f}")
    return out


def cmd_topics(args) -> list:
    store = _reading_store(args)
    filters = _latest_month_unless_dated(store, _filters(args))
    rising = emerging(store, filters, args.limit, args.min_count)
    out = [{"term": r.term, "count": int(r.count), "share": round(float(r.share), 4), "lift": round(float(r.lift), 2)}
           for r in rising.itertuples()]
    if not args.json:
        for r, caught in zip(out, ~rising["uncaught"]):
            print(f"{r['term']:<28} {r['count']:>6}  share {100 * r['share']:5.1f} %  lift {r['lift']:6.1f}"
                  + ("" if caught else "  (no theme)"))
    return out


def cmd_actions(args) -> list:
    store = _reading_store(args)
    filters = _latest_month_unless_dated(store, _filters(args))
    points = action_points(store, filters, theme_table(store, filters, args.lang), args.limit)
    out = [{
        "theme": p["theme"], "label": p["label"], "impact": round1(p["impact"]), "mentions": p["mentions"],
        "nps": round1(p["nps"]),
        "trend": [{"period": str(k), "n": int(n), "nps": round1(v)}
                  for k, n, v in zip(p["trend"]["key"], p["trend"]["n"], p["trend"]["nps"])],
        "verbatims": [{"responded_at": r.responded_at.isoformat(sep=" "), "score": int(r.score), "comment": r.comment}
                      for r in p["verbatims"].itertuples()],
    } for p in points]
    if not args.json:
        for i, p in enumerate(out, 1):
            print(f"{i}. {p['label']}: impact {p['impact']:+.1f} NPS points, {p['mentions']} mentions, NPS {p['nps']:+.1f}")
            print("   trend: " + "  ".join(f"{t['period']} {t['nps']:+.0f}" for t in p["trend"]))
            for v in p["verbatims"]:
                print(f"   [{v['score']}] {v['comment']}")
    return out


def _positive(limit: int) -> int:
    if limit < 1:
        raise ValueError(f"--limit must be at least 1, got {limit}")
    return limit


def cmd_discover(args) -> list:
    topics = discover(_reading_store(args), _filters(args), _positive(args.limit))
    out = [{"label": tp["label"], "terms": tp["terms"], "n": tp["n"], "share": round(float(tp["share"]), 4),
            "nps": round1(tp["nps"]), "impact": round1(tp["impact"]), "sentiment": round(float(tp["sentiment"]), 3),
            "examples": tp["examples"],
            "trend": [{"period": m["period"], "n": m["n"], "nps": round1(m["nps"])} for m in tp["trend"]]}
           for tp in topics]
    if not args.json:
        for tp in out:
            print(f"{tp['label']:<40} n {tp['n']:>6}  share {100 * tp['share']:5.1f} %  NPS {tp['nps']:+6.1f}  "
                  f"impact {tp['impact']:+5.1f}  sentiment {tp['sentiment']:+.2f}")
            for example in tp["examples"]:
                print(f"    {example}")
    return out


def cmd_search(args) -> list:
    hits = search(_reading_store(args), _filters(args), args.text, _positive(args.limit))
    out = [{"response_id": r.response_id, "score": int(r.score), "comment": r.comment,
            "similarity": round(float(r.similarity), 4)} for r in hits.itertuples()]
    if not args.json:
        for r in out:
            print(f"{r['similarity']:.3f}  [{r['score']}] {r['comment']}")
    return out


def cmd_enrich(args) -> dict:
    store = _reading_store(args)
    out = enrich(store)
    out["retagged"] = retag(store)  # rules may have changed without a version bump
    if not args.json:
        print(f"enriched {out['enriched']} new comments, re-tagged {out['retagged']} in {out['seconds']} s")
    return out


def cmd_datasets(args) -> dict:
    store = _reading_store(args)
    if args.delete:
        delete_dataset(store, args.delete)
    if args.set_default:
        set_default(store, args.set_default)
    rows = list_datasets(store)
    with store.read() as con:
        default = default_dataset(con)
    if not args.json:
        for r in rows:
            mark = "*" if r["name"] == default else " "
            print(f"{mark} {r['name']:<30} {r['responses']:>9} responses  {r['first'] or ''} – {r['last'] or ''}")
    return {"datasets": rows, "default": default}


def _warn_unconfigured(out: dict) -> None:
    for channel, n in out.get("unconfigured", {}).items():
        print(f"warning: {n} alert(s) for {channel} not sent: that channel is not configured", file=sys.stderr)


def cmd_spikes(args) -> dict:
    """`alerts --spikes`: last week's spikes (followup/spikes.py), each sent once."""
    out = spikes.run(_reading_store(args), args.dataset, dry_run=args.dry_run, wait=args.wait)
    if not args.json:
        print(f"week {out['week']} ({out['from']} – {out['to']}) against {out['baseline_from']} – "
              f"{out['baseline_to']}: {out['tested']} tests, {len(out['spikes'])} spikes")
        for s in out["spikes"]:
            value = (f"share {100 * s['value']:.1f} % (baseline {100 * s['baseline']:.1f} %)" if s["kind"] == "theme"
                     else f"NPS {s['value']:+.1f} (baseline {s['baseline']:+.1f})")
            print(f"  {s['subject']:<32} {value}  q = {s['q']:.2g}")
        for a in out.get("would_send", []):
            print(f"would send {a['response_id']} to {a['channel']}")
        if not args.dry_run:
            print(f"queued {out['queued']}, sent {out['sent']}, failed {out['failed']} (retried later), "
                  f"gave up {out['gave_up']}")
    _warn_unconfigured(out)
    return out


def cmd_alerts(args) -> dict:
    if args.spikes:
        return cmd_spikes(args)
    store = _reading_store(args)
    if args.notify or args.dry_run:
        out = notify.run(store, args.dataset, args.days, dry_run=args.dry_run, wait=args.wait)
    else:
        out = {"alerts": notify.outbox(store, args.dataset).astype({"created_at": str, "sent_at": str})
               .to_dict("records")}
    if not args.json:
        if "would_send" in out:
            for a in out["would_send"]:
                print(f"would send {a['response_id']} (score {a['score']}, {a['responded_at']}) "
                      f"to {a['channel']} for {', '.join(a['recipients'])}")
            for a in out["would_escalate"]:
                print(f"would escalate overdue case {a['response_id']} ({a['responded_at']}) to {a['channel']}")
        elif "queued" in out:
            print(f"queued {out['queued']} alerts and {out['escalations']} escalations, sent {out['sent']}, "
                  f"failed {out['failed']} (retried later), gave up {out['gave_up']}")
        else:
            for a in out["alerts"]:
                print(f"{a['created_at'][:16]}  {a['response_id']:<12} {a['channel']:<28} {a['status']:<8} "
                      f"attempts {a['attempts']}")
    _warn_unconfigured(out)
    return out


def cmd_digest(args) -> dict:
    out = digest.run(_reading_store(args), args.now, dry_run=args.dry_run, wait=args.wait)
    if not args.json:
        for d in out.get("would_send", []):
            print(f"would send the {d['frequency']} digest {d['period']} ({d['lang']}, n = {d['n']}"
                  + (", with PDF" if d["pdf"] else "") + f") to {d['recipient']}")
        if not args.dry_run:
            print(f"queued {out['queued']}, sent {out['sent']}, failed {out['failed']} (retried later), "
                  f"gave up {out['gave_up']}")
        for s in out.get("skipped", []):
            print(f"skipped subscription {s['sub_id']}: {s['reason']}")
    return out


def cmd_thank(args) -> dict:
    out = thank.run(_reading_store(args), args.dataset, args.days, dry_run=args.dry_run, wait=args.wait, now=args.now)
    if not args.json:
        for m in out.get("would_send", []):
            print(f"would send {m['subject']!r} ({m['lang']}) to {m['to']} for response {m['response_id']}")
        if not args.dry_run:
            print(f"queued {out['queued']}, sent {out['sent']}, failed {out['failed']} (retried later), "
                  f"gave up {out['gave_up']}")
        print(f"held back: {out.get('no_address', 0)} without an address, {out.get('opted_out', 0)} opted out, "
              f"{out.get('over_cap', 0)} over the daily cap")
    return out


def cmd_report(args) -> dict:
    started = time.perf_counter()
    grain, start, _ = parse_period(args.period)
    filters = Filters(dataset=args.dataset, nps_types=tuple(args.nps_types or ()))
    content = report.build(_reading_store(args), filters, grain, start, args.lang, masked=args.mask)
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


def _print_counts(name: str, out: dict) -> None:
    reasons = "".join(f"\n  {k}: {v}" for k, v in out["reasons"].items())
    print(f"{name}: read {out['read']}, imported {out['imported']}, duplicates {out['duplicates']}, "
          f"rejected {out['rejected']}{reasons}")


def cmd_source(args):
    store = Store(args.db)
    if args.action == "list":
        rows = list_sources(store)
        if not args.json:
            for r in rows:
                print(f"{r['name']:<24} {r['mode']:<9} {r['kind']:<9} {r['connection']}  {r['reads']}  "
                      f"last refresh {r['refreshed_at'] or '-'}")
        return {"sources": rows}
    if args.action == "add":
        result = add_source(store, args.name, args.url, table=args.table, query=args.query,
                            mapping=dict(args.mapping), nps_type=args.nps_type, mode=args.mode,
                            cursor=args.cursor, date_order=args.date_order)
    else:
        result = refresh_source(store, args.name)
    out = result.contract()
    if not args.json:
        _print_counts(args.name, out)
    return out


def cmd_store(args) -> dict:
    out = migrate(Store(args.source or args.db), Store(args.target))
    if not args.json:
        print(f"copied {out['rows'].get('responses', 0)} responses to {out['to']}; every dataset checked:")
        for name, d in out["datasets"].items():
            print(f"  {name:<24} n = {d['responses']:<9} NPS {d['nps']:+.1f}")
    return out


COMMANDS = {"import": cmd_import, "mappings": cmd_mappings, "summary": cmd_summary, "explain": cmd_explain,
            "export": cmd_export, "datasets": cmd_datasets,
            "themes": cmd_themes, "topics": cmd_topics, "enrich": cmd_enrich, "discover": cmd_discover,
            "search": cmd_search,
            "actions": cmd_actions, "alerts": cmd_alerts, "report": cmd_report, "source": cmd_source,
            "digest": cmd_digest, "thank": cmd_thank, "store": cmd_store}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        out = COMMANDS[args.command](args)
    except BrokenPipeError:
        raise  # the reader of our output went away: no error of the input (nps_core/__main__.py)
    except StoreBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except (StoreError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except duckdb.Error as exc:
        print(f"error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    return 0
