/*
    Every landed document (loaded or rejected) with its stage, per-document counts, and its place
    among the revisions of the same document.

    Revisions: loaded documents with the same entity (macro revision_entity_key), fiscal year and
    doc_type are versions of one publication (a corrected re-publication has different bytes). The
    later one is the one landing saw first later (first_seen_at, from history.documents_seen, which
    outlives landing rebuilds and removals); documents first seen in the same run are ordered by
    their files' modification time then, and by document_id so that the order is total.
    Only the latest is current: the fact tables hold only current documents. A rejected document
    is never current and supersedes nothing (a broken re-download does not hide good data), and
    neither does a loaded document without tables (a 部门预算's text part).
*/

with

documents as (

    select * from {{ ref('stg_landing__documents') }}

),

documents_seen as (

    select * from {{ ref('stg_history__documents_seen') }}

),

doc_type_stage as (

    select * from {{ ref('doc_type_stage') }}

),

document_files as (

    select
        document_id,
        count(*) as file_name_count

    from {{ ref('stg_landing__document_files') }}
    group by document_id

),

extraction_issues as (

    select
        document_id,
        sum(case when severity = 'error' then 1 else 0 end) as error_issue_count,
        sum(case when severity = 'warning' then 1 else 0 end) as warning_issue_count

    from {{ ref('stg_landing__extraction_issues') }}
    group by document_id

),

joined as (

    select
        documents.document_id,
        documents.source_file,
        documents.file_format,
        documents.byte_size,
        documents.page_count,
        documents.doc_type,
        doc_type_stage.stage,
        documents.fiscal_year,
        documents.entity_name,
        documents.entity_key,
        documents.entity_level,
        documents.region,
        documents.printed_unit,
        documents.status,
        documents.rejection_reason,
        documents.extractor_version,
        documents.table_count,
        documents.amount_count,
        documents.parse_seconds,
        documents_seen.first_seen_at,
        documents_seen.file_modified_at,
        coalesce(document_files.file_name_count, 0) as file_name_count,
        coalesce(extraction_issues.error_issue_count, 0) as error_issue_count,
        coalesce(extraction_issues.warning_issue_count, 0) as warning_issue_count

    from documents
    left join documents_seen
        on documents.document_id = documents_seen.document_id
    left join doc_type_stage
        on documents.doc_type = doc_type_stage.doc_type
    left join document_files
        on documents.document_id = document_files.document_id
    left join extraction_issues
        on documents.document_id = extraction_issues.document_id

),

revision_groups as (

    select
        document_id,
        first_seen_at,
        file_modified_at,
        {{ fiscal_key([revision_entity_key(), 'fiscal_year', 'doc_type']) }} as revision_group

    from joined
    where status = 'loaded'
        -- a text part without tables (its tables published as a file of their own) is a part of
        -- the publication, not a revision of the file of tables
        and table_count > 0
        and {{ revision_entity_key() }} is not null
        and fiscal_year is not null
        and doc_type is not null

),

revisions as (

    select
        document_id,
        row_number() over (
            partition by revision_group
            order by first_seen_at nulls first, file_modified_at nulls first, document_id
        ) as revision_number,
        count(*) over (partition by revision_group) as revision_count,
        lead(document_id) over (
            partition by revision_group
            order by first_seen_at nulls first, file_modified_at nulls first, document_id
        ) as superseded_by

    from revision_groups

),

final as (

    select
        joined.*,
        case when joined.status = 'loaded' then coalesce(revisions.revision_number, 1) end as revision_number,
        case when joined.status = 'loaded' then coalesce(revisions.revision_count, 1) end as revision_count,
        joined.status = 'loaded' and revisions.superseded_by is null as is_current,
        revisions.superseded_by

    from joined
    left join revisions
        on joined.document_id = revisions.document_id

)

select * from final
