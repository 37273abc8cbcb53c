"""Where the data lives: connected sources, and moving the store itself."""

from __future__ import annotations

import argparse

from nps_core.cli import options
from nps_core.cli.options import Command
from nps_core.db.migrate import migrate
from nps_core.db.schema import NPS_TYPES
from nps_core.db.store import Store
from nps_core.ingest.dates import ORDERS as DATE_ORDERS
from nps_core.sources.attach import MODES
from nps_core.sources.registry import add_source, list_sources, refresh_source


def _source_arguments(p: argparse.ArgumentParser) -> None:
    common = options.parents()["common"]
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("add", parents=[common], help="connect a table or query (live or snapshot)")
    a.add_argument("name")
    a.add_argument("--url", required=True,
                   help="env:VAR, secret:NAME (.streamlit/secrets.toml), postgresql://… without password, "
                        "sqlite:PATH, duckdb:PATH or parquet:PATH")
    what = a.add_mutually_exclusive_group()
    what.add_argument("--table", help="TABLE or SCHEMA.TABLE")
    what.add_argument("--query", help="one SELECT, run by PostgreSQL as written")
    a.add_argument("--map", dest="mapping", type=options.pair, action="append", default=[], metavar="FIELD=COLUMN")
    a.add_argument("--nps-type", choices=NPS_TYPES, help="programme type of rows without one")
    a.add_argument("--mode", choices=MODES, default="snapshot",
                   help="live: read the source on every query; snapshot (default): copy it, refresh adds new rows")
    a.add_argument("--cursor", metavar="COLUMN", help="snapshot: an increasing id or timestamp column")
    a.add_argument("--date-order", choices=DATE_ORDERS, default="auto")
    a = actions.add_parser("refresh", parents=[common], help="copy new rows (snapshot) or re-check (live)")
    a.add_argument("name")
    actions.add_parser("list", parents=[common], help="the connected sources and their last refresh")


def cmd_source(args):
    store = Store(args.db)
    if args.action == "list":
        rows = list_sources(store)
        if not args.json:
            for r in rows:
                print(f"{r['name']:<24} {r['mode']:<9} {r['kind']:<9} {r['connection']}  {r['reads']}  "
                      f"last refresh {r['refreshed_at'] or '-'}")
        return {"sources": rows}
    if args.action == "add":
        result = add_source(store, args.name, args.url, table=args.table, query=args.query,
                            mapping=dict(args.mapping), nps_type=args.nps_type, mode=args.mode,
                            cursor=args.cursor, date_order=args.date_order)
    else:
        result = refresh_source(store, args.name)
    out = result.contract()
    if not args.json:
        options.print_counts(args.name, out)
    return out


def _store_arguments(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("migrate", parents=[options.parents()["common"]],
                           help="copy everything into another, empty store (a DuckLake or a file) and check it")
    a.add_argument("--to", dest="target", required=True, metavar="STORE",
                   help="ducklake:postgres:… data_path=… or a DuckDB file")
    a.add_argument("--from", dest="source", metavar="STORE", help="default: --db, NPS_STORE or NPS_DB")


def cmd_store(args) -> dict:
    out = migrate(Store(args.source or args.db), Store(args.target))
    if not args.json:
        print(f"copied {out['rows'].get('responses', 0)} responses to {out['to']}; every dataset checked:")
        for name, d in out["datasets"].items():
            print(f"  {name:<24} n = {d['responses']:<9} NPS {d['nps']:+.1f}")
    return out


COMMANDS = (
    Command("source", "connected databases: add, refresh, list", _source_arguments, cmd_source, ()),
    Command("store", "the store itself: move it to another", _store_arguments, cmd_store, ()),
)
