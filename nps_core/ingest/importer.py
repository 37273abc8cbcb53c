"""Import a file into the store: read → map columns → validate → insert.

The file is staged and validated in a private in-memory DuckDB first (with a
spill folder of its own, db/staging.py), so the store's write lock is held
only for the final insert, which runs in one transaction: a failed import
leaves the store exactly as it was. Rows that are not imported are counted
per reason, kept in the `rejects` table and written to a CSV next to the
database. New comments are enriched afterwards.
"""


from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from nps_core.base.filenames import file_stem
from nps_core.base.i18n import fmt_int, fmt_pct, t
from nps_core.base.sql import insert_new_sql, quote_ident
from nps_core.db import audit, comment_index, duck, rollup
from nps_core.db.catalog import check_dataset_name, column_name_for, dataset_names
from nps_core.db.errors import retry_conflicts
from nps_core.db.schema import NPS_TYPES, TEXT_FIELDS
from nps_core.db.staging import Staging
from nps_core.db.store import Store
from nps_core.ingest import dates, readers, rejects
from nps_core.ingest.mapping import (
    NPS_TYPE_ALIASES,
    REQUIRED,
    Guess,
    column_summary,
    explanation,
    guess,
    resolve_mapping,
)
from nps_core.ingest.numbers import number_sql
from nps_core.ingest.profile import category_disagreements, profile
from nps_core.ingest.remember import recall, remember
from nps_core.ingest.rules import (
    ImportRefused,
    check_options,
    parsed_sql,
    staged_sql,
)
from nps_core.text import pack_fit, packs
from nps_core.text.enrich import enrich


@dataclass
class ImportResult:
    read: int
    imported: int
    duplicates: int
    rejected: int
    reasons: dict[str, int] = field(default_factory=dict)
    rejects_file: str | None = None
    dataset: str = ""
    import_id: int | None = None
    warnings: list[str] = field(default_factory=list)  # codes (readers.Prepared.warnings)
    category_disagrees: int = 0  # rows whose promoter/passive/detractor label contradicts the score
    theme_pack: pack_fit.PackChoice | None = None  # the starter themes an import of a file gave its dataset, and why

    def __post_init__(self):
        if isinstance(self.theme_pack, dict):  # read back from the import worker's outcome (asdict, JSON)
            self.theme_pack = pack_fit.PackChoice.from_dict(self.theme_pack)

    def contract(self) -> dict:
        """The JSON object of `python -m nps_core import --json` (docs/cli.md)."""
        d = asdict(self)
        keys = ("read", "imported", "duplicates", "rejected", "reasons", "rejects_file")
        return ({k: d[k] for k in keys + (("warnings",) if self.warnings else ())
                 + (("category_disagrees",) if self.category_disagrees else ())}
                | ({"theme_pack": self.theme_pack.as_dict()} if self.theme_pack else {}))


Progress = Callable[[float, str], None]
COMMITTED = "enriching"  # the first stage after an import's transaction committed


def dataset_name_for(path: Path) -> str:
    return file_stem(path.name.split(".")[0], "upload")


@dataclass
class Inspection:
    """What the file looks like and how it would be read: shown to the user
    (and corrected) before anything is stored."""

    encoding: str
    delimiter: str
    kind: str
    headers: list[str]
    mapping: dict[str, str]  # field -> header, guessed then overridden
    date_order: str  # dmy or mdy, as used
    date_order_ambiguous: bool
    rows: int | None  # None: an Excel sheet read in part, without a dimension record
    label: str = ""  # the file's name
    warnings: list[str] = field(default_factory=list)  # codes, worded in base/texts/ ("warn_" + code)
    guess: Guess | None = None  # the guess with its evidence
    remembered: dict | None = None  # the remembered mapping used instead of the guess
    category_disagrees: int | None = None  # rows whose NPS category column contradicts the score
    sampled: int | None = None  # the guess read only this many first rows (`rows`: the file's, None if unknown)
    pack: pack_fit.PackChoice | None = None  # the starter pack the comments fit (inspect() sets it)


