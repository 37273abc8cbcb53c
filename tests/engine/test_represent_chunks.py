"""Sentence vectors are stored COMMENTS_PER_WRITE comments at a time (bounded memory on a
million long reviews): the result is the same as storing them all at once."""

import numpy as np
from conftest import write_csv

from nps_core.db.store import Store
from nps_core.ingest.importer import import_file
from nps_core.text import vectors

COMMENTS = [
    "The seat was narrow, but the crew was kind.",
    "Delivery was late. Nobody called me back!",
    "!!!",
    "Snelle levering, vriendelijke chauffeur.",
    "The seat was narrow, but the crew was kind.",  # the same text twice: one comment key
    "Lang in de wacht gestaan aan de telefoon; daarna goed geholpen.",
    "Great food. Great food.",
    "Te duur voor wat je krijgt",
]


def stored(store: Store) -> tuple[set, dict]:
    with store.read() as con:
        links = set(con.execute("SELECT comment_key, position, sentence_key FROM comment_sentences").fetchall())
        sentences = {(k, s): np.asarray(v) for k, s, v in
                     con.execute("SELECT sentence_key, sentence, vec FROM sentences").fetchall()}
    return links, sentences


def test_chunks_store_what_one_pass_stores(tmp_path, monkeypatch):
    rows = [{"responded_at": f"2025-12-{i + 1:02d}", "score": i % 11, "comment": c} for i, c in enumerate(COMMENTS)]
    csv = write_csv(tmp_path / "comments.csv", rows)
    whole = Store(tmp_path / "whole.duckdb")
    import_file(whole, csv, dataset="d", nps_type="transaction")

    monkeypatch.setattr(vectors, "COMMENTS_PER_WRITE", 3)
    seen = []
    monkeypatch.setattr(vectors, "_represent", lambda store, part, report, original=vectors._represent:
                        seen.append(len(part)) or original(store, part, report))
    chunked = Store(tmp_path / "chunked.duckdb")
    import_file(chunked, csv, dataset="d", nps_type="transaction")

    assert seen == [3, 3, 1]  # 7 distinct comments, 3 at a time
    (links, sentences), (want_links, want) = stored(chunked), stored(whole)
    assert links == want_links and sentences.keys() == want.keys()
    # the encoder's float32 arithmetic depends a little on which words share a batch
    assert all(np.allclose(sentences[k], want[k], atol=1e-4) for k in want)
    links, _ = stored(whole)
    assert len({k for k, _, _ in links}) == 7  # every distinct comment split ("!!!" as position -1)
