"""Build and check the real-data corpus from the manifest (tests/corpus/manifest.json).

The corpus is public survey exports and review sets fetched from other people's
repositories. Most carry no licence, so none of it is committed here: the
manifest names each file's source (repository, commit, path), its licence as
stated there, the recipe that turns the source into our file, and the SHA-256
of the result. This script rebuilds every file from fetched git mirrors and
verifies it.

    python tools/corpus.py build --mirrors DIR --out ../shared/corpus
    python tools/corpus.py check --dir ../shared/corpus

DIR holds bare repositories laid out as `owner+name/repo` (the layout of the
fetch tool: /work/.mirror/quankiquanki+skytrax-reviews-dataset/repo). A source
is read with `git show COMMIT:PATH` only. A file whose mirror or commit is
missing is skipped with the reason; a checksum mismatch fails the build (the
file is not installed). Files land in OUT/exports/ and OUT/reviews/
(NPS_CORPUS_DIR is OUT/exports).

A recipe is a list of steps, each a one-key object, applied in order:

  {"copy": {}}                      the source bytes as they are (nothing else may follow)
  {"read": {"format": "csv", "encoding": "utf-8", "errors": "strict", "delimiter": ","}}
  {"read": {"format": "zip-csv", "member": "name.csv", ...csv options}}
  {"read": {"format": "rdata", "object": "verbatim"}}   a data frame saved by R's save() (gzip, XDR)
  {"rename": {"old": "new"}}        columns renamed
  {"keep": ["a", "b"]}              only these columns, in this order
  {"nonblank": ["a", "b"]}          rows where every one of these columns holds text
  {"head": 2000}                    the first N rows
  {"sample": {"n": 2000, "seed": 26}}   N rows drawn with random.Random(seed), kept in source order
  {"clean": {"columns": [...], "strip": true, "collapse_whitespace": true}}
                                    NUL and other control characters dropped (tab and line
                                    breaks become spaces), optionally trimmed / runs of
                                    whitespace made one space
  {"write": {"format": "csv", "delimiter": ",", "encoding": "utf-8", "errors": "strict",
             "lineterminator": "\\n"}}
  {"write": {"format": "xlsx", "sheet": "Sheet1", "numbers": ["col"]}}
                                    deterministic: fixed document times, fixed zip entry times

Standard library plus openpyxl (a dependency of the project) only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import random
import re
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "tests" / "corpus" / "manifest.json"
FOLDERS = ("exports", "reviews")
BUILD_HELP = "python tools/corpus.py build --mirrors DIR --out ../shared/corpus"

csv.field_size_limit(1 << 30)


class RecipeError(Exception):
    pass


@dataclass
class Table:
    header: list[str]
    rows: list[list] = field(default_factory=list)

    def index(self, column: str) -> int:
        try:
            return self.header.index(column)
        except ValueError:
            raise RecipeError(f"no column {column!r} (columns: {self.header})") from None


# -- reading -------------------------------------------------------------------

def _read_csv(data: bytes, options: dict) -> Table:
    text = data.decode(options.get("encoding", "utf-8"), options.get("errors", "strict"))
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=options.get("delimiter", ",")))
    if not rows:
        raise RecipeError("empty csv")
    return Table(rows[0], [r for r in rows[1:] if r])


def _delimiter(data: bytes) -> str:
    first = data.split(b"\n", 1)[0]
    return ";" if first.count(b";") > first.count(b",") else ","


def _read_zip_csv(data: bytes, options: dict) -> Table:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return _read_csv(z.read(options["member"]), options)


class _RData:
    """Just enough of R's serialization format (XDR, version 2 or 3) to read a
    data frame of character, integer, logical and double columns."""

    def __init__(self, data: bytes):
        self.b, self.i, self.refs = data, 0, []

    def int(self) -> int:
        v, = struct.unpack(">i", self.b[self.i:self.i + 4])
        self.i += 4
        return v

    def item(self):
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind == 254:  # NULL
            return None
        if kind == 255:  # reference to an earlier symbol
            return self.refs[(flags >> 8) - 1]
        if kind == 1:  # symbol
            name = self.item()
            self.refs.append(name)
            return name
        if kind == 2:  # pairlist: (tag, value) pairs
            out = []
            while True:
                if has_attr:
                    self.item()
                tag = self.item() if has_tag else None
                out.append((tag, self.item()))
                flags = self.int()
                kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
                if kind == 254:
                    return out
                if kind != 2:
                    raise RecipeError(f"unexpected R object type {kind} in a pairlist")
        if kind == 9:  # one string
            n = self.int()
            if n == -1:
                return None
            s = self.b[self.i:self.i + n].decode("latin-1" if flags & (1 << 14) else "utf-8")  # LATIN1_MASK
            self.i += n
            return s
        n = self.int()
        if kind in (10, 13):  # logical, integer
            values = [None if v == -2147483648 else v for v in struct.unpack(f">{n}i", self.b[self.i:self.i + 4 * n])]
            self.i += 4 * n
        elif kind == 14:  # double
            values = list(struct.unpack(f">{n}d", self.b[self.i:self.i + 8 * n]))
            self.i += 8 * n
        elif kind in (16, 19):  # character vector, list
            values = [self.item() for _ in range(n)]
        else:
            raise RecipeError(f"R object type {kind} is not read here")
        attrs = dict(self.item()) if has_attr else {}
        return {"kind": kind, "values": values, "attrs": attrs}


def _read_rdata(data: bytes, options: dict) -> Table:
    raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    if raw[:5] not in (b"RDX2\n", b"RDX3\n") or raw[5:7] != b"X\n":
        raise RecipeError("not an R data file in XDR format")
    r = _RData(raw[7:])
    version = r.int()
    r.int(), r.int()
    if version == 3:
        r.i += r.int()  # native encoding name
    objects = dict(r.item())
    frame = objects.get(options["object"])
    if frame is None or frame["kind"] != 19:
        raise RecipeError(f"no data frame {options['object']!r} (objects: {sorted(objects)})")
    names = frame["attrs"]["names"]["values"]
    columns = []
    for col in frame["values"]:
        values = col["values"]
        levels = col["attrs"].get("levels")
        if levels:  # a factor: codes into its levels
            values = [None if v is None else levels["values"][v - 1] for v in values]
        columns.append(values)
    return Table(list(names), [list(row) for row in zip(*columns)])


READERS = {"csv": _read_csv, "zip-csv": _read_zip_csv, "rdata": _read_rdata}


# -- transforming ----------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BREAKS = re.compile(r"[\t\r\n\u2028\u2029]")
_SPACES = re.compile(r"\s+")


def clean_text(value, strip=False, collapse=False):
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub("", value)
    if collapse:
        value = _SPACES.sub(" ", _BREAKS.sub(" ", value))
    return value.strip() if strip else value


def _step(table: Table, name: str, arg) -> Table:
    if name == "rename":
        missing = [c for c in arg if c not in table.header]
        if missing:
            raise RecipeError(f"rename: no column {missing}")
        return Table([arg.get(h, h) for h in table.header], table.rows)
    if name == "keep":
        idx = [table.index(c) for c in arg]
        return Table(list(arg), [[r[i] if i < len(r) else "" for i in idx] for r in table.rows])
    if name == "nonblank":
        idx = [table.index(c) for c in arg]
        return Table(table.header, [r for r in table.rows
                                    if all(i < len(r) and r[i] is not None and str(r[i]).strip() for i in idx)])
    if name == "head":
        return Table(table.header, table.rows[:int(arg)])
    if name == "sample":
        n = min(int(arg["n"]), len(table.rows))
        chosen = sorted(random.Random(arg["seed"]).sample(range(len(table.rows)), n))
        return Table(table.header, [table.rows[i] for i in chosen])
    if name == "clean":
        idx = [table.index(c) for c in arg["columns"]]
        strip, collapse = arg.get("strip", False), arg.get("collapse_whitespace", False)
        rows = [list(r) for r in table.rows]
        for r in rows:
            for i in idx:
                if i < len(r):
                    r[i] = clean_text(r[i], strip, collapse)
        return Table(table.header, rows)
    raise RecipeError(f"unknown recipe step {name!r}")


# -- writing ---------------------------------------------------------------------

def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _write_csv(table: Table, options: dict) -> bytes:
    out = io.StringIO(newline="")
    w = csv.writer(out, delimiter=options.get("delimiter", ","), lineterminator=options.get("lineterminator", "\n"))
    w.writerow(table.header)
    w.writerows([_cell_text(v) for v in r] for r in table.rows)
    return out.getvalue().encode(options.get("encoding", "utf-8"), options.get("errors", "strict"))


FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def _number(v):
    """A number cell's value: int or float from a number or its text; blank stays empty."""
    if v is None or isinstance(v, (int, float)):
        return v
    text = str(v).strip()
    if not text:
        return None
    return float(text) if any(c in text for c in ".eE") else int(text)


