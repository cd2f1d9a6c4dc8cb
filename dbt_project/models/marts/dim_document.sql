-- One row per distinct document (by content), loaded or rejected, current, superseded by a later revision
-- or held back because it reads much less than an earlier one (not_current_reason).

with

documents as (

    select * from {{ ref('int_documents_enriched') }}

),

final as (

    select
        document_id,
        source_file,
        file_format,
        byte_size,
        doc_type,
        stage,
        fiscal_year,
        entity_name,
        entity_key,
        entity_level,
        region,
        page_count,
        printed_unit,
        status,
        rejection_reason,
        is_current,
        superseded_by,
        not_current_reason,
        reads_less_than,
        revision_number,
        revision_count,
        first_seen_at,
        file_modified_at,
        table_count,
        amount_count,
        file_name_count,
        error_issue_count,
        warning_issue_count,
        extractor_version

    from documents

)

select * from final
