"""Where the real-data corpus lives, and the one message every corpus test,
the sentiment bench and the training tool give when a file is missing.

The fetched files are not in the repository (tests/corpus/manifest.json says
where each comes from): they are built by tools/corpus.py into a folder with
exports/ and reviews/, by default ../shared/corpus beside the checkout; env
NPS_CORPUS_DIR names its exports/ folder. What we wrote ourselves (labels,
expected counts) is in tests/corpus/.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "tests" / "corpus"
LABELS = OURS / "labels"
BUILD = "python tools/corpus.py build --mirrors DIR --out ../shared/corpus"


def exports_dir() -> Path:
    return Path(os.environ.get("NPS_CORPUS_DIR") or ROOT.parent / "shared" / "corpus" / "exports")


CORPUS = exports_dir()


def path(name: str) -> Path:
    """A corpus file by its manifest name: "exports/x.csv", "reviews/y.csv" or a bare export name."""
    folder, _, file = name.rpartition("/")
    base = exports_dir()
    return base / file if folder in ("", "exports") else base.parent / folder / file


def missing(*names: str) -> list[str]:
    return [n for n in names if not path(n).exists()]


def reason(names: list[str]) -> str:
    """Why a corpus test cannot run: the files missing, where they were looked
    for, and the command that builds them."""
    return (f"real-data corpus file(s) missing: {', '.join(names)} (looked in {exports_dir().parent}); build them with "
            f"`{BUILD}` (DIR: git mirrors of the sources in tests/corpus/manifest.json) or set NPS_CORPUS_DIR "
            f"to an installed corpus's exports/")


def require(*names: str) -> None:
    """Skip the calling test (pytest) when any of the corpus files is missing."""
    gone = missing(*names)
    if gone:
        import pytest

        pytest.skip(reason(gone))
