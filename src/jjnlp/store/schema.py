"""The store's tables, the same in both backends, as numbered migrations.

Each migration is a list of statements with placeholders the backend fills in: ``{id}``
(an auto-numbered primary key), ``{big}`` (a 64-bit integer) and ``{cascade}`` (what drops
a column with the objects built on it). A backend may add its own
statements for a version (the full-text structures differ); ``meta.schema_version`` records
the last one applied, and every migration runs in one transaction.
"""

from __future__ import annotations

SCHEMA_VERSION = 3


# values kept for filters and sorting as integers of millionths (exact for up to six
# places; the exact decimal is kept beside as text)
SCALE = 1_000_000

MIGRATIONS: dict[int, list[str]] = {
    1: [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "INSERT INTO meta (key, value) VALUES ('generation', '0')",
        """CREATE TABLE documents (
            id {id},
            sha256 TEXT NOT NULL UNIQUE,
            file TEXT NOT NULL,
            format TEXT NOT NULL,
            title TEXT NOT NULL,
            unit TEXT, level TEXT, parent TEXT, kind TEXT NOT NULL,
            period TEXT, period_start TEXT, period_end TEXT,
            issuer TEXT, addressee TEXT,
            version TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            superseded_by {big},
            errors INTEGER NOT NULL, warnings INTEGER NOT NULL, infos INTEGER NOT NULL,
            flat_length INTEGER NOT NULL,
            flat TEXT NOT NULL,
            text TEXT NOT NULL,
            words TEXT NOT NULL,
            detail TEXT NOT NULL
        )""",
        "CREATE INDEX documents_unit ON documents (unit, period_end)",
        "CREATE INDEX documents_parent ON documents (parent, period_end)",
        "CREATE INDEX documents_kind ON documents (kind, period_end)",
        "CREATE INDEX documents_level ON documents (level)",
        "CREATE INDEX documents_period ON documents (period_end, id)",
        "CREATE INDEX documents_version ON documents (unit, kind, period)",
        "CREATE INDEX documents_period_name ON documents (period)",
        "CREATE INDEX documents_flagged ON documents ((errors + warnings))",
        "CREATE INDEX documents_superseded ON documents (superseded_by)",
        # covering index of the corpus statistics BM25 needs (count, total length)
        "CREATE INDEX documents_flat_length ON documents (flat_length)",
        """CREATE TABLE sections (
            doc_id {big} NOT NULL, ordinal INTEGER NOT NULL, level INTEGER NOT NULL,
            number TEXT NOT NULL, title TEXT NOT NULL, start_at INTEGER NOT NULL,
            end_at INTEGER NOT NULL
        )""",
        "CREATE INDEX sections_doc ON sections (doc_id)",
        """CREATE TABLE metrics (
            doc_id {big} NOT NULL, ordinal INTEGER NOT NULL,
            indicator TEXT NOT NULL, value TEXT NOT NULL, value_key {big} NOT NULL,
            measure TEXT NOT NULL, stated_unit TEXT NOT NULL, text TEXT NOT NULL,
            kind TEXT NOT NULL, period TEXT, period_start TEXT, period_end TEXT, scope TEXT,
            sentence TEXT NOT NULL, start_at INTEGER NOT NULL, end_at INTEGER NOT NULL,
            approx INTEGER NOT NULL, comparison INTEGER NOT NULL, part INTEGER NOT NULL
        )""",
        "CREATE INDEX metrics_doc ON metrics (doc_id)",
        "CREATE INDEX metrics_indicator ON metrics (indicator, value_key)",
        "CREATE INDEX metrics_measure ON metrics (measure, value_key)",
        """CREATE TABLE entities (
            doc_id {big} NOT NULL, label TEXT NOT NULL, text TEXT NOT NULL,
            start_at INTEGER NOT NULL, end_at INTEGER NOT NULL, person TEXT, unit TEXT
        )""",
        "CREATE INDEX entities_doc ON entities (doc_id)",
        "CREATE INDEX entities_text ON entities (text, doc_id)",
        "CREATE INDEX entities_person ON entities (person, doc_id)",
        """CREATE TABLE cases (
            id {id}, doc_id {big} NOT NULL, ordinal INTEGER NOT NULL, number TEXT NOT NULL,
            headline TEXT NOT NULL, person TEXT, position TEXT, unit TEXT, category TEXT,
            discipline TEXT, conduct TEXT, party_sanction TEXT, admin_sanction TEXT,
            treatments TEXT NOT NULL, transferred INTEGER NOT NULL, recovered INTEGER NOT NULL,
            form INTEGER, amount TEXT, amount_key {big},
            start_at INTEGER NOT NULL, end_at INTEGER NOT NULL
        )""",
        "CREATE INDEX cases_doc ON cases (doc_id)",
        "CREATE INDEX cases_category ON cases (category, amount_key)",
        "CREATE INDEX cases_amount ON cases (amount_key)",
        "CREATE INDEX cases_form ON cases (form)",
        """CREATE TABLE case_people (
            case_id {big} NOT NULL, doc_id {big} NOT NULL, ordinal INTEGER NOT NULL,
            name TEXT NOT NULL, position TEXT, unit TEXT, level TEXT,
            party_sanction TEXT, admin_sanction TEXT, treatments TEXT NOT NULL,
            transferred INTEGER NOT NULL
        )""",
        "CREATE INDEX case_people_case ON case_people (case_id)",
        "CREATE INDEX case_people_doc ON case_people (doc_id)",
        "CREATE INDEX case_people_level ON case_people (level, case_id)",
        "CREATE INDEX case_people_party ON case_people (party_sanction, case_id)",
        "CREATE INDEX case_people_admin ON case_people (admin_sanction, case_id)",
        """CREATE TABLE case_amounts (
            case_id {big} NOT NULL, doc_id {big} NOT NULL, text TEXT NOT NULL,
            value TEXT NOT NULL, value_key {big} NOT NULL,
            start_at INTEGER NOT NULL, end_at INTEGER NOT NULL
        )""",
        "CREATE INDEX case_amounts_case ON case_amounts (case_id)",
        "CREATE INDEX case_amounts_doc ON case_amounts (doc_id)",
        """CREATE TABLE problems (
            id {id}, doc_id {big} NOT NULL, ordinal INTEGER NOT NULL, text TEXT NOT NULL,
            headline TEXT NOT NULL, labels TEXT NOT NULL,
            start_at INTEGER NOT NULL, end_at INTEGER NOT NULL
        )""",
        "CREATE INDEX problems_doc ON problems (doc_id)",
        """CREATE TABLE categories (
            doc_id {big} NOT NULL, category TEXT NOT NULL, PRIMARY KEY (doc_id, category)
        )""",
        "CREATE INDEX categories_category ON categories (category, doc_id)",
        """CREATE TABLE findings (
            doc_id {big} NOT NULL, ordinal INTEGER NOT NULL, fingerprint TEXT NOT NULL,
            rule TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL,
            text TEXT NOT NULL, sentence TEXT NOT NULL, start_at INTEGER NOT NULL,
            end_at INTEGER NOT NULL, line INTEGER NOT NULL, page INTEGER,
            paragraph INTEGER NOT NULL, stated TEXT, expected TEXT, indicator TEXT
        )""",
        "CREATE INDEX findings_doc ON findings (doc_id)",
        "CREATE INDEX findings_rule ON findings (rule, doc_id)",
        "CREATE INDEX findings_fingerprint ON findings (fingerprint)",
        "CREATE INDEX findings_severity ON findings (severity, doc_id)",
        """CREATE TABLE reviews (
            fingerprint TEXT PRIMARY KEY, status TEXT NOT NULL, note TEXT NOT NULL,
            reviewer TEXT, updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE api_keys (
            id {id}, prefix TEXT NOT NULL UNIQUE, salt TEXT NOT NULL, hash TEXT NOT NULL,
            role TEXT NOT NULL, label TEXT NOT NULL, created_at TEXT NOT NULL,
            revoked_at TEXT
        )""",
        """CREATE TABLE access_log (
            id {id}, at TEXT NOT NULL, key_id {big}, role TEXT, method TEXT NOT NULL,
            endpoint TEXT NOT NULL, query TEXT NOT NULL, status INTEGER NOT NULL,
            results INTEGER
        )""",
        "CREATE INDEX access_log_at ON access_log (at)",
    ],
    # the long columns move to a table of their own: a row of documents is then a few
    # hundred bytes, and a filter or a join that reads thousands of them reads a few pages
    # instead of one each; the figure and case indexes hold the document (and the figure's
    # order): a range or a category is read from the index alone, not from the rows
    2: [
        """CREATE TABLE document_texts (
            doc_id {big} PRIMARY KEY,
            flat TEXT NOT NULL,
            text TEXT NOT NULL,
            words TEXT NOT NULL,
            detail TEXT NOT NULL
        )""",
        "INSERT INTO document_texts (doc_id, flat, text, words, detail)"
        " SELECT id, flat, text, words, detail FROM documents",
        "ALTER TABLE documents DROP COLUMN flat{cascade}",
        "ALTER TABLE documents DROP COLUMN text{cascade}",
        "ALTER TABLE documents DROP COLUMN words{cascade}",
        "ALTER TABLE documents DROP COLUMN detail{cascade}",
        "DROP INDEX metrics_indicator",
        "DROP INDEX metrics_measure",
        "CREATE INDEX metrics_indicator ON metrics (indicator, value_key, doc_id, ordinal)",
        "CREATE INDEX metrics_measure ON metrics (measure, value_key, doc_id, ordinal)",
        "DROP INDEX cases_category",
        "DROP INDEX cases_amount",
        "CREATE INDEX cases_category ON cases (category, amount_key, doc_id)",
        "CREATE INDEX cases_amount ON cases (amount_key, doc_id)",
    ],
    3: [],  # SQLite's substring index: its own migration
}

# the tables that hold a document's rows (deleted with it, in this order)
DOCUMENT_TABLES = (
    "document_texts",
    "sections",
    "metrics",
    "entities",
    "case_amounts",
    "case_people",
    "cases",
    "problems",
    "categories",
    "findings",
)
