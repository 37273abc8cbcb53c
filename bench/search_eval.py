"""Search by meaning (issue 28): precision@10 before and after the stance
reranking, per half of the judged query set and language, the negation check,
and the search's latency on 100,000 comments.

    NPS_CORPUS_DIR=/path/to/exports python bench/search_eval.py [--no-latency] [--out FILE]

The query set and its judgments: tests/corpus/queries/ (README there); the
measure: tests/support/search_eval.py. Prints a table, then one JSON object (also to
--out). Matched sentences nobody judged are listed (they count as not
relevant) so they can be judged and added as round 2. Latency: bench/bench.py's
100,000 distinct generated comments (its enrichment phase), five Dutch and
English queries twice each, after one untimed call; the median and maximum of
search() as the Verbatims page calls it (25 hits) and of its first step alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "support"))  # before bench/: its search_eval is the measure, this file the table
import corpus_files  # noqa: E402
import search_eval  # noqa: E402

LATENCY_QUERIES = ("lang wachten aan de telefoon", "the parcel did not arrive", "geen reactie op mijn mail",
                   "friendly staff", "niet op tijd geleverd")
HITS = 25  # the Verbatims page's meaning search


def precision(workdir: Path) -> dict:
    store = search_eval.build(workdir)
    return search_eval.evaluate(store)


def latency(workdir: Path) -> dict:
    import bench
    from nps_core.analysis.filters import Filters
    from nps_core.analysis.search import nearest, search
    from nps_core.db.store import Store

    bench.phase_enrich(types.SimpleNamespace(db=str(workdir / "bench.duckdb")))
    store, filters = Store(workdir / "enrich.duckdb"), Filters(dataset="enrich")
    search(store, filters, LATENCY_QUERIES[0], HITS)
    out = {"comments": bench.ENRICH_N}
    for name, call in (("search", lambda q: search(store, filters, q, HITS)),
                       ("nearest", lambda q: nearest(store, filters, q))):
        times = []
        for q in LATENCY_QUERIES * 2:
            t0 = time.perf_counter()
            call(q)
            times.append(time.perf_counter() - t0)
        out[f"{name}_median_s"], out[f"{name}_max_s"] = round(statistics.median(times), 3), round(max(times), 3)
    return out


def table(result: dict) -> str:
    lines = ["half      lang  precision@10 before  after   opposite in top 5 (negated queries) before  after"]
    for (half, lang), was in result["before"]["summary"].items():
        now = result["after"]["summary"][(half, lang)]
        lines.append(f"{half:9} {lang:4}  {was['p10']:19.3f}  {now['p10']:5.3f}   "
                     f"{was['opposite5']:3d} in {was['negated_with_opposite']:2d} of {was['negated']:2d} queries"
                     f"{'':14}{now['opposite5']:3d} in {now['negated_with_opposite']:2d} of {now['negated']:2d}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-latency", action="store_true", help="skip the 100,000-comment latency run")
    parser.add_argument("--out", help="also write the JSON here")
    args = parser.parse_args(argv)
    gone = search_eval.missing_exports()
    if gone:
        print(corpus_files.reason(gone), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        result = precision(Path(tmp) / "corpus")
        print(table(result))
        for name in ("before", "after"):
            for pair, sentence in result[name]["unjudged"]:
                print(f"unjudged ({name}), pair {pair}: {sentence}")
        figures = {name: {f"{half} {lang}": {k: round(v, 3) if isinstance(v, float) else v for k, v in s.items()}
                          for (half, lang), s in result[name]["summary"].items()} for name in ("before", "after")}
        figures["per_query"] = {r["id"]: {"before": b["p10"], "after": r["p10"],
                                          "opposite5_before": b["opposite5"], "opposite5_after": r["opposite5"]}
                                for b, r in zip(result["before"]["queries"], result["after"]["queries"])}
        if not args.no_latency:
            (Path(tmp) / "latency").mkdir()  # bench.phase_enrich writes enrich.duckdb beside its --db
            figures["latency"] = latency(Path(tmp) / "latency")
    text = json.dumps(figures, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
