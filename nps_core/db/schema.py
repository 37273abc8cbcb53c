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


# Extra columns that hold a customer's contact details (storage names): the
# thank-you e-mails use them (followup/thank.py); they are personal data, one
# value per customer, so never offered as a dimension to break NPS down by.
EMAIL_COLUMNS = ("email", "e_mail", "email_address", "emailadres", "e_mailadres", "mail")
NAME_COLUMNS = ("first_name", "firstname", "given_name", "voornaam", "roepnaam")


SCHEMA = f"""
CREATE TABLE IF NOT EXISTS datasets (
    name VARCHAR PRIMARY KEY,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    source VARCHAR
);
-- settings of the whole database, e.g. default_dataset (the dataset shown when none is named)
CREATE TABLE IF NOT EXISTS settings (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
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
-- Daily counts of the responses per programme type and canonical dimension
-- (nps_core/db/rollup.py), written with them: what the overview, trends and
-- breakdowns read instead of every response.
CREATE TABLE IF NOT EXISTS response_days (
    dataset VARCHAR NOT NULL,
    import_id INTEGER,
    day DATE NOT NULL,
    nps_type VARCHAR NOT NULL,
    touchpoint VARCHAR, product VARCHAR, channel VARCHAR, region VARCHAR, agent VARCHAR,
    n BIGINT NOT NULL, promoters BIGINT NOT NULL, passives BIGINT NOT NULL, detractors BIGINT NOT NULL
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
-- The sentiment model that scored a comment (text/sentiment.MODEL_VERSION): a
-- score of another version is scored again; NULL: its vector half is not
-- blended in yet (text/enrich.py). Rows from before versions were stored
-- count as another version.
ALTER TABLE enrichment ADD COLUMN IF NOT EXISTS sentiment_version VARCHAR DEFAULT 'unversioned';
-- Sentence representations (nps_core/text/vectors.py): a comment's sentences
-- and clauses in order (position -1, sentence_key NULL: a comment without a
-- word), one vector per distinct sentence, one per distinct word.
CREATE TABLE IF NOT EXISTS comment_sentences (
    comment_key VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    sentence_key VARCHAR,
    PRIMARY KEY (comment_key, position)
);
CREATE TABLE IF NOT EXISTS sentences (
    sentence_key VARCHAR PRIMARY KEY,
    sentence VARCHAR NOT NULL,
    vec FLOAT[] NOT NULL
);
CREATE TABLE IF NOT EXISTS word_vectors (
    word VARCHAR PRIMARY KEY,
    vec FLOAT[] NOT NULL
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
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    contact_hours INTEGER DEFAULT 48,
    escalate_to VARCHAR
);
-- first-contact deadline and escalation (rules made before they existed)
ALTER TABLE alert_rules ADD COLUMN IF NOT EXISTS contact_hours INTEGER DEFAULT 48;
ALTER TABLE alert_rules ADD COLUMN IF NOT EXISTS escalate_to VARCHAR;
-- the default rule, once per database (a store whose rules were all edited keeps them)
INSERT INTO alert_rules (rule_id, name, score_min, score_max, sentiment_max, themes, nps_types, recipient, channel)
    SELECT 1, 'critical', 0, 3, -0.5, []::VARCHAR[], []::VARCHAR[], 'Customer service', 'webhook'
    WHERE NOT EXISTS (SELECT 1 FROM alert_rules);
-- Every change to a case (a critical response) is a new row: the history is
-- append-only and a case's current state is its latest row.
-- Ids are max()+1 (nps_core/base/sql.py next_id_sql): DuckLake has no sequences.
CREATE TABLE IF NOT EXISTS case_events (
    event_id BIGINT PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    response_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('new', 'contacted', 'resolved', 'no_action')),
    owner VARCHAR,
    note VARCHAR,
    changed_by VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    root_cause VARCHAR
);
-- the theme a closed case was caused by (history made before it existed)
ALTER TABLE case_events ADD COLUMN IF NOT EXISTS root_cause VARCHAR;
CREATE TABLE IF NOT EXISTS promoter_thanks (
    dataset VARCHAR NOT NULL,
    response_id VARCHAR NOT NULL,
    thanked_by VARCHAR NOT NULL,
    thanked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (dataset, response_id)
);
-- One row per message: the record of what was sent, for every kind of
-- message the app sends on its own (nps_core/followup/notify.py):
--   alert       a critical response x a channel; response_id is the response
--   escalation  an overdue case x the rule's second recipient
--   digest      a subscription x a period; response_id holds the period key,
--               rules the subscription's id
--   thank       a promoter's response x its e-mail address
--   spike       a theme or segment outside its baseline x a week x a channel
--               (nps_core/followup/spikes.py); response_id holds the week key and the subject
-- alert_id is the idempotency key (a hash of what the message is about).
-- status: pending -> sending (claimed, attempt counted) -> sent | failed
-- (retried after next_attempt_at) | gave_up.
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
    last_error VARCHAR,
    kind VARCHAR DEFAULT 'alert',
    html VARCHAR,
    attachment BLOB,
    attachment_name VARCHAR
);
-- an outbox made before digests and thank-you messages gains their columns
ALTER TABLE alert_outbox ADD COLUMN IF NOT EXISTS kind VARCHAR DEFAULT 'alert';
ALTER TABLE alert_outbox ADD COLUMN IF NOT EXISTS html VARCHAR;
ALTER TABLE alert_outbox ADD COLUMN IF NOT EXISTS attachment BLOB;
ALTER TABLE alert_outbox ADD COLUMN IF NOT EXISTS attachment_name VARCHAR;
-- Scheduled digests (nps_core/report/digest.py): one e-mail per
-- subscription and period. filters: JSON {{"nps_types": [...], "dims": {{column: [values]}}}}.
CREATE TABLE IF NOT EXISTS digest_subscriptions (
    sub_id INTEGER PRIMARY KEY,
    recipient VARCHAR NOT NULL,
    frequency VARCHAR NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
    lang VARCHAR NOT NULL,
    dataset VARCHAR,
    filters JSON NOT NULL DEFAULT '{{}}',
    attach_pdf BOOLEAN NOT NULL DEFAULT false,
    active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
-- Thank-you e-mails to promoters (nps_core/followup/thank.py): a template per
-- language, the addresses (or customer ids) that opted out, and settings
-- (daily cap, the columns holding the address and the first name).
CREATE TABLE IF NOT EXISTS thank_templates (
    lang VARCHAR PRIMARY KEY,
    subject VARCHAR NOT NULL,
    body VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS thank_optout (
    address VARCHAR PRIMARY KEY,
    added_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
-- The team's estimate of the effort to fix a theme, per dataset
-- (nps_core/analysis/effort.py): a level (low, medium, high) or days.
CREATE TABLE IF NOT EXISTS theme_effort (
    dataset VARCHAR NOT NULL,
    theme VARCHAR NOT NULL,
    level VARCHAR CHECK (level IN ('low', 'medium', 'high')),
    days DOUBLE NOT NULL CHECK (days > 0),
    set_by VARCHAR,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (dataset, theme)
);
CREATE TABLE IF NOT EXISTS settings (
    key VARCHAR PRIMARY KEY,
    value JSON NOT NULL
);
-- What a manager said about a theme's sentences in the theme editor
-- (nps_core/text/marks.py): right or wrong (a sentence the theme caught), or
-- missed (one it should catch). Keyed by the sentence's text (sentence_key:
-- md5 of the sentence, as `sentences`), not by a response, so marks hold
-- through a re-import and a re-tag. Append-only: the latest mark of a
-- (dataset, theme, sentence) is the one that counts; each is also in the audit trail.
CREATE TABLE IF NOT EXISTS theme_marks (
    mark_id BIGINT PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    theme VARCHAR NOT NULL,
    sentence_key VARCHAR NOT NULL,
    sentence VARCHAR NOT NULL,
    verdict VARCHAR NOT NULL CHECK (verdict IN ('right', 'wrong', 'missed')),
    marked_by VARCHAR NOT NULL,
    marked_at TIMESTAMP NOT NULL
);
-- Column mappings confirmed by an import, for files with the same set of
-- headers (headers_key: md5 of the sorted headers), so next month's export
-- of the same survey imports without questions (nps_core/ingest/remember.py).
-- One row per (dataset, headers_key): a new confirmation replaces the old row.
CREATE TABLE IF NOT EXISTS remembered_mappings (
    mapping_id INTEGER PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    headers_key VARCHAR NOT NULL,
    headers JSON NOT NULL,
    mapping JSON NOT NULL,
    nps_type VARCHAR,
    date_order VARCHAR NOT NULL,
    saved_at TIMESTAMP NOT NULL
);
-- the starter pack the import gave (or kept for) its dataset: the next file's import offers it again (issue 30)
ALTER TABLE remembered_mappings ADD COLUMN IF NOT EXISTS theme_pack VARCHAR;
-- Who did what (nps_core/audit.py): append-only, the engine only ever inserts.
CREATE TABLE IF NOT EXISTS audit_log (
    event_id BIGINT PRIMARY KEY,
    logged_at TIMESTAMP NOT NULL,
    identity VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    dataset VARCHAR,
    detail VARCHAR
);
-- The Verbatims index (db/comment_index.py): responses with a comment per day
-- (`responded_at` at midnight) × type × score × text, the distinct texts, and
-- the datasets whose index is complete.
CREATE TABLE IF NOT EXISTS comment_days (
    dataset VARCHAR NOT NULL,
    responded_at TIMESTAMP NOT NULL,
    nps_type VARCHAR NOT NULL,
    score TINYINT NOT NULL,
    comment_key VARCHAR NOT NULL,
    n BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS comment_texts (
    dataset VARCHAR NOT NULL,
    comment_key VARCHAR NOT NULL,
    comment VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS comment_indexed (
    dataset VARCHAR PRIMARY KEY
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


# the tables SCHEMA creates and the columns it adds to them later: a database made by an
# older version lacks some
TABLES = tuple(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", SCHEMA))
ADDED_COLUMNS = tuple(".".join(m) for m in re.findall(r"ALTER TABLE (\w+) ADD COLUMN IF NOT EXISTS (\w+)", SCHEMA))


