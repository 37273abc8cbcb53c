"""What the sub-commands share: the Command record each declares beside its
handler, the options every command or every read takes, and small helpers."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from typing import Callable

from nps_core import DEFAULT_DB
from nps_core.analysis.aggregates import data_range
from nps_core.analysis.filters import Filters
from nps_core.analysis.periods import month_range
from nps_core.db.schema import NPS_TYPES
from nps_core.db.store import Store
from nps_core.jobs.demo import ensure_demo


@dataclass(frozen=True)
class Command:
    """A sub-command: its name and help, the options it adds (`arguments(p)`),
    its handler (`run(args)` returns what --json prints), and the shared
    options it takes (see parents())."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], object]
    parents: tuple[str, ...] = ("common",)


def parents() -> dict[str, argparse.ArgumentParser]:
    """The shared options by name: `common` (every command), `reading` (commands that read figures)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help=f"DuckDB file or ducklake:… store (default: env NPS_STORE, NPS_DB, {DEFAULT_DB})")
    common.add_argument("--json", action="store_true", help="print one JSON object")

    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("--dataset", help="dataset name (default: the configured default, else the first created)")
    reading.add_argument("--from", dest="date_from", type=date, metavar="DATE")
    reading.add_argument("--to", dest="date_to", type=date, metavar="DATE")
    reading.add_argument("--nps-type", dest="nps_types", action="append", choices=NPS_TYPES,
                         help="only this programme type (repeatable)")
    reading.add_argument("--source", help="a connected source (its dataset has the same name)")
    return {"common": common, "reading": reading}


def scheduled(p: argparse.ArgumentParser) -> None:
    """The options of a sub-command that sends scheduled messages: --send or --dry-run."""
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--send", action="store_true", help="queue what is due and send it (and retry earlier failures)")
    mode.add_argument("--dry-run", action="store_true", help="list what --send would send; record nothing")
    p.add_argument("--now", type=date_time, metavar="ISO", help="the moment to decide what is due (default: now)")
    p.add_argument("--wait", type=float, default=60.0, help="seconds a run may wait to retry a failure (default 60)")


def date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def date_time(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM): {text!r}") from None


def pair(text: str) -> tuple[str, str]:
    field, sep, column = text.partition("=")
    if not sep or not field:  # FIELD= (empty column) leaves the field unmapped
        raise argparse.ArgumentTypeError(f"expected FIELD=COLUMN, got {text!r}")
    return field.strip(), column.strip()


def filters(args) -> Filters:
    return Filters(
        dataset=args.dataset or args.source,
        date_from=args.date_from,
        date_to=args.date_to,
        nps_types=tuple(args.nps_types or ()),
    )


def reading_store(args) -> Store:
    store = Store(args.db)
    ensure_demo(store)  # same first start (or upgrade) as the dashboard
    return store


def latest_month_unless_dated(store: Store, filters: Filters) -> Filters:
    """The filters, over the latest month with data when no --from/--to was given."""
    if filters.date_from is None or filters.date_to is None:
        filters = filters.with_dates(*month_range(data_range(store, filters.dataset)[1]))
    return filters


def positive(limit: int) -> int:
    if limit < 1:
        raise ValueError(f"--limit must be at least 1, got {limit}")
    return limit


def share(value) -> float | None:
    return None if value is None else round(float(value), 4)


def print_counts(name: str, out: dict) -> None:
    reasons = "".join(f"\n  {k}: {v}" for k, v in out["reasons"].items())
    print(f"{name}: read {out['read']}, imported {out['imported']}, duplicates {out['duplicates']}, "
          f"rejected {out['rejected']}{reasons}")


def warn_unconfigured(out: dict) -> None:
    for channel, n in out.get("unconfigured", {}).items():
        print(f"warning: {n} alert(s) for {channel} not sent: that channel is not configured", file=sys.stderr)


