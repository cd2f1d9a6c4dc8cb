-- Every landed document (loaded or rejected) with its stage and per-document counts.

with

documents as (

    select * from {{ ref('stg_landing__documents') }}

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
        coalesce(document_files.file_name_count, 0) as file_name_count,
        coalesce(extraction_issues.error_issue_count, 0) as error_issue_count,
        coalesce(extraction_issues.warning_issue_count, 0) as warning_issue_count

    from documents
    left join doc_type_stage
        on documents.doc_type = doc_type_stage.doc_type
    left join document_files
        on documents.document_id = document_files.document_id
    left join extraction_issues
        on documents.document_id = extraction_issues.document_id

)

select * from joined
