"""What customers say: themes, fit and drivers, rising words, discovered topics, meaning search."""

from __future__ import annotations

import argparse

from nps_core.analysis.aggregates import breakdown
from nps_core.analysis.discovery import discover, title
from nps_core.analysis.drivers import DRIVER_COLUMNS, MIN_MENTIONS, key_drivers
from nps_core.analysis.filters import Filters
from nps_core.analysis.fit import fit
from nps_core.analysis.search import search
from nps_core.analysis.themes import action_points, theme_table
from nps_core.analysis.topics import emerging
from nps_core.base.metrics import round1
from nps_core.cli import options
from nps_core.cli.options import Command
from nps_core.db.catalog import resolve_dataset
from nps_core.db.store import Store
from nps_core.text.marks import add_mark, theme_precision
from nps_core.text.marks import marks as theme_marks
from nps_core.text.packs import PACKS
from nps_core.text.packs import apply as apply_pack


def _theme_rows(table) -> list[dict]:
    return [
        {"theme": r.theme, "mentions": int(r.mentions), "share": round(float(r.share), 4),
         "nps": round1(r.nps), "nps_without": round1(r.nps_without), "impact": round1(r.impact),
         "sentiment": round(float(r.sentiment), 3)}
        for r in table.itertuples()
    ]


def _fit(store: Store, filters: Filters, as_json: bool) -> dict:
    out = fit(store, filters)
    for key in ("untagged_share", "caught_share"):
        out[key] = options.share(out[key])
    for row in out["missed_topics"] + out["packs"]:
        for key in ("caught_share", "tagged_share"):
            if key in row:
                row[key] = options.share(row[key])
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
    out = {"n": found["n"], "r2": options.share(found["r2"]), "min_mentions": MIN_MENTIONS, "drivers": rows,
           "too_few": [{"theme": r.theme, "mentions": int(r.mentions)} for r in found["too_few"].itertuples()]}
    if not as_json:
        for r in rows:
            print(f"{r['theme']:<22} weight {100 * r['weight']:5.1f} %  effect {r['effect']:+6.1f} "
                  f"[{r['effect_low']:+6.1f}, {r['effect_high']:+6.1f}]  mentions {r['mentions']:>6}")
        for r in out["too_few"]:
            print(f"{r['theme']:<22} too few to estimate (mentions {r['mentions']})")
    return out


def _marks(store: Store, filters: Filters, mark: list[str] | None, as_json: bool) -> dict:
    """themes --marks / --mark THEME VERDICT SENTENCE (text/marks.py)."""
    with store.read() as con:
        dataset = resolve_dataset(con, filters.dataset)
    out = {"dataset": dataset}
    if mark:
        theme, verdict, sentence = mark
        out["marked"] = add_mark(store, dataset, theme, sentence, verdict)
    out["themes"] = [{**r, **{k: options.share(r[k]) for k in ("checked", "precision")}}
                     for r in theme_precision(store, dataset)]
    out["marks"] = [{**m, "marked_at": m["marked_at"].isoformat(sep=" ", timespec="seconds")}
                    for m in theme_marks(store, dataset)]
    if not as_json:
        for r in out["themes"]:
            estimate = "–" if r["precision"] is None else f"{100 * r['precision']:.0f} %"
            print(f"{r['theme']:<24} right {r['right']:>3}  wrong {r['wrong']:>3}  missed {r['missed']:>3}  "
                  f"estimated precision {estimate}" + ("" if r["learned"] else "  (too few marks to learn from)"))
    return out


def _themes_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--by", help="also per value of this column")
    p.add_argument("--lang", choices=("nl", "en"), default="en", help="language of the theme labels")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--fit", action="store_true",
                      help="how well the themes catch what discovery finds, per starter pack, with a suggestion")
    what.add_argument("--drivers", action="store_true",
                      help="key drivers: each theme's NPS effect with the others held fixed and its relative weight")
    what.add_argument("--use-pack", choices=PACKS, metavar="PACK",
                      help=f"replace the dataset's themes by a starter pack ({', '.join(PACKS)}) and re-tag")
    what.add_argument("--marks", action="store_true",
                      help="the marks on the themes' sentences and each theme's estimated precision")
    what.add_argument("--mark", nargs=3, metavar=("THEME", "VERDICT", "SENTENCE"),
                      help="mark a sentence right, wrong or missed for a theme; the theme learns and re-tags at once")


