-- The landing schema: written only by pipelines/land, read by dbt sources.
CREATE SCHEMA IF NOT EXISTS landing;

CREATE TABLE IF NOT EXISTS landing.documents (
    document_id       VARCHAR PRIMARY KEY,
    source_file       VARCHAR NOT NULL,
    file_format       VARCHAR NOT NULL,
    byte_size         BIGINT NOT NULL,
    page_count        INTEGER,
    doc_type          VARCHAR,
    fiscal_year       INTEGER,
    entity_name       VARCHAR,
    entity_key        VARCHAR,
    entity_level      VARCHAR,
    region            VARCHAR,
    printed_unit      VARCHAR,
    status            VARCHAR NOT NULL,
    rejection_reason  VARCHAR,
    extractor_version VARCHAR NOT NULL,
    table_count       INTEGER NOT NULL,
    amount_count      INTEGER NOT NULL,
    parse_seconds     DOUBLE
);

CREATE TABLE IF NOT EXISTS landing.document_files (
    document_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    byte_size   BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS landing.source_tables (
    document_id   VARCHAR NOT NULL,
    table_id      INTEGER NOT NULL,
    table_kind    VARCHAR NOT NULL,
    table_number  VARCHAR,
    source_table  VARCHAR NOT NULL,
    printed_title VARCHAR NOT NULL,
    printed_unit  VARCHAR NOT NULL,
    first_page    INTEGER,
    last_page     INTEGER,
    is_empty      BOOLEAN NOT NULL,
    row_count     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS landing.amounts (
    document_id       VARCHAR NOT NULL,
    table_id          INTEGER NOT NULL,
    table_kind        VARCHAR NOT NULL,
    source_table      VARCHAR NOT NULL,
    source_page       INTEGER,
    source_row        INTEGER NOT NULL,
    source_column     INTEGER NOT NULL,
    row_label         VARCHAR,
    column_label      VARCHAR,
    fact_kind         VARCHAR,
    function_code     VARCHAR,
    function_name     VARCHAR,
    economic_code     VARCHAR,
    economic_name     VARCHAR,
    line_item         VARCHAR,
    income_source     VARCHAR,
    expenditure_type  VARCHAR,
    fund_source       VARCHAR,
    category          VARCHAR,
    three_public_item VARCHAR,
    amount_basis      VARCHAR,
    unit_code         VARCHAR,
    unit_name         VARCHAR,
    raw_text          VARCHAR NOT NULL,
    amount            DECIMAL(20, 6),
    value_state       VARCHAR NOT NULL,
    printed_decimals  INTEGER,
    printed_unit      VARCHAR NOT NULL,
    bbox              VARCHAR,
    extractor_version VARCHAR NOT NULL,
    extraction_method VARCHAR
);

-- added after the first release: warehouses created before it get the column here
ALTER TABLE landing.amounts ADD COLUMN IF NOT EXISTS extraction_method VARCHAR;

CREATE TABLE IF NOT EXISTS landing.extraction_issues (
    document_id VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL,
    table_id    INTEGER,
    source_page INTEGER,
    issue       VARCHAR NOT NULL,
    message     VARCHAR NOT NULL
);
