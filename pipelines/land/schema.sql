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
    printed_amount_count INTEGER,
    landed_printed_count INTEGER,
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

-- Performance side: one row per project (or the department as a whole) of a performance table,
-- its funding lines and its indicators. Personal data of a project header (项目负责人, 联系电话) is
-- never landed.
CREATE TABLE IF NOT EXISTS landing.projects (
    document_id          VARCHAR NOT NULL,
    project_seq          INTEGER NOT NULL,
    table_id             INTEGER NOT NULL,
    table_kind           VARCHAR NOT NULL,
    scope                VARCHAR NOT NULL,
    source_table         VARCHAR NOT NULL,
    source_page          INTEGER,
    source_row           INTEGER,
    project_name         VARCHAR,
    department           VARCHAR,
    implementing_unit    VARCHAR,
    budget_code          VARCHAR,
    function_subject     VARCHAR,
    category             VARCHAR,
    continuity           VARCHAR,
    period               VARCHAR,
    goal_text            VARCHAR,
    goal_result_text     VARCHAR,
    nominal_total_weight DECIMAL(20, 6),
    printed_total_weight DECIMAL(20, 6),
    printed_total_score  DECIMAL(20, 6),
    total_source_row     INTEGER,
    grade                VARCHAR,
    extractor_version    VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS landing.project_funding (
    document_id       VARCHAR NOT NULL,
    project_seq       INTEGER NOT NULL,
    table_id          INTEGER NOT NULL,
    source_table      VARCHAR NOT NULL,
    source_page       INTEGER,
    source_row        INTEGER NOT NULL,
    funding_line      VARCHAR NOT NULL,
    row_label         VARCHAR NOT NULL,
    raw_text          VARCHAR NOT NULL,
    budget_initial    DECIMAL(20, 6),
    budget_adjustment DECIMAL(20, 6),
    budget_full_year  DECIMAL(20, 6),
    budget_period     DECIMAL(20, 6),
    disbursed         DECIMAL(20, 6),
    received          DECIMAL(20, 6),
    executed          DECIMAL(20, 6),
    balance           DECIMAL(20, 6),
    unit_balance      DECIMAL(20, 6),
    balance_rate      DECIMAL(20, 6),
    execution_rate    DECIMAL(20, 6),
    weight            DECIMAL(20, 6),
    score             DECIMAL(20, 6),
    printed_decimals  INTEGER,
    extractor_version VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS landing.level_subtotals (
    document_id           VARCHAR NOT NULL,
    project_seq           INTEGER NOT NULL,
    table_id              INTEGER NOT NULL,
    source_table          VARCHAR NOT NULL,
    source_page           INTEGER,
    source_row            INTEGER NOT NULL,
    level1                VARCHAR NOT NULL,
    printed_in            VARCHAR NOT NULL,
    weight                DECIMAL(20, 6),
    score                 DECIMAL(20, 6),
    extractor_version     VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS landing.indicators (
    document_id           VARCHAR NOT NULL,
    project_seq           INTEGER NOT NULL,
    table_id              INTEGER NOT NULL,
    source_table          VARCHAR NOT NULL,
    source_page           INTEGER,
    source_row            INTEGER NOT NULL,
    indicator_seq         INTEGER NOT NULL,
    level1                VARCHAR,
    level2                VARCHAR,
    level3                VARCHAR,
    level1_weight         DECIMAL(20, 6),
    level2_weight         DECIMAL(20, 6),
    explanation           VARCHAR,
    criterion             VARCHAR,
    target_text           VARCHAR,
    actual_text           VARCHAR,
    period_target_text    VARCHAR,
    half_year_target_text VARCHAR,
    full_year_target_text VARCHAR,
    weight                DECIMAL(20, 6),
    score                 DECIMAL(20, 6),
    deduction             DECIMAL(20, 6),
    deviation_note        VARCHAR,
    target_operator       VARCHAR,
    target_value          DOUBLE,
    target_unit           VARCHAR,
    actual_value          DOUBLE,
    actual_unit           VARCHAR,
    achieved              BOOLEAN,
    extractor_version     VARCHAR NOT NULL
);
