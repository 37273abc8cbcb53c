"""Themes that learn from the manager (issue 27 item 4), scored on the
labelled corpus; used by tests/corpus/test_theme_marks_corpus.py and printed by
`NPS_CORPUS_DIR=… python tests/support/theme_marks_eval.py [sector ...]`.

Per sector (tests/support/discovery_eval.py's SECTORS and labels):

1. The starting themes are what a manager gets by adopting discovered
   topics: for each labelled topic, the discovered topic holding most of its
   TUNING-half sentences, made a theme by its examples (as the Themes page's
   "make theme" does).
2. The manager marks MARKS sentences per theme, simulated from the tuning
   half's labels: first the labelled sentences the theme catches (right when
   labelled with it, wrong otherwise; at most CAUGHT of them), then labelled
   sentences of the theme it missed, until MARKS (fewer when the half has
   fewer); each theme's order seeded, so the run repeats.
3. The themes learn (text/learned.py through text/marks.add_marks), and every
   HELD-OUT labelled sentence is tagged as the engine tags it
   (taxonomy.themes_of): precision and recall over (sentence, labelled
   topic) pairs, as tests/discovery_eval.precision_recall counts them.
   "before" is the same with no marks (the adopted themes alone).

The goal: held-out precision >= 0.80 at recall >= 0.60 in at least two of
the three sectors.
"""

import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

import discovery_eval as de  # noqa: E402

from nps_core.analysis.discovery import MAX_TOPICS, discover  # noqa: E402
from nps_core.analysis.filters import Filters  # noqa: E402
from nps_core.text import marks, taxonomy, vectors  # noqa: E402

MARKS, CAUGHT = 20, 12
SEED = 27
GOAL_PRECISION, GOAL_RECALL, GOAL_SECTORS = 0.80, 0.60, 2


def _tag(store, dataset: str, themes: list[dict], sentences: list[str]) -> list:
    with store.read() as con:
        x = vectors.embed_on(con, sentences)
        return taxonomy.themes_of(con, themes, sentences, x, dataset=dataset)[0]


def simulate(truth: list[str], sentences: list[str], tagged: list, theme: str, rng: random.Random) -> list:
    """MARKS marks for one theme from a half's labels: (theme, sentence, verdict)."""
    caught = [i for i, t in enumerate(tagged) if t == theme]
    missed = [i for i, (t, p) in enumerate(zip(truth, tagged)) if t == theme and p != theme]
    rng.shuffle(caught)
    rng.shuffle(missed)
    out = [(theme, sentences[i], "right" if truth[i] == theme else "wrong") for i in caught[:CAUGHT]]
    out += [(theme, sentences[i], "missed") for i in missed[:MARKS - len(out)]]
    out += [(theme, sentences[i], "right" if truth[i] == theme else "wrong")
            for i in caught[CAUGHT:CAUGHT + MARKS - len(out)]]
    return out


def evaluate(sector: str, workdir: Path) -> dict:
    store = de.prepare(sector, workdir)
    dataset = sector
    labelled, comments = de.labelled_sentences(sector)
    topics = discover(store, Filters(dataset=sector), limit=MAX_TOPICS, members=True)
    topic_of = {k: i for i, tp in enumerate(topics) for k in tp["sentence_keys"]}
    found = de.topic_of_labelled(labelled, comments, topic_of)
    halves = de.halves(labelled, found)
    sentences = {name: [r["sentence"] for r in labelled if int(r["review"]) % 2 == parity]
                 for name, parity in de.SPLITS.items()}
    truth, found_tuning = halves["tuning"]
    adopted = de.coverage(truth, found_tuning)["adopted"]
    themes = taxonomy.validate([{"key": label, "examples": topics[d]["examples"]} for label, d in adopted.items()])
    wanted = sorted(adopted)
    with store.write() as con:  # a rerun on a kept store starts from no marks
        con.execute("DELETE FROM theme_marks WHERE dataset = ?", [dataset])
    taxonomy.save(store, dataset, themes)
    out = {"themes": len(themes)}
    held_truth = halves["held-out"][0]
    out["before"] = de.precision_recall(held_truth, _tag(store, dataset, themes, sentences["held-out"]), wanted)
    tagged = _tag(store, dataset, themes, sentences["tuning"])
    rng = random.Random(SEED)
    marked = [m for th in wanted for m in simulate(truth, sentences["tuning"], tagged, th, rng)]
    marks.add_marks(store, dataset, marked, who="theme_marks_eval")
    out["marks"] = len(marked)
    for name in de.SPLITS:
        out[name] = de.precision_recall(halves[name][0], _tag(store, dataset, themes, sentences[name]), wanted)
    out["estimated"] = {r["theme"]: r["precision"] for r in marks.theme_precision(store, dataset)}
    return out


def meets_goal(results: dict) -> bool:
    return sum((r["held-out"]["precision"] or 0) >= GOAL_PRECISION and (r["held-out"]["recall"] or 0) >= GOAL_RECALL
               for r in results.values()) >= GOAL_SECTORS


def table(results: dict) -> str:
    def fmt(v):
        return "-" if v is None else f"{v:.2f}"

    lines = ["| sector | themes | marks | held-out before: precision / recall | tuning (marked) | held-out after |",
             "|---|---|---|---|---|---|"]
    for sector, r in results.items():
        lines.append(f"| {sector} | {r['themes']} | {r['marks']} | {fmt(r['before']['precision'])} / "
                     f"{fmt(r['before']['recall'])} | {fmt(r['tuning']['precision'])} / {fmt(r['tuning']['recall'])} | "
                     f"{fmt(r['held-out']['precision'])} / {fmt(r['held-out']['recall'])} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description="themes that learn from marks, scored on the labelled corpus")
    args = de.parse_sectors(parser)
    with tempfile.TemporaryDirectory() as tmp:
        results = {s: evaluate(s, Path(args.workdir or tmp)) for s in args.sectors}
    print(table(results))
    print("goal (precision >= 0.80 at recall >= 0.60 in 2 of 3 sectors):", "met" if meets_goal(results) else "NOT met")