def _write_xlsx(table: Table, options: dict) -> bytes:
    """An .xlsx whose bytes depend on the table only: openpyxl stamps the
    document's created/modified times and every zip entry's time; both fixed."""
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = options.get("sheet", "Sheet1")
    numbers = {table.index(c) for c in options.get("numbers", [])}
    ws.append(table.header)
    for r in table.rows:
        ws.append([_number(v) if i in numbers else None if v is None else _CONTROL.sub("", _cell_text(v))
                   for i, v in enumerate(r)])
    stamp = dt.datetime(*FIXED_TIME)
    wb.properties.created = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "tools/corpus.py"
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets `modified` to now while saving
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.isoformat().encode() + b"Z", body)
            dst.writestr(entry, body)
    return out.getvalue()


WRITERS = {"csv": _write_csv, "xlsx": _write_xlsx}


def apply_recipe(source: bytes, recipe: list[dict]) -> tuple[bytes, int | None]:
    """The file the recipe makes from the source bytes, and its data rows (None for a copy)."""
    steps = [next(iter(s.items())) for s in recipe]
    if steps and steps[0][0] == "copy":
        if len(steps) > 1:
            raise RecipeError("copy takes the source as it is: no step may follow")
        return source, None
    if not steps or steps[0][0] != "read" or steps[-1][0] != "write":
        raise RecipeError("a recipe starts with read (or is a single copy) and ends with write")
    options = steps[0][1]
    table = READERS[options["format"]](source, options)
    for name, arg in steps[1:-1]:
        table = _step(table, name, arg)
    options = steps[-1][1]
    return WRITERS[options["format"]](table, options), len(table.rows)


