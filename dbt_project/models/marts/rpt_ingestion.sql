/*
    One row per document of the last refresh: what was read, found, landed, stored and checked.
    The operational view of the warehouse (issue: observability); analysts find here why a document
    has no facts (rejected, no table found, every amount a second printing …).
*/

with

documents as (

    select * from {{ ref('int_documents_enriched') }}

),

facts as (

    select document_id, count(*) as fact_count from {{ ref('fct_income') }} group by document_id
    union all
    select document_id, count(*) from {{ ref('fct_expenditure_function') }} group by document_id
    union all
    select document_id, count(*) from {{ ref('fct_expenditure_economic') }} group by document_id
    union all
    select document_id, count(*) from {{ ref('fct_three_public') }} group by document_id

),

fact_counts as (

    select document_id, sum(fact_count) as fact_count
    from facts
    group by document_id

),

checks as (

    select
        document_id,
        sum(case when status = 'pass' then 1 else 0 end) as checks_pass,
        sum(case when status = 'rounding' then 1 else 0 end) as checks_rounding,
        sum(case when status = 'fail' then 1 else 0 end) as checks_fail,
        sum(case when status = 'insufficient_data' then 1 else 0 end) as checks_insufficient_data

    from {{ ref('rpt_reconciliation') }}
    group by document_id

),

final as (

    select
        documents.document_id,
        documents.source_file,
        documents.file_name_count,
        documents.file_format,
        documents.doc_type,
        documents.fiscal_year,
        documents.entity_name,
        documents.status,
        documents.rejection_reason,
        documents.is_current,
        documents.superseded_by,
        documents.not_current_reason,
        documents.page_count,
        documents.table_count,
        documents.amount_count,
        documents.printed_amount_count as amounts_printed_on_table_pages,
        documents.landed_printed_count as amounts_landed_of_printed,
        case
            when documents.printed_amount_count > 0
                then round(cast(documents.landed_printed_count as {{ ratio_type() }}) / documents.printed_amount_count, 4)
        end as landed_share,
        coalesce(fact_counts.fact_count, 0) as fact_count,
        coalesce(checks.checks_pass, 0) as checks_pass,
        coalesce(checks.checks_rounding, 0) as checks_rounding,
        coalesce(checks.checks_fail, 0) as checks_fail,
        coalesce(checks.checks_insufficient_data, 0) as checks_insufficient_data,
        documents.error_issue_count,
        documents.warning_issue_count,
        documents.parse_seconds,
        documents.extractor_version

    from documents
    left join fact_counts
        on documents.document_id = fact_counts.document_id
    left join checks
        on documents.document_id = checks.document_id

)

select * from final