@dataclass(frozen=True)
class Settled:
    """The mapping and date order of the rows in table `raw`, whatever they came from."""

    mapping: dict[str, str]  # field -> header, guessed then overridden
    date_order: str  # dmy or mdy, as used
    date_order_ambiguous: bool
    rows: int
    guess: Guess | None = None
    remembered: dict | None = None
    category_disagrees: int | None = None


def settle(con, headers: list[str], mapping: dict[str, str] | None, date_order: str,
           remembered: dict | None = None) -> Settled:
    """Guess the mapping of table `raw` from what its columns hold (or take
    the `remembered` one), apply the user's corrections and decide the
    day/month order of its dates."""
    guessed = guess(profile(con, headers, "raw", NPS_TYPE_ALIASES))
    if remembered is not None:  # its columns, as this file spells them
        spelled = {h.strip().lower(): h for h in headers}
        columns = {f: spelled.get(c.strip().lower()) for f, c in remembered["mapping"].items()}
        remembered = {**remembered, "mapping": columns} if all(columns.values()) else None
    fields = resolve_mapping(headers, mapping, remembered["mapping"] if remembered else guessed.mapping)
    if remembered and date_order == "auto":
        date_order = remembered["date_order"]
    detected = dates.DateOrder("dmy", False)
    if "responded_at" in fields:
        detected = dates.detect_order(con, "raw", quote_ident(fields["responded_at"]))
    order = detected.order if date_order == "auto" else date_order
    rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
    disagrees = None
    if guessed.category and "score" in fields:
        disagrees = category_disagreements(con, "raw", guessed.category, fields["score"])
    return Settled(fields, order, detected.ambiguous, rows, guessed, remembered, disagrees)


def _stage(con, path: Path, mapping: dict[str, str] | None, date_order: str,
           store: Store | None = None, dataset: str | None = None, workdir: Path | None = None,
           sample: int | None = None) -> Inspection:
    """Read the file into table `raw` (its first `sample` rows only, when given)
    and settle the mapping and date order (with the mapping remembered in
    `store` for files with these headers); a converted copy of the file goes
    in `workdir`."""
    prepared = readers.prepare(path, workdir, rows=sample)
    try:
        headers = readers.read_into(con, prepared, limit=sample)
        if not con.execute("SELECT 1 FROM raw LIMIT 1").fetchone():  # refused before a dataset is made
            raise readers.UnreadableFile(f"{prepared.label} has a header but no rows: there is nothing to import")
        found = settle(con, headers, mapping, date_order, recall(store, headers, dataset) if store else None)
        rows, sampled = found.rows, None
        if sample and found.rows >= sample:  # a bigger file: its rows counted as a stream, not held
            rows, sampled = readers.count_rows(con, prepared), found.rows
    finally:
        prepared.cleanup()
    return Inspection(prepared.encoding, prepared.delimiter, prepared.kind, headers, found.mapping,
                      found.date_order, found.date_order_ambiguous, rows, prepared.label, prepared.warnings,
                      found.guess, found.remembered, found.category_disagrees, sampled)


def fitting_pack(con, mapping: dict[str, str]) -> pack_fit.PackChoice:
    """The starter pack the comments of staged table `raw` fit (pack_fit.choose;
    a file without a comment column has too few comments to choose by)."""
    if "comment" not in mapping:
        return pack_fit.choose([])
    sample = pack_fit.sample_sql(quote_ident(mapping["comment"]), "raw")
    return pack_fit.choose(r[0] for r in con.execute(sample).fetchall())


def give_pack(store: Store, result: ImportResult, choice: pack_fit.PackChoice) -> None:
    """Give the dataset an import created the starter themes `choice` names."""
    result.theme_pack = choice
    if choice.pack not in (None, packs.DEFAULT) and result.imported:
        packs.apply(store, result.dataset, choice.pack)


def pack_why(choice: pack_fit.PackChoice, lang: str) -> str:
    """Why the pack was chosen, in words (the Upload page beside the choice, `import`)."""
    shares = dict(choice.coverage)
    runner, runner_share = choice.runner_up or (None, None)  # when none fits: the best of those that did not
    return t(f"pack_why_{choice.reason}", lang, pack=t(f"pack_{choice.pack}", lang) if choice.pack else "",
             share=fmt_pct(shares.get(choice.pack), lang), runner=t(f"pack_{runner}", lang) if runner else "–",
             runner_share=fmt_pct(runner_share, lang), sentences=fmt_int(choice.sentences, lang))