# -- build and check ---------------------------------------------------------------

def load_manifest(path: Path = MANIFEST) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def mirror_dir(mirrors: Path, repo: str) -> Path:
    return mirrors / repo.replace("/", "+") / "repo"


def git_show(git_dir: Path, commit: str, path: str) -> bytes:
    done = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
                          capture_output=True, check=False)
    if done.returncode:
        raise LookupError(done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["git show failed"])
    return done.stdout


def build_one(entry: dict, mirrors: Path) -> tuple[bytes | None, str, int | None]:
    """(the file's bytes or None, status text, data rows)."""
    src = entry["source"]
    git_dir = mirror_dir(mirrors, src["repo"])
    name = src["repo"].replace("/", "+")
    if not git_dir.is_dir():
        return None, f"skipped: mirror {name} not in {mirrors}: fetch it", None
    try:
        source = git_show(git_dir, src["commit"], src["path"])
    except LookupError as e:
        return None, f"skipped: {src['commit'][:10]}:{src['path']} not in mirror {name} ({e.args[0]}): fetch it again", None
    try:
        data, rows = apply_recipe(source, entry["recipe"])
        if rows is None and entry["name"].endswith(".csv"):  # a copy: count its rows for the table
            rows = len(_read_csv(data, {"errors": "surrogateescape", "delimiter": _delimiter(data)}).rows)
    except (RecipeError, UnicodeError, KeyError) as e:
        return None, f"FAILED: recipe: {e}", None
    return data, "built", rows


