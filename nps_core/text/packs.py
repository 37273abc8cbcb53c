"""Starter theme packs: a taxonomy to begin with for a dataset's business.

"retail" is the default taxonomy (data/themes.json); the others live in
data/theme_packs/<pack>.json as {"themes": [...]} (names in base/texts/), where a
theme is a full theme (taxonomy.py) or the key of a theme shared by several
packs (data/theme_packs/_shared.json: customer service, staff, app and
website, communication); "empty" starts with no themes, for a dataset whose
themes come from discovery. Choosing a pack stores it as the dataset's
taxonomy and re-tags its comments (taxonomy.save); retail goes back to the
default.
"""

from __future__ import annotations

import json
from functools import cache

from nps_core import DATA_DIR
from nps_core.db.errors import StoreError
from nps_core.db.store import Store
from nps_core.text import taxonomy

PACK_DIR = DATA_DIR / "theme_packs"
DEFAULT = "retail"
EMPTY = "empty"
PACKS = (DEFAULT, "telecom", "travel", "banking", "utilities", "public", EMPTY)


def check(pack: str) -> str:
    """The pack name, or StoreError naming the packs there are."""
    if pack not in PACKS:
        raise StoreError(f"unknown theme pack {pack!r}: choose one of {', '.join(PACKS)}")
    return pack


@cache
def _file(name: str) -> dict:
    return json.loads((PACK_DIR / f"{name}.json").read_text(encoding="utf-8"))


def themes(pack: str) -> list[dict]:
    """The themes of a pack, shared ones filled in."""
    if check(pack) == DEFAULT:
        return taxonomy.default()["themes"]
    if pack == EMPTY:
        return []
    shared = {th["key"]: th for th in _file("_shared")["themes"]}
    return [shared[th] if isinstance(th, str) else th for th in _file(pack)["themes"]]


def apply(store: Store, dataset: str, pack: str) -> dict:
    """Make a pack the dataset's taxonomy and re-tag its comments."""
    if check(pack) == DEFAULT:
        taxonomy.reset(store, dataset)
        return {"dataset": dataset, "pack": pack, "themes": len(themes(pack))}
    return {**taxonomy.save(store, dataset, themes(pack)), "pack": pack}


def in_use(tax: dict) -> str | None:
    """The pack a taxonomy (taxonomy.for_dataset) is, unedited; None once
    its themes differ from every pack's."""
    if not tax.get("custom"):
        return DEFAULT
    rules = [(th["key"], th["pattern"]) for th in tax["themes"]]
    return next((p for p in PACKS if p != DEFAULT and [(th["key"], th["pattern"]) for th in themes(p)] == rules), None)