# Rows of an uploaded file the Upload page reads (in the server) to guess its mapping
# and preview it: a gigabyte file held there took 1.8 GB; the import reads every row.
PREVIEW_SAMPLE = 100_000


def inspect(path, mapping: dict[str, str] | None = None, date_order: str = "auto",
            preview_rows: int = 20, store: Store | None = None,
            dataset: str | None = None, sample: int | None = None) -> tuple[Inspection, pd.DataFrame]:
    """How `path` would be imported, and its first rows as they are in the file;
    with `sample`, guessed from that many first rows (the Upload page: a
    gigabyte file is not held in the server to preview it)."""
    con = duck.connect()
    try:
        info = _stage(con, Path(path), mapping, date_order, store, dataset, sample=sample)
        info.pack = fitting_pack(con, info.mapping)
        preview = con.execute("SELECT * EXCLUDE (_row) FROM raw ORDER BY _row LIMIT ?", [preview_rows]).df()
        return info, preview
    finally:
        con.close()


def explain(path, store: Store | None = None, dataset: str | None = None, mapping: dict[str, str] | None = None,
            date_order: str = "auto", lang: str = "en") -> dict:
    """The mapping `import_file` would use for `path`, each field with its
    evidence, and what every column holds; nothing is stored."""
    path = Path(path)
    info, _ = inspect(path, mapping, date_order, 0, store, dataset or dataset_name_for(path))
    g = info.guess
    category = None
    if g.category:
        category = {"column": g.category, "disagrees": info.category_disagrees,
                    "text": t("ev_category", lang, column=g.category, n=info.category_disagrees or 0)}
    return {
        "file": str(path), "rows": info.rows, "encoding": info.encoding, "delimiter": info.delimiter,
        "date_order": info.date_order, "date_order_ambiguous": info.date_order_ambiguous,
        "mapping": info.mapping,
        "evidence": explanation(g, info.mapping, info.remembered, lang),
        "alternatives": {f: cols for f, cols in g.alternatives.items() if f in info.mapping and cols},
        "undecided": {f: {"columns": cols, "text": g.undecided_text(f, lang)}
                      for f, cols in g.undecided.items() if f not in info.mapping},
        "nps_category": category,
        "remembered": info.remembered and {k: info.remembered[k] for k in ("id", "dataset", "saved_at", "nps_type")},
        "pack": info.pack.as_dict(),
        "columns": {h: {"summary": column_summary(p, lang), **p.as_dict()} for h, p in g.profiles.items()},
    }


def _validate(con, mapping: dict[str, str], headers: list[str], default_type: str | None,
              date_order: str) -> None:
    """Create `staged`: per row of `raw` its response id, time, score,
    programme type and reject reason, with the text fields and the extra
    columns as "x:HEADER" (`valued`, what the insert reads).

    The texts are copied here, in the pass that parses the row, so the insert
    reads one table. Read again from `raw` beside `staged` instead (a
    positional join, or by row number when validation had reordered the
    rows), the insert ran on one core and took 31 s of a 10-million-row
    import against 9 s for the copy (issue 31)."""
    con.execute(f"CREATE VIEW parsed AS {parsed_sql('raw', mapping, headers, default_type, date_order)}")
    extra = [quote_ident("x:" + h) for h in headers if h not in mapping.values()]
    kept = ", ".join(["_row", "response_id", "ts", "score_num", "nps_type", "reason", *TEXT_FIELDS, *extra])
    con.execute(f"CREATE TABLE staged AS SELECT {kept} FROM ({staged_sql('parsed')})")
    con.execute("CREATE VIEW valued AS SELECT * FROM staged")


def _extra_types(con, extra: list[str]) -> dict[str, str]:
    """DOUBLE for extra columns whose every value is a number, else VARCHAR."""
    if not extra:
        return {}
    exprs = ", ".join(
        f"count({quote_ident('x:' + h)}) = count({number_sql(quote_ident('x:' + h))})"
        for h in extra
    )
    flags = con.execute(f"SELECT {exprs} FROM valued WHERE reason IS NULL").fetchone()
    return {h: ("DOUBLE" if numeric else "VARCHAR") for h, numeric in zip(extra, flags)}


