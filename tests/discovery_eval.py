"""Topic discovery scored against sentences labelled by reading, on a real
export of another sector (airline reviews); used by
tests/test_discovery_corpus.py and printed by `python tests/discovery_eval.py`.

The export and the labels are fetched text, kept beside the repository, not
in it: the folder named by env NPS_CORPUS_DIR (default ../shared/corpus/exports
next to the clone) holds the export, its sibling `labels/` the labels
(178 sentences of the first 14 reviews, labelled before discovery ever ran on
the file: held out, nothing tuned on it).

Measures, over the labelled sentences: a labelled topic (other than `other`,
with at least 3 % of the sentences) is covered when one discovered topic has
it as its majority label with purity >= 0.7 among at least 3 labelled
sentences; `coverage` is the share of labelled topics covered, `purity` the
mean majority share of the discovered topics holding labelled sentences.
"""

import csv
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nps_core.analysis.discovery import MAX_TOPICS, discover  # noqa: E402
from nps_core.analysis.filters import Filters  # noqa: E402
from nps_core.db.store import Store  # noqa: E402
from nps_core.ingest.importer import import_file  # noqa: E402
from nps_core.text.vectors import key  # noqa: E402

CORPUS = Path(os.environ.get("NPS_CORPUS_DIR", ROOT.parent / "shared" / "corpus" / "exports"))
EXPORT = CORPUS / "ba_skytrax_reviews_2023.csv"
LABELS = CORPUS.parent / "labels" / "ba_skytrax_2023_sentences.csv"
MAPPING = {"score": "rating", "responded_at": "date", "comment": "content", "product": "seat_type",
           "region": "place"}
MIN_SHARE, MIN_PURITY, MIN_LABELLED = 0.03, 0.7, 3


def available() -> bool:
    return EXPORT.exists() and LABELS.exists()


def evaluate(workdir: Path) -> dict:
    store = Store(workdir / "airline.duckdb")
    import_file(store, EXPORT, dataset="airline", mapping=MAPPING, nps_type="transaction")
    topics = discover(store, Filters(dataset="airline"), limit=MAX_TOPICS, members=True)
    topic_of = {k: tp["label"] for tp in topics for k in tp["sentence_keys"]}
    with open(LABELS, encoding="utf-8", newline="") as fh:
        labelled = [(key(r["sentence"]), r["topic"]) for r in csv.DictReader(fh)]
    counts = Counter(t for _, t in labelled)
    wanted = sorted(t for t, n in counts.items() if t != "other" and n >= MIN_SHARE * len(labelled))
    per_topic: dict[str, Counter] = {}
    for k, label in labelled:
        if k in topic_of:
            per_topic.setdefault(topic_of[k], Counter())[label] += 1
    majority = {d: (c.most_common(1)[0][0], c.most_common(1)[0][1] / sum(c.values()), sum(c.values()))
                for d, c in per_topic.items()}
    covered = {t: [d for d, (m, purity, n) in majority.items() if m == t and purity >= MIN_PURITY and n >= MIN_LABELLED]
               for t in wanted}
    # per labelled topic: the discovered topic holding most of its sentences, that share, its purity
    best = {}
    for t in wanted:
        holder = max(per_topic, key=lambda d: per_topic[d][t])
        best[t] = {"topic": holder, "share_of_label": round(per_topic[holder][t] / counts[t], 2),
                   "purity": round(majority[holder][1] if majority[holder][0] == t else
                                   per_topic[holder][t] / sum(per_topic[holder].values()), 2)}
    return {"sentences": len(labelled), "in_topics": sum(k in topic_of for k, _ in labelled),
            "topics_found": len(topics), "labelled_topics": wanted,
            "covered": {t: d for t, d in covered.items() if d},
            "coverage": sum(bool(d) for d in covered.values()) / len(wanted),
            "purity": sum(p for _, p, _ in majority.values()) / len(majority),
            "best": best, "labels": [tp["label"] for tp in topics]}


if __name__ == "__main__":
    import json
    if not available():
        sys.exit(f"real-export corpus not installed: {EXPORT} / {LABELS}")
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(evaluate(Path(tmp)), indent=2, ensure_ascii=False))
