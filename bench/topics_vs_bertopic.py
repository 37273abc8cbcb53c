"""Topic discovery side by side with BERTopic on the labelled corpora (issue 27 item 3).

Not run in CI: BERTopic and its UMAP, HDBSCAN and scikit-learn are bench
dependencies only (requirements-bench.txt; install it into a virtual
environment with the project's own requirements, see bench/README.md).

Both methods read the same thing: the sentences of a sector's export
(tests/support/discovery_eval.py's SECTORS, imported once) with the sentence vectors
the store holds. BERTopic gets them as precomputed embeddings
(`embedding_model=None`, so no model is loaded), with its standard pipeline
(UMAP to 5 dimensions, HDBSCAN, class-based TF-IDF over a CountVectorizer
that leaves out the same Dutch and English function words ours does). Its
outliers (topic -1) are sentences in no topic, as in its own output.

Per method × sector × half (tuning: even reviews, held-out: odd), over the
labelled sentences (tests/corpus/labels/): strict coverage (as
tests/support/discovery_eval.py defines it), best-match F1 per labelled topic
(averaged), share of generic topics among the listed topics (the rule of
nps_core/analysis/topic_names.is_generic over each topic's top words), and
the seconds the method took on the whole export's sentences. A third row runs
BERTopic on the vectors our discovery clusters (the mean of each sentence's
subject words, discovery.subject_vectors), to tell what the vectors bring
from what the clustering and naming bring.

    NPS_CORPUS_DIR=/work/corpus/exports python bench/topics_vs_bertopic.py [sector ...] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

import discovery_eval as de  # noqa: E402

from nps_core.analysis import topic_names  # noqa: E402
from nps_core.analysis.discovery import MAX_TOPICS, discover, subject_vectors  # noqa: E402
from nps_core.analysis.filters import Filters  # noqa: E402
from nps_core.text.stopwords import ALL as STOPWORDS  # noqa: E402
from nps_core.text.vectors import matrix  # noqa: E402

SEED = 27


def sentences(store, dataset: str):
    """The distinct sentences of the dataset's comments: keys, texts, vectors (as discovery reads them)."""
    with store.read() as con:
        tbl = con.execute(
            """SELECT s.sentence_key, s.sentence, s.vec FROM sentences s WHERE s.sentence_key IN
               (SELECT c.sentence_key FROM comment_sentences c WHERE c.comment_key IN
                (SELECT DISTINCT md5(comment) FROM responses WHERE dataset = ? AND comment IS NOT NULL))
               ORDER BY s.sentence_key""", [dataset]).arrow()
    if isinstance(tbl, pa.RecordBatchReader):
        tbl = tbl.read_all()
    return tbl.column("sentence_key").to_pylist(), tbl.column("sentence").to_pylist(), matrix(tbl.column("vec"))


def ours(store, sector: str) -> tuple[dict, list[list[str]], float]:
    """Our discovery: sentence key -> topic, each topic's words, seconds."""
    started = time.perf_counter()
    topics = discover(store, Filters(dataset=sector), limit=MAX_TOPICS, members=True)
    seconds = time.perf_counter() - started
    topic_of = {k: i for i, tp in enumerate(topics) for k in tp["sentence_keys"]}
    return topic_of, [tp["terms"] for tp in topics if tp["kind"] == topic_names.TOPIC], seconds


def bertopic(store, sector: str, subjects: bool = False) -> tuple[dict, list[list[str]], float]:
    """BERTopic on the same sentences and stored vectors (with `subjects`, on the
    subject vectors our discovery clusters: discovery.subject_vectors): sentence
    key -> topic, each topic's words, seconds."""
    from bertopic import BERTopic
    from sklearn.feature_extraction.text import CountVectorizer
    from umap import UMAP

    keys, texts, x = sentences(store, sector)
    started = time.perf_counter()
    if subjects:
        with store.read() as con:
            x = subject_vectors(con, texts, x)
    model = BERTopic(embedding_model=None, language="multilingual",
                     umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                                     random_state=SEED),
                     vectorizer_model=CountVectorizer(stop_words=sorted(STOPWORDS)))
    assigned, _ = model.fit_transform(texts, embeddings=x)
    seconds = time.perf_counter() - started
    topic_of = {k: t for k, t in zip(keys, assigned) if t != -1}
    words = [[w for w, _ in model.get_topic(t)] for t in sorted(set(assigned) - {-1})]
    return topic_of, words, seconds


METHODS = {"ours": ours, "bertopic": bertopic,
           "bertopic on our subject vectors": lambda store, sector: bertopic(store, sector, subjects=True)}


def run(sectors: list[str], workdir: Path) -> list[dict]:
    rows = []
    for sector in sectors:
        store = de.prepare(sector, workdir)
        labelled, comments = de.labelled_sentences(sector)
        for method, find in METHODS.items():
            topic_of, words, seconds = find(store, sector)
            found = de.topic_of_labelled(labelled, comments, topic_of)
            generic = sum(map(topic_names.is_generic, words)) / max(len(words), 1)
            for half, (truth, found_half) in de.halves(labelled, found).items():
                figures = de.topic_figures(truth, found_half)
                rows.append({"method": method, "sector": sector, "half": half, "topics": len(words),
                             "coverage": figures["coverage"], "best_match_f1": figures["best_match_f1"],
                             "f1": figures["f1"], "generic": generic, "seconds": seconds,
                             "in_topics": sum(f is not None for f in found_half) / len(found_half)})
    return rows


def table(rows: list[dict]) -> str:
    head = "| sector | half | method | topics | coverage (strict) | best-match F1 | in a topic | generic | seconds |"
    lines = [head, "|" + "---|" * 9]
    for r in sorted(rows, key=lambda r: (r["sector"], r["half"] != "held-out", r["method"])):
        lines.append(f"| {r['sector']} | {r['half']} | {r['method']} | {r['topics']} | {r['coverage']:.2f} | "
                     f"{r['best_match_f1']:.2f} | {r['in_topics']:.2f} | {r['generic']:.2f} | {r['seconds']:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="also write the rows (with F1 per labelled topic) to this file")
    args = de.parse_sectors(parser)
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.sectors, Path(args.workdir or tmp))
    print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))