def _table(lines: list[tuple]) -> str:
    head = ("file", "folder", "rows", "sha256", "status")
    widths = [max(len(str(x[i])) for x in [head, *lines]) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*head), fmt.format(*("-" * w for w in widths)), *(fmt.format(*map(str, x)) for x in lines)])


def build(mirrors: Path, out: Path, manifest: dict, only: list[str] | None = None, record: bool = False) -> int:
    """Build every manifest file into out/<folder>/; print the table. With
    `record`, write the checksums found into the manifest instead of checking
    them (for a new or changed entry; review the diff)."""
    lines, failed = [], 0
    for entry in manifest["files"]:
        if only and entry["name"] not in only:
            continue
        data, status, rows = build_one(entry, mirrors)
        digest = sha256(data)[:12] if data is not None else "-"
        if data is not None:
            want = entry.get("sha256")
            if record:
                entry["sha256"] = sha256(data)
                status = "recorded"
            elif want != sha256(data):
                status = f"FAILED: checksum {sha256(data)[:12]} is not the manifest's {str(want)[:12]}; not installed"
            if not status.startswith("FAILED"):
                target = out / entry["folder"] / entry["name"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                if status == "built":
                    status = "built, checksum ok"
        failed += status.startswith("FAILED")
        lines.append((entry["name"], entry["folder"], "-" if rows is None else rows, digest, status))
    print(_table(lines))
    built = sum(1 for x in lines if x[4].startswith(("built", "recorded")))
    skipped = sum(1 for x in lines if x[4].startswith("skipped"))
    print(f"{built} built, {skipped} skipped, {failed} failed -> {out}")
    return 1 if failed else 0


def corpus_root(path: Path) -> Path:
    """The corpus folder (holding exports/ and reviews/), given it or its exports/."""
    return path.parent if path.name == "exports" and not (path / "exports").is_dir() else path


def check(directory: Path, manifest: dict) -> int:
    root = corpus_root(directory)
    lines, bad = [], 0
    for entry in manifest["files"]:
        path = root / entry["folder"] / entry["name"]
        if not path.is_file():
            status, digest = f"MISSING: build it: {BUILD_HELP}", "-"
        else:
            digest = sha256(path.read_bytes())
            status = "ok" if digest == entry.get("sha256") else f"MISMATCH: manifest says {str(entry.get('sha256'))[:12]}"
            digest = digest[:12]
        bad += status != "ok"
        lines.append((entry["name"], entry["folder"], "-", digest, status))
    print(_table(lines))
    print(f"{len(lines) - bad} of {len(lines)} files verified in {root}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="rebuild the corpus from fetched git mirrors")
    b.add_argument("--mirrors", type=Path, required=True, help="folder of owner+name/repo bare repositories")
    b.add_argument("--out", type=Path, required=True, help="corpus folder (exports/ and reviews/ are made in it)")
    b.add_argument("--only", nargs="*", help="build only these files")
    b.add_argument("--record", action="store_true",
                   help="write the checksums found into the manifest instead of checking them")
    c = sub.add_parser("check", help="verify an installed corpus against the manifest")
    c.add_argument("--dir", type=Path, required=True, help="corpus folder (or its exports/)")
    args = parser.parse_args(argv)
    manifest = load_manifest(args.manifest)
    if args.command == "build":
        code = build(args.mirrors, args.out, manifest, args.only, args.record)
        if args.record:
            args.manifest.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return code
    return check(args.dir, manifest)


if __name__ == "__main__":
    sys.exit(main())
