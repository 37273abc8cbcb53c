"""`python -m nps_core`: the command-line contract (docs/cli.md; docs/ARCHITECTURE.md).

Every sub-command takes --db (default data/nps.duckdb, env NPS_STORE or NPS_DB;
a ducklake:… spec is the shared store); with --json it prints exactly one JSON
object on stdout. Bad input exits non-zero with a one-line reason on stderr.

Each sub-command is declared beside its handler (options.Command: name, help,
its options, its handler); COMMANDS lists them, in the order --help shows them.
"""

from __future__ import annotations

import argparse
import json
import sys

import duckdb

from nps_core.cli import comments, figures, imports, messages, stores
from nps_core.cli.options import parents
from nps_core.db.errors import StoreBusy, StoreError

EXIT_BAD_INPUT = 2
EXIT_BUSY = 3
COMMANDS = (*imports.COMMANDS, *comments.COMMANDS, *figures.COMMANDS, *messages.COMMANDS, *stores.COMMANDS)


def build_parser() -> argparse.ArgumentParser:
    shared = parents()
    parser = argparse.ArgumentParser(prog="python -m nps_core", description="NPS analytics engine")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.arguments(sub.add_parser(command.name, parents=[shared[p] for p in command.parents],
                                         help=command.help))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run = next(c.run for c in COMMANDS if c.name == args.command)
    try:
        out = run(args)
    except BrokenPipeError:
        raise  # the reader of our output went away: no error of the input (nps_core/__main__.py)
    except StoreBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except (StoreError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except duckdb.Error as exc:
        print(f"error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    return 0
