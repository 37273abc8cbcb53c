"""Write tests/corpus/expected.json: for each real export, the mapping a person
reading the file chose, the programme type to upload it as, and the counts
and NPS of an import, counted here with the csv module and openpyxl only —
never with the project's importer, so tests/corpus/test_export_corpus.py compares
two independent readings.

    python tests/corpus/count_exports.py [CORPUS_EXPORTS_DIR]   (default: NPS_CORPUS_DIR)

The rules counted (docs: DESIGN.md, "Canonical response record"; the CLI
contract of `import`): a data row is a record with any non-blank cell (Excel:
the first sheet). In this order a row is rejected for: score missing (blank),
score not a number, score not a whole number, score out of range (0-10),
date missing, date unreadable (not in the file's own format, written below by
reading the file, or a year outside 1990-2100), date in the future. Of the
valid rows, a response id seen on an earlier valid row is a duplicate; a file
without a response id has none (identical rows stay separate responses). NPS
= 100 x (promoters 9-10 - detractors 0-6) / imported, to one decimal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
csv.field_size_limit(1 << 30)

ISO = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%d %H:%M:%S"]

# Written by reading each file: which column is which field (None: the file
# has none), how its dates are written, the programme type to upload it as,
# and what a reader should know. `user_picks`: fields the guess should leave
# to the user (several columns fit equally, or none is the 0-10 question);
# `read_differently`: a guess that differs from the reading and is still
# right from the file alone.
SPECS = {
    "ba_reviews_2024_author_id.csv": dict(
        mapping={"score": "Rating", "responded_at": "Date", "comment": "Review", "product": "Seat type",
                 "region": "Country"},
        dates=["%Y-%m-%d"], nps_type_for_upload="transaction",
        note="British Airways reviews; Seat type is the cabin bought (product), Country the reviewer's; "
             "Author is a name, not an id; Title and Type of traveller stay extra columns."),
    "ba_reviews_pandas_index.csv": dict(
        mapping={"score": "Rating", "responded_at": "Date", "comment": "Review", "product": "Seat type"},
        dates=["%Y-%m-%d"], nps_type_for_upload="transaction",
        note="The unnamed first column is pandas' row index, not a response id; ratings written 1.0 ... 10.0."),
    "ba_skytrax_reviews_2023.csv": dict(
        mapping={"score": "rating", "responded_at": "date", "comment": "content", "product": "seat_type",
                 "region": "place"},
        dates=["%d/%m/%Y"], nps_type_for_upload="transaction",
        note="Day-first dates; `author` holds the reviewer's review count ('1 reviews'), a scraping slip; "
             "`header` is the review title."),
    "skytrax_seat_reviews.csv": dict(
        mapping={"score": "overall_rating", "responded_at": "date", "comment": "content",
                 "product": "cabin_flown", "region": "author_country"},
        dates=["%Y-%m-%d"], nps_type_for_upload="product",
        note="Seat reviews of 97 airlines; the sub-ratings are 1-5; date_flown is mostly blank."),
    "hotel_reviews_booking_semicolon.csv": dict(
        mapping={"score": "Reviewer_Score", "responded_at": "Review_Date", "comment": "Negative_Review",
                 "product": "Hotel_Name", "region": "Reviewer_Nationality"},
        dates=["%m/%d/%Y"], nps_type_for_upload="transaction", delimiter=";",
        note="Booking.com scores are decimals (9.6): those rows are rejected as not whole numbers, by the rules; "
             "of the two texts, Negative_Review is taken as the comment (Positive_Review stays an extra column); "
             "month-first dates (2/23/2016)."),
    "telecom_callscript_nps.xlsx": dict(
        mapping={"score": "SCORE", "responded_at": "TO_CHAR", "comment": "LTR_COMMENT", "response_id": "SURVEY_ID"},
        dates=["datetime"], nps_type_for_upload="transaction",
        note="First sheet (C Control) only, as every reader takes; TO_CHAR is the month; COLUMN_4 (the test group) "
             "has one value in this sheet; PRIMARY_REASON lists several reasons per row; 'NULL' is written for "
             "no comment."),
    "sudzilla_event_survey_googleforms.csv": dict(
        mapping={"score": "On a scale of 0-10, how would you rate Sudzilla?", "responded_at": "Timestamp",
                 "comment": "...why?"},
        dates=["%m/%d/%Y %H:%M:%S"], nps_type_for_upload="transaction",
        note="Google Forms; two more 0-10 questions (the keynotes) are not the event's score."),
    "community_survey_qualtrics_public.csv": dict(
        mapping={"score": "KNOWLEDGE_WQTRND_C", "responded_at": "RecordedDate", "response_id": "ResponseId",
                 "region": "ZIPCODE_RESIDENT"},
        dates=["%d/%m/%Y %H:%M"], nps_type_for_upload="relationship",
        user_picks={"score": "KNOWLEDGE_WQTRND_C"},
        note="No recommend question: five 0-10 confidence ratings fit equally, so the score is the user's pick "
             "(here the first); RecordedDate is when Qualtrics recorded the answer; the ZIP code is the "
             "resident's place."),
    "community_survey_qualtrics_mail.csv": dict(
        mapping={"score": "KNOWLEDGE_WQTRND_C", "responded_at": "RecordedDate", "response_id": "ResponseId",
                 "region": "ZIPCODE_RESIDENT", "channel": "DistributionChannel"},
        dates=["%m/%d/%Y %H:%M"], nps_type_for_upload="relationship",
        user_picks={"score": "KNOWLEDGE_WQTRND_C"},
        note="The same survey's mail sample: month-first dates; two 'Survey Preview' rows are kept as the file "
             "has them, so Qualtrics' DistributionChannel (preview, anonymous) is a real channel column here "
             "(in the web sample it has one value: no segment)."),
    "saas_nps_survey_iso.csv": dict(
        mapping={"score": "score", "responded_at": "surveyed_at", "customer_id": "id"},
        dates=ISO, nps_type_for_upload="relationship",
        read_differently={"customer_id": None, "response_id": "id"},
        note="surveyed_at is when the NPS question was answered (a month after created_at, the sign-up); `id` is "
             "a user id, which only the source says; unique here, so reading it as the response id gives the "
             "same counts."),
    "telecom_journey_verbatims_uk.xlsx": dict(
        mapping={"score": "NPS_SCORE", "responded_at": "CUSTOMER_RESPONSE_DATE", "comment": "text",
                 "touchpoint": "SURVEY_SUB_TYPE"},
        dates=["%d/%m/%Y %H:%M"], nps_type_for_upload="transaction",
        note="SURVEY_SUB_TYPE is the journey stage (Order, Equipment Received, First Payment ...); NPS_RATING is "
             "the Promoter/Passive/Detractor band, not a programme type; day-first text dates."),
    "insurance_trustpilot_reviews_iso.csv": dict(
        mapping={"score": "rating", "responded_at": "published", "comment": "text", "response_id": "id"},
        dates=ISO, nps_type_for_upload="relationship",
        user_picks={"score": "rating"},
        note="Trustpilot stars are 1-5, not the 0-10 recommend question: the only rating, but a 1-5 scale read "
             "as NPS makes every answer a detractor, so the user should be asked, not told; `experienced` is the "
             "date of the experience (often blank), `published` the review's."),
    "ba_reviews_mixed_encoding.csv": dict(
        mapping={"score": "rating", "responded_at": "date", "comment": "content", "product": "seat_type",
                 "region": "place"},
        dates=["%Y-%m-%d"], nps_type_for_upload="transaction", errors="surrogateescape",
        note="UTF-8 with a few stray Latin-1 bytes (non-breaking spaces); `author` is a name; `header` the title."),
    "ba_reviews_title_rating_2025.csv": dict(
        mapping={"score": "Rating", "responded_at": "Date", "comment": "Content"},
        dates=["%Y-%m-%d"], nps_type_for_upload="transaction",
        note="Four columns; ratings written 1.0 ... 10.0."),
}


def rows_of(path: Path, spec: dict) -> tuple[list[str], list[dict]]:
    if path.suffix == ".xlsx":
        ws = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
        records = [list(r) for r in ws.iter_rows(values_only=True)]
    else:
        text = path.read_bytes().decode("utf-8", spec.get("errors", "strict")).lstrip("\ufeff")
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=spec.get("delimiter", ",")))
    header = ["" if h is None else str(h) for h in records[0]]
    out = []
    for rec in records[1:]:
        if not any(v is not None and str(v).strip() for v in rec):
            continue
        out.append({h: (rec[i] if i < len(rec) else None) for i, h in enumerate(header)})
    return header, out


def blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def reason_of(row: dict, spec: dict, now: dt.datetime) -> str | None:
    m = spec["mapping"]
    raw = row[m["score"]]
    if blank(raw):
        return "score missing"
    try:
        score = float(raw) if not isinstance(raw, str) else float(raw.strip().replace(",", "."))
    except ValueError:
        return "score not a number"
    if score != int(score):
        return "score not a whole number"
    if not 0 <= score <= 10:
        return "score out of range"
    when = row[m["responded_at"]]
    if blank(when):
        return "date missing"
    parsed = None
    if isinstance(when, dt.datetime):
        parsed = when
    else:
        for fmt in spec["dates"]:
            try:
                parsed = dt.datetime.strptime(str(when).strip(), fmt)
                break
            except ValueError:
                pass
    if parsed is None or not 1990 <= parsed.year <= 2100:
        return "date unreadable"
    if parsed > now + dt.timedelta(days=1):
        return "date in the future"
    return None


def count(path: Path, spec: dict) -> dict:
    header, rows = rows_of(path, spec)
    missing = [c for c in spec["mapping"].values() if c not in header]
    if missing:
        raise SystemExit(f"{path.name}: no column {missing}")
    now = dt.datetime.now()
    reasons, seen, scores, duplicates = {}, set(), [], 0
    id_col = spec["mapping"].get("response_id")
    for row in rows:
        reason = reason_of(row, spec, now)
        if reason:
            reasons[reason] = reasons.get(reason, 0) + 1
            continue
        if id_col and not blank(row[id_col]):
            key = str(row[id_col]).strip()
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
        raw = row[spec["mapping"]["score"]]
        scores.append(int(float(raw if not isinstance(raw, str) else raw.strip().replace(",", "."))))
    n = len(scores)
    nps = None
    if n:
        exact = Decimal(100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores))) / Decimal(n)
        nps = float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    rejected = sum(reasons.values())
    return {"read": len(rows), "imported": n, "duplicates": duplicates, "rejected": rejected,
            "reasons": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))), "nps": nps}


def expected(exports: Path) -> list[dict]:
    out = []
    for name, spec in SPECS.items():
        mapping = {f: spec["mapping"].get(f) for f in (
            "score", "responded_at", "comment", "nps_type", "touchpoint", "product", "channel", "region", "agent",
            "customer_id", "response_id")}
        out.append({"file": name, "mapping": mapping, "nps_type_for_upload": spec["nps_type_for_upload"],
                    **count(exports / name, spec),
                    "user_picks": spec.get("user_picks", {}), "read_differently": spec.get("read_differently", {}),
                    "note": spec["note"]})
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "tests" / "support"))
    from corpus_files import exports_dir

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else exports_dir()
    result = expected(folder)
    (HERE / "expected.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for r in result:
        print(f"{r['file']:<40} read {r['read']:>5} imported {r['imported']:>5} dup {r['duplicates']:>3} "
              f"rejected {r['rejected']:>4} nps {r['nps']}  {r['reasons']}")
