"""The theme editor: what a theme as edited would catch and lose, the
sentences to mark right or wrong (or missed), and its estimated precision."""

from __future__ import annotations

from dataclasses import dataclass

from nps_core.db.store import Store
from nps_core.text import marks, taxonomy

SENTENCES = 8  # caught sentences to mark; as many near ones not caught


@dataclass(frozen=True)
class EditorView:
    preview: dict | None  # taxonomy.preview: caught, gained, lost and their examples; None with nothing to preview
    sentences: dict | None  # marks.preview_sentences of a saved theme: caught and near, each with its mark
    precision: dict | None  # marks.theme_precision of a saved theme with marks


def build(store: Store, dataset: str, candidate: dict, pick: str | None = None) -> EditorView:
    """`candidate`: the theme as edited; `pick`: the key of the saved theme it
    edits (None: a new theme, which has no marks yet). Raises StoreError for
    a theme that cannot be used (a broken rule)."""
    if not (candidate["examples"] or candidate["pattern"]):
        return EditorView(None, None, None)
    preview = taxonomy.preview(store, dataset, candidate, pick)
    if not pick:
        return EditorView(preview, None, None)
    sentences = marks.preview_sentences(store, dataset, candidate, pick, SENTENCES)
    precision = next((p for p in marks.theme_precision(store, dataset) if p["theme"] == pick), None)
    return EditorView(preview, sentences, precision)
