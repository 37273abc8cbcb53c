"""Data in and out: import a file, remembered mappings, analyse, datasets and their settings, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nps_core.analysis.export import FORMATS, export
from nps_core.base.i18n import LANGUAGES, t
from nps_core.cli import options
from nps_core.cli.options import Command
from nps_core.db.catalog import default_dataset, resolve_dataset
from nps_core.db.datasets import currency, delete_dataset, list_datasets, set_currency, set_default
from nps_core.db.schema import NPS_TYPES
from nps_core.db.store import Store
from nps_core.ingest.dates import ORDERS as DATE_ORDERS
from nps_core.ingest.importer import analysed, explain, import_file, pack_why
from nps_core.ingest.remember import forget, list_remembered
from nps_core.text.enrich import enrich, retag
from nps_core.text.packs import PACKS


def _import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file")
    p.add_argument("--map", dest="mapping", type=options.pair, action="append", default=[],
                   metavar="FIELD=COLUMN", help="use COLUMN of the file for FIELD")
    p.add_argument("--nps-type", choices=NPS_TYPES, help="programme type of the whole file")
    p.add_argument("--dataset", help="dataset to import into (default: named after the file)")
    p.add_argument("--date-order", choices=DATE_ORDERS, default="auto",
                   help="day/month order of ambiguous dates (default: decided from the whole column)")
    p.add_argument("--explain", action="store_true",
                   help="print the mapping that would be used, with the evidence for each column; store nothing")
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the --explain evidence")
    p.add_argument("--theme-pack", choices=PACKS,
                   help="starter themes of a dataset this import creates (default: the pack its comments fit, "
                        "or none when none fits; an existing dataset keeps its themes)")


def cmd_import(args) -> dict:
    if args.explain:
        out = explain(args.file, Store(args.db), args.dataset, dict(args.mapping), args.date_order, args.lang)
        if not args.json:
            for fieldname, column in out["mapping"].items():
                print(f"{fieldname:<13} {column}  ({'; '.join(out['evidence'][fieldname])})")
            for u in out["undecided"].values():
                print(f"?             {u['text']}")
            if out["nps_category"]:
                print(out["nps_category"]["text"])
        return out
    store = Store(args.db)
    result = import_file(
        store, args.file, dataset=args.dataset, mapping=dict(args.mapping), nps_type=args.nps_type,
        date_order=args.date_order, theme_pack=args.theme_pack, analyse=False,
    )
    _analyse_stored(store, result, say=not args.json)
    out = result.contract()
    warnings = [t(f"warn_{code}", "en", file=Path(args.file).name) for code in result.warnings]
    if warnings:
        out["warnings"] = warnings  # an extra key: the contract's keys stay as they are
    if not args.json:
        reasons = "".join(f"\n  {k}: {v}" for k, v in out["reasons"].items())
        print(
            f"{result.dataset}: read {out['read']}, imported {out['imported']}, "
            f"duplicates {out['duplicates']}, rejected {out['rejected']}{reasons}"
            + (f"\nrejected rows: {out['rejects_file']}" if out["rejects_file"] else "")
        )
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.theme_pack:  # which starter themes the dataset got, and why (text/pack_fit.py)
        out["theme_pack"]["why"] = pack_why(result.theme_pack, "en")
        if not args.json:
            print(f"themes: {out['theme_pack']['why']}")
    return out


def _analyse_stored(store: Store, result, say: bool) -> None:
    """Say what is stored (to a person: with --json a script hears nothing on
    stderr from a command that succeeds), then analyse its comments: a command
    stopped while analysing has stored its rows all the same (the next import,
    `enrich` or the dashboard analyses what is left)."""
    if say and result.imported:
        print(t("stored_analysing", "en", n=f"{result.imported:,}", dataset=result.dataset), file=sys.stderr,
              flush=True)
    analysed(store, lambda fraction, stage: None)


def _mappings_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--delete", type=int, metavar="ID", help="forget this remembered mapping")


def cmd_mappings(args) -> dict:
    store = Store(args.db)
    if args.delete is not None:
        forget(store, args.delete)
    rows = list_remembered(store)
    if not args.json:
        for r in rows:
            pairs = ", ".join(f"{f}={c}" for f, c in r["mapping"].items())
            print(f"{r['id']:>4}  {r['dataset']:<24} {r['saved_at']}  {pairs}")
    return {"mappings": rows}


def _datasets_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--delete", metavar="NAME", help="delete this dataset and everything imported into it")
    p.add_argument("--set-default", metavar="NAME",
                   help="the dataset shown when none is named (env NPS_DEFAULT_DATASET overrides it)")


def cmd_datasets(args) -> dict:
    store = options.reading_store(args)
    if args.delete:
        delete_dataset(store, args.delete)
    if args.set_default:
        set_default(store, args.set_default)
    rows = list_datasets(store)
    with store.read() as con:
        default = default_dataset(con)
    if not args.json:
        for r in rows:
            mark = "*" if r["name"] == default else " "
            print(f"{mark} {r['name']:<30} {r['responses']:>9} responses  {r['first'] or ''} – {r['last'] or ''}")
    return {"datasets": rows, "default": default}


def _settings_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dataset", help="one dataset's setting (default: the whole database's)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--currency", metavar="CODE",
                      help="ISO 4217 code (EUR, GBP, USD …) of money on Customer value and in the report")
    what.add_argument("--reset-currency", action="store_true",
                      help="with --dataset: follow the whole database's currency again")


def cmd_settings(args) -> dict:
    """Show, or with an option change, the currency of the database or of one dataset."""
    store = options.reading_store(args)
    if args.reset_currency and not args.dataset:
        raise ValueError("--reset-currency needs --dataset (the database's currency is reset with --currency EUR)")
    if args.currency or args.reset_currency:
        set_currency(store, None if args.reset_currency else args.currency, args.dataset)
    with store.read() as con:
        dataset = resolve_dataset(con, args.dataset) if args.dataset else None
    out = {"dataset": dataset, "currency": currency(store, dataset), "database_currency": currency(store)}
    if not args.json:
        print(f"currency {out['currency']}" + (f" (dataset {dataset}; the database's: {out['database_currency']})"
                                               if dataset else ""))
    return out


def cmd_enrich(args) -> dict:
    store = options.reading_store(args)
    out = enrich(store)
    out["retagged"] = retag(store)  # rules may have changed without a version bump
    if not args.json:
        print(f"enriched {out['enriched']} new comments, re-tagged {out['retagged']} in {out['seconds']} s")
    return out


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True)


def cmd_export(args) -> dict:
    store = options.reading_store(args)
    rows = export(store, options.filters(args), args.format, args.out)
    out = {"rows": rows, "out": args.out, "format": args.format}
    if not args.json:
        print(f"wrote {rows} responses to {args.out}")
    return out


COMMANDS = (
    Command("import", "import a CSV file into a dataset", _import_arguments, cmd_import),
    Command("mappings", "column mappings remembered for files with the same headers; --delete one",
            _mappings_arguments, cmd_mappings),
    Command("enrich", "add language, sentiment and themes to new comments; re-tag all after a taxonomy change",
            lambda p: None, cmd_enrich),
    Command("datasets", "list datasets, delete one, or choose the default", _datasets_arguments, cmd_datasets),
    Command("settings", "the currency of money figures, for the database or one dataset", _settings_arguments,
            cmd_settings),
    Command("export", "export canonical records", _export_arguments, cmd_export, ("common", "reading")),
)
