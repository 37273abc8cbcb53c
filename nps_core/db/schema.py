"""The store's tables and the canonical response record, as DuckDB DDL (docs/ARCHITECTURE.md).

Every table is created IF NOT EXISTS, so a database made by an older
version gains the tables it lacks the next time it is opened for writing
(Store.ensure_schema).
"""


from __future__ import annotations

import re

NPS_TYPES = ("relationship", "transaction", "product")


# Canonical record. Dimensions are the optional text fields a
# user can break NPS down by; any extra column of a dataset joins them.
DIMENSIONS = ("touchpoint", "product", "channel", "region", "agent")


CANONICAL = (
    "response_id",
    "responded_at",
    "score",
    "comment",
    "nps_type",
    *DIMENSIONS,
    "customer_id",
)


# Canonical fields stored as text as they come (no parsing, no validation).
TEXT_FIELDS = ("comment", *DIMENSIONS, "customer_id")


# Columns of `responses` that are bookkeeping, never user dimensions.
INTERNAL = ("dataset", "import_id")


SCHEMA = f"""
CREATE TABLE IF NOT EXISTS datasets (
    name VARCHAR PRIMARY KEY,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    source VARCHAR
);
CREATE TABLE IF NOT EXISTS imports (
    import_id INTEGER PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    source VARCHAR,
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    "read" BIGINT, imported BIGINT, duplicates BIGINT, rejected BIGINT,
    reasons JSON,
    rejects_file VARCHAR
);
CREATE TABLE IF NOT EXISTS responses (
    dataset VARCHAR NOT NULL,
    response_id VARCHAR NOT NULL,
    responded_at TIMESTAMP NOT NULL,
    score TINYINT NOT NULL CHECK (score BETWEEN 0 AND 10),
    comment VARCHAR,
    nps_type VARCHAR NOT NULL CHECK (nps_type IN {NPS_TYPES!r}),
    touchpoint VARCHAR, product VARCHAR, channel VARCHAR, region VARCHAR, agent VARCHAR,
    customer_id VARCHAR,
    import_id INTEGER
);
-- Extra columns of a file are real columns of `responses`; this records which
-- dataset has which, so each dataset offers only its own as dimensions.
CREATE TABLE IF NOT EXISTS dataset_columns (
    dataset VARCHAR NOT NULL,
    column_name VARCHAR NOT NULL,
    data_type VARCHAR NOT NULL,
    source_header VARCHAR,
    PRIMARY KEY (dataset, column_name)
);
-- Enrichment is computed once per distinct comment text (keyed by its md5)
-- and shared by every response and dataset that has that text.
CREATE TABLE IF NOT EXISTS enrichment (
    comment_key VARCHAR PRIMARY KEY,
    comment VARCHAR NOT NULL,
    language VARCHAR NOT NULL,
    sentiment DOUBLE NOT NULL,
    themes VARCHAR[] NOT NULL,
    taxonomy_version INTEGER NOT NULL
);
-- A dataset whose theme taxonomy was edited keeps it here, and the tags of
-- its comments in dataset_themes, which take precedence over enrichment.themes.
CREATE TABLE IF NOT EXISTS taxonomies (
    dataset VARCHAR PRIMARY KEY,
    body JSON NOT NULL,
    version INTEGER NOT NULL,
    saved_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS dataset_themes (
    dataset VARCHAR NOT NULL,
    comment_key VARCHAR NOT NULL,
    themes VARCHAR[] NOT NULL,
    PRIMARY KEY (dataset, comment_key)
);
CREATE TABLE IF NOT EXISTS rejects (
    import_id INTEGER NOT NULL,
    row_number BIGINT,
    reason VARCHAR NOT NULL,
    raw JSON
);
-- Closing the loop (nps_core/alerts.py, followup.py, notify.py).
-- A rule marks a response critical: score in [score_min, score_max], or a
-- detractor whose comment's sentiment is at most sentiment_max; narrowed by
-- themes (any of), programme types and dimension values (dims: JSON
-- {{column: [values]}}). Rules are switched off, never deleted, so cases
-- and sent alerts keep pointing at them.
CREATE TABLE IF NOT EXISTS alert_rules (
    rule_id INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL UNIQUE,
    dataset VARCHAR,
    score_min TINYINT NOT NULL, score_max TINYINT NOT NULL,
    sentiment_max DOUBLE,
    themes VARCHAR[] NOT NULL DEFAULT [],
    nps_types VARCHAR[] NOT NULL DEFAULT [],
    dims JSON NOT NULL DEFAULT '{{}}',
    recipient VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    active BOOLEAN NOT NULL DEFAULT true,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
-- the default rule, once per database (a store whose rules were all edited keeps them)
INSERT INTO alert_rules (rule_id, name, score_min, score_max, sentiment_max, themes, nps_types, recipient, channel)
    SELECT 1, 'critical', 0, 3, -0.5, []::VARCHAR[], []::VARCHAR[], 'Customer service', 'webhook'
    WHERE NOT EXISTS (SELECT 1 FROM alert_rules);
-- Every change to a case (a critical response) is a new row: the history is
-- append-only and a case's current state is its latest row.
-- Ids are max()+1 (nps_core/db/sql.py next_id_sql): DuckLake has no sequences.
CREATE TABLE IF NOT EXISTS case_events (
    event_id BIGINT PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    response_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('new', 'contacted', 'resolved', 'no_action')),
    owner VARCHAR,
    note VARCHAR,
    changed_by VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS promoter_thanks (
    dataset VARCHAR NOT NULL,
    response_id VARCHAR NOT NULL,
    thanked_by VARCHAR NOT NULL,
    thanked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (dataset, response_id)
);
-- One row per alert (response x channel): the record of what was sent.
-- status: pending -> sending (claimed, attempt counted) -> sent | failed
-- (retried after next_attempt_at) | gave_up. See nps_core/notify.py.
CREATE TABLE IF NOT EXISTS alert_outbox (
    alert_id VARCHAR PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    response_id VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    recipients VARCHAR NOT NULL,
    rules VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    body VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP,
    claimed_at TIMESTAMP,
    sent_at TIMESTAMP,
    last_error VARCHAR
);
-- Connected databases (nps_core/sources.py). `url_ref` is env:VAR, secret:NAME
-- or a URL/path without password: a password is never stored.
CREATE TABLE IF NOT EXISTS sources (
    name VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    url_ref VARCHAR NOT NULL,
    table_name VARCHAR,
    query VARCHAR,
    mapping JSON NOT NULL,
    headers JSON NOT NULL,
    nps_type VARCHAR,
    date_order VARCHAR NOT NULL,
    mode VARCHAR NOT NULL CHECK (mode IN ('live', 'snapshot')),
    cursor_column VARCHAR,
    cursor_value VARCHAR,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    refreshed_at TIMESTAMP
);
"""


# the tables SCHEMA creates: a database made by an older version lacks some
TABLES = tuple(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", SCHEMA))


