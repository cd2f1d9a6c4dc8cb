-- When landing first held each document (content). Its own schema, so that it outlives the document's
-- landing rows (a landing rebuilt, a file removed and added back): of two revisions of a document, the
-- later stays the later (dbt int_documents_enriched). Rows are added, never changed or deleted.
-- Kept apart from schema.sql: creating it never touches landing, so a build that only runs dbt can ensure it.
CREATE SCHEMA IF NOT EXISTS history;

CREATE TABLE IF NOT EXISTS history.documents_seen (
    document_id      VARCHAR PRIMARY KEY,
    first_seen_at    TIMESTAMP NOT NULL,  -- UTC time of the run that first landed these bytes
    file_modified_at TIMESTAMP            -- earliest modification time (UTC) of its files at that time
);