def _storage_columns(con, dataset: str, types: dict[str, str]) -> dict[str, tuple[str, str]]:
    """header → (column in `responses`, type), adding columns as needed.

    A name already used with another type gets a suffix instead, so an
    upload never changes the columns another dataset relies on.
    """
    existing = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_catalog = 'store' AND table_name = 'responses'"
        ).fetchall()
    )
    mine = dict(
        con.execute(
            "SELECT source_header, column_name FROM dataset_columns WHERE dataset = ?", [dataset]
        ).fetchall()
    )
    out, taken = {}, set()
    for header, typ in types.items():
        name = mine.get(header) or column_name_for(header)
        base, k = name, 2
        while name in taken or (name in existing and existing[name] != typ):
            name, k = f"{base}_{k}", k + 1
        if name not in existing:
            con.execute(f"ALTER TABLE responses ADD COLUMN {quote_ident(name)} {typ}")
            existing[name] = typ
        taken.add(name)
        out[header] = (name, typ)
        con.execute(
            insert_new_sql("dataset_columns", ("dataset", "column_name", "data_type", "source_header"),
                           "SELECT ? AS dataset, ? AS column_name, ? AS data_type, ? AS source_header",
                           ("dataset", "column_name")),
            [dataset, name, typ, header],
        )
    return out


def check_mapping(label: str, headers: list[str], fields: dict[str, str], nps_type: str | None) -> None:
    """Refuse the whole import when a field every row needs has no column."""
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        raise ImportRefused(
            f"{label}: no column for {' and '.join(missing)} "
            f"(columns: {', '.join(headers)}); map one with --map FIELD=COLUMN"
        )
    if "nps_type" not in fields and nps_type is None:
        raise ImportRefused(
            f"{label}: no programme type column; choose one for the whole file "
            f"with --nps-type {'|'.join(NPS_TYPES)}"
        )


def import_file(
    store: Store,
    path,
    dataset: str | None = None,
    mapping: dict[str, str] | None = None,
    nps_type: str | None = None,
    rejects_dir=None,
    progress: Progress | None = None,
    date_order: str = "auto",
    theme_pack: str | None = None,
    analyse: bool = True,
) -> ImportResult:
    """Import one CSV, TSV or Excel file into `dataset` (default: named after the file).

    `mapping` overrides the guessed FIELD -> column; `nps_type` is the
    programme type of rows without one; `date_order` is auto, dmy or mdy;
    `theme_pack` the starter themes (packs.PACKS) of a dataset this import
    creates (a dataset that exists keeps its themes; None: the pack its
    comments fit, pack_fit.choose). With `analyse` the new
    comments are enriched before it returns; without, the caller does it as
    a stage of its own (the import worker, the command line), so it can say
    what was stored first.
    """
    path = Path(path)
    dataset = dataset or dataset_name_for(path)
    store.access.require("upload", dataset)
    report = progress or (lambda fraction, message: None)
    check_options(nps_type, date_order)
    choice = None if theme_pack is None else pack_fit.PackChoice(packs.check(theme_pack), pack_fit.OPTION)
    if store.exists():
        with store.read() as con:
            if dataset in dataset_names(con):
                choice = pack_fit.PackChoice(None, pack_fit.EXISTING)
    if choice and choice.pack not in (None, packs.DEFAULT):
        store.access.require("edit_themes", dataset)  # refused before the import, not after it
    with Staging() as staging:
        report(0.05, "reading")
        info = _stage(staging.con, path, mapping, date_order, store, dataset, staging.folder)
        if nps_type is None and info.remembered and "nps_type" not in (mapping or {}):
            nps_type = info.remembered["nps_type"]
        settled = Settled(info.mapping, info.date_order, info.date_order_ambiguous, info.rows, info.guess,
                          info.remembered, info.category_disagrees)
        # a new dataset with no pack named gets the one its own comments fit (none: discovery only)
        choice = choice or fitting_pack(staging.con, info.mapping)

        def keep_mapping(con):  # an import confirms its mapping for the next file like it
            # the pack the dataset got; a dataset that kept its themes keeps the pack remembered before
            kept = choice.pack or (info.remembered or {}).get("theme_pack")
            remember(con, dataset, info.headers, info.mapping, nps_type, info.date_order, kept)

        result = store_raw(store, staging.con, path.name, str(path), info.headers, settled,
                           dataset, nps_type, rejects_dir, report, keep_mapping)
        result.warnings = info.warnings + result.warnings
    counts = {k: v for k, v in result.contract().items() if k != "rejects_file"}  # no server paths in the trail
    audit.log(store, "upload", result.dataset, {"file": path.name, **counts, "theme_pack": choice.as_dict()})
    give_pack(store, result, choice)
    if analyse:
        analysed(store, report)
    return result


