"""Dataset names become file names here and nowhere else.

A dataset name is free text (bound as a parameter wherever it reaches SQL),
so it may hold '/', '..', a drive letter or accents. Every file named after
one — rejects files, downloads — takes its stem from file_stem(), which keeps
only ASCII letters, digits, '_' and '-': no separator, no dot, so the file
cannot leave its folder and needs no folder of its own.
"""

from __future__ import annotations

import re
import unicodedata

MAX_STEM = 80  # with a suffix such as "-import123-rejects.csv", far below the 255 bytes of a file name


def file_stem(name: str, fallback: str = "dataset") -> str:
    """`name` as a safe file-name stem ("Klant/Tevredenheid café" → "Klant-Tevredenheid-cafe")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9A-Za-z_-]+", "-", ascii_name)[:MAX_STEM].strip("-") or fallback


def download_stem(*parts) -> str:
    """The stem of a download named after its parts ("verbatims", dataset, from, to)."""
    return file_stem("-".join(str(p) for p in parts), str(parts[0]))
