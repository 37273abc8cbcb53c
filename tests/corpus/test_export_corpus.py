"""Real public survey and review exports, never seen by the guesser's author
while writing it: the mapping is guessed with no --map, then every file is
imported and its counts and NPS compared with tests/corpus/expected.json.

The files are fetched text, not in this repository (most carry no licence):
tools/corpus.py builds them from the sources tests/corpus/manifest.json names
into ../shared/corpus beside the clone (env NPS_CORPUS_DIR: its exports/).
expected.json is ours: the mapping written by reading each file and an
independent csv/openpyxl count of it (tests/corpus/count_exports.py), with
per file `user_picks` (fields the guess should leave to the user, offering
the named column) and `read_differently` (a guess that differs from the
reading and is right from the file alone), each explained in its `note`.
"""

import json

import pytest
from corpus_files import OURS, path, require

from nps_core.analysis import aggregates as agg
from nps_core.analysis.filters import Filters
from nps_core.ingest.importer import import_file, inspect

EXPECTED = json.loads((OURS / "expected.json").read_text(encoding="utf-8"))


def guessed_as_expected(case, mapping) -> bool:
    want = {**case["mapping"], **case["read_differently"]}
    want = {f: c for f, c in want.items() if c is not None and f not in case["user_picks"]}
    return mapping == want


@pytest.mark.slow  # enriching up to 1,900 long reviews per file
@pytest.mark.parametrize("case", EXPECTED, ids=[c["file"] for c in EXPECTED])
def test_guess_counts_and_nps(case, store):
    require(case["file"])
    file = path(case["file"])
    info, _ = inspect(file)
    assert guessed_as_expected(case, info.mapping), info.mapping
    for fieldname, column in case["user_picks"].items():
        assert fieldname not in info.mapping and column in info.guess.undecided[fieldname]
    # every guessed role says why
    assert all(info.guess.evidence.get(f) for f in info.mapping)

    res = import_file(store, file, dataset="corpus", nps_type=case["nps_type_for_upload"],
                      mapping=case["user_picks"] or None)
    assert (res.read, res.imported, res.duplicates, res.rejected) == (
        case["read"], case["imported"], case["duplicates"], case["rejected"])
    assert res.reasons == case["reasons"]
    stats = agg.summary(store, Filters(dataset="corpus"))
    if case["nps"] is None:
        assert stats.n == 0
    else:
        # expected.json rounds the exact NPS (14.55 → 14.6): compare within the rounding
        assert stats.nps == pytest.approx(case["nps"], abs=0.05 + 1e-9)