def cmd_themes(args) -> list | dict:
    store = options.reading_store(args)
    filters = options.filters(args)
    if args.use_pack:
        with store.read() as con:
            dataset = resolve_dataset(con, filters.dataset)
        out = apply_pack(store, dataset, args.use_pack)
        if not args.json:
            print(f"{dataset}: themes of the {args.use_pack} pack ({out['themes']} themes)")
        return out
    if args.marks or args.mark:
        return _marks(store, filters, args.mark, args.json)
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


def _topics_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=30)
    p.add_argument("--min-count", type=int, default=10, help="fewest mentions in the period (default 10)")


def cmd_topics(args) -> list:
    store = options.reading_store(args)
    filters = options.latest_month_unless_dated(store, options.filters(args))
    rising = emerging(store, filters, args.limit, args.min_count)
    out = [{"term": r.term, "count": int(r.count), "share": round(float(r.share), 4), "lift": round(float(r.lift), 2)}
           for r in rising.itertuples()]
    if not args.json:
        for r, caught in zip(out, ~rising["uncaught"]):
            print(f"{r['term']:<28} {r['count']:>6}  share {100 * r['share']:5.1f} %  lift {r['lift']:6.1f}"
                  + ("" if caught else "  (no theme)"))
    return out


def _actions_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=3, help="how many themes (default 3)")
    p.add_argument("--lang", choices=("nl", "en"), default="en", help="language of the theme labels")


def cmd_actions(args) -> list:
    store = options.reading_store(args)
    filters = options.latest_month_unless_dated(store, options.filters(args))
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


def _discover_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=15, help="most mentioned topics to list (default 15)")


def cmd_discover(args) -> list:
    topics = discover(options.reading_store(args), options.filters(args), options.positive(args.limit))
    # "phrase" names the topic in the comments' words; a generic topic is general praise or complaint
    out = [{"label": tp["label"], "phrase": title(tp, "en"), "kind": tp["kind"],
            "phrases": tp["phrases"], "terms": tp["terms"], "n": tp["n"], "share": round(float(tp["share"]), 4),
            "nps": round1(tp["nps"]), "impact": round1(tp["impact"]), "sentiment": round(float(tp["sentiment"]), 3),
            "examples": tp["examples"],
            "trend": [{"period": m["period"], "n": m["n"], "nps": round1(m["nps"])} for m in tp["trend"]]}
           for tp in topics]
    if not args.json:
        for tp in out:
            print(f"{tp['phrase']:<40} n {tp['n']:>6}  share {100 * tp['share']:5.1f} %  NPS {tp['nps']:+6.1f}  "
                  f"impact {tp['impact']:+5.1f}  sentiment {tp['sentiment']:+.2f}")
            print(f"    {' · '.join(tp['terms'])}")
            for example in tp["examples"]:
                print(f"    {example}")
    return out


def _search_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=20, help="how many comments (default 20)")


def cmd_search(args) -> list:
    hits = search(options.reading_store(args), options.filters(args), args.text, options.positive(args.limit))
    out = [{"response_id": r.response_id, "score": int(r.score), "comment": r.comment,
            "similarity": round(float(r.similarity), 4)} for r in hits.itertuples()]
    if not args.json:
        for r in out:
            print(f"{r['similarity']:.3f}  [{r['score']}] {r['comment']}")
    return out


COMMANDS = (
    Command("themes", "themes with their NPS impact", _themes_arguments, cmd_themes, ("common", "reading")),
    Command("topics", "words whose share rose against the baseline", _topics_arguments, cmd_topics, ("common", "reading")),
    Command("actions", "the themes that cost the most NPS, with their trend and typical verbatims",
            _actions_arguments, cmd_actions, ("common", "reading")),
    Command("discover", "topics found in the comments, with no taxonomy", _discover_arguments, cmd_discover,
            ("common", "reading")),
    Command("search", "comments closest in meaning to a text (Dutch or English)", _search_arguments, cmd_search,
            ("common", "reading")),
)