def analysed(store: Store, report: Progress) -> None:
    """Enrich the comments not analysed yet (an import's last stage)."""
    report(0.95, COMMITTED)
    enrich(store)
    report(1.0, "done")


@dataclass(frozen=True)
class Validated:
    """What validating table `raw` left for the commit, beside the staging
    tables `staged`, `valued` and `repeated` (_validate, _find_repeats)."""

    read: int
    types: dict[str, str]  # extra column header -> DOUBLE or VARCHAR
    in_order: bool  # the valid rows come in time order already
    reasons: dict[str, int]  # reject reason -> rows
    category_disagrees: int

    def result(self, dataset: str, import_id: int, imported: int, rejects_file: str | None) -> ImportResult:
        rejected = sum(self.reasons.values())
        return ImportResult(
            read=self.read, imported=imported, duplicates=self.read - rejected - imported, rejected=rejected,
            reasons=self.reasons, rejects_file=rejects_file, dataset=dataset, import_id=import_id,
            warnings=["category_disagrees"] if self.category_disagrees else [],
            category_disagrees=self.category_disagrees,
        )


def store_raw(store: Store, con, label: str, source: str, headers: list[str], settled: Settled,
              dataset: str, nps_type: str | None, rejects_dir=None,
              report: Progress = lambda fraction, message: None,
              before_commit: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> ImportResult:
    """Validate table `raw` of the staging connection `con` and store its
    valid, new rows in `dataset`: the one path files and database sources share.
    `before_commit(con)` records more in the same transaction (a source's cursor)."""
    dataset = check_dataset_name(dataset)
    check_mapping(label, headers, settled.mapping, nps_type)
    report(0.3, "validating")
    checked = validate(con, headers, settled, nps_type)
    report(0.6, "storing")
    store.attach_for_write(con)
    folder = Path(rejects_dir or store.path.parent / "rejects")
    # a shared (DuckLake) store may refuse the commit when another process
    # wrote at the same moment: then the whole transaction runs again
    result = retry_conflicts(lambda: commit(store, con, dataset, source, headers, checked, folder, report,
                                            before_commit), store.lock_timeout)
    con.execute("USE memory")
    con.execute("DETACH store")  # release the write lock before enriching
    return result


def validate(con, headers: list[str], settled: Settled, nps_type: str | None) -> Validated:
    """Give every row of `raw` its reject reason or parsed values, and find
    what the insert must skip or sort (in the staging database only)."""
    _validate(con, settled.mapping, headers, nps_type, settled.date_order)
    types = _extra_types(con, [h for h in headers if h not in settled.mapping.values()])
    _find_repeats(con)
    return Validated(settled.rows, types, _in_time_order(con), rejects.counted(con), settled.category_disagrees or 0)


def _find_repeats(con) -> None:
    """Table `repeated`: the file's own repeats of a response id (all but
    its first row). Found here, in the staging database that spills to
    disk, by a grouping, not a window over every row, which ran out of
    memory inside the INSERT into the attached store on a few million rows
    (issue 13)."""
    con.execute("""CREATE OR REPLACE TABLE repeated AS
                   SELECT s._row FROM staged s JOIN (
                       SELECT response_id, min(_row) AS first_row FROM staged WHERE reason IS NULL
                       GROUP BY response_id HAVING count(*) > 1) d USING (response_id)
                   WHERE s.reason IS NULL AND s._row <> d.first_row""")


def _in_time_order(con) -> bool:
    """Whether the valid rows come in time order. Rows are stored in time
    order, so date filters skip whole row groups; most exports come in that
    order already, and then the insert keeps the file's order, else it sorts
    (every row is numbered by now, so the arrival order need not be kept).
    Sorting ten million rows spilled to disk and was the largest part of the insert."""
    in_order = not con.execute(
        "SELECT count(*) FILTER (WHERE ts < before) FROM "
        "(SELECT ts, lag(ts) OVER () AS before FROM staged WHERE reason IS NULL)").fetchone()[0]
    if not in_order:
        con.execute("SET preserve_insertion_order = false")
    return in_order


def commit(store: Store, con, dataset: str, source: str, headers: list[str], checked: Validated,
           rejects_folder: Path, report: Progress,
           before_commit: Callable[[duckdb.DuckDBPyConnection], None] | None) -> ImportResult:
    """One transaction: the import's rows with their rollup and Verbatims
    index, its rejects and its record; all of it or nothing."""
    rejects_file = None
    try:
        with store.transaction(con):
            import_id = _open_import(con, dataset, source)
            columns = _storage_columns(con, dataset, checked.types)
            imported = _insert_rows(con, dataset, import_id, columns, checked.in_order)
            report(0.7, "indexing")
            rollup.add_import(con, dataset, import_id)
            comment_index.add_import(con, dataset, import_id)
            report(0.8, "recording")
            rejects.keep(con, import_id)
            if checked.reasons:
                rejects_file = rejects.file_for(rejects_folder, dataset, import_id)
            result = checked.result(dataset, import_id, imported, rejects_file)
            _record_import(con, source, result)
            if before_commit:
                before_commit(con)
            # written before the commit: a file that cannot be written undoes the
            # import, instead of leaving rows stored, never enriched, after an error
            if rejects_file:
                report(0.9, "writing rejects")
                rejects.write(con, headers, rejects_file)
    except BaseException:
        if rejects_file:
            Path(rejects_file).unlink(missing_ok=True)
        raise
    return result


def _open_import(con, dataset: str, source: str) -> int:
    """The next import id, with the dataset made or its time of change updated."""
    import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchone()[0]
    con.execute("UPDATE datasets SET updated_at = now() WHERE name = ?", [dataset])
    con.execute(insert_new_sql("datasets", ("name", "source"), "SELECT ? AS name, ? AS source", ("name",)),
                [dataset, source])
    return int(import_id)


def _insert_rows(con, dataset: str, import_id: int, columns: dict[str, tuple[str, str]], in_order: bool) -> int:
    """The valid rows that are neither a repeat within the file nor already
    stored, into `responses`; how many. Anti joins, not NOT EXISTS: DuckDB
    turned those into joins that first grouped every row id and response id
    of the file (10 million each), 33 s of a 10-million-row import (issue 31)."""
    extra_cols = "".join(f", {quote_ident(c)}" for c, _ in columns.values())
    extra_vals = "".join(
        f", {number_sql('s.' + quote_ident('x:' + h)) if t == 'DOUBLE' else 's.' + quote_ident('x:' + h)}"
        for h, (_, t) in columns.items()
    )
    return int(con.execute(
        f"""
        INSERT INTO responses (dataset, response_id, responded_at, score, nps_type,
                               {', '.join(TEXT_FIELDS)}, import_id{extra_cols})
        SELECT ?, s.response_id, s.ts, CAST(s.score_num AS TINYINT), s.nps_type,
               {', '.join('s.' + f for f in TEXT_FIELDS)}, ?{extra_vals}
        FROM memory.main.valued s
        ANTI JOIN memory.main.repeated x ON x._row = s._row
        ANTI JOIN (SELECT response_id FROM responses WHERE dataset = ?) r ON r.response_id = s.response_id
        WHERE s.reason IS NULL
        {'' if in_order else 'ORDER BY s.ts'}
        """,
        [dataset, import_id, dataset],
    ).fetchone()[0])


def _record_import(con, source: str, result: ImportResult) -> None:
    con.execute(
        "INSERT INTO imports (import_id, dataset, source, \"read\", imported, duplicates, "
        "rejected, reasons, rejects_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [result.import_id, result.dataset, source, result.read, result.imported, result.duplicates,
         result.rejected, json.dumps(result.reasons), result.rejects_file],
    )
