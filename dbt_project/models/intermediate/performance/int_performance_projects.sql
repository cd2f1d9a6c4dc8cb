-- Projects (and department-wide evaluations) of loaded documents, keyed, with the document's context.

with

projects as (

    select * from {{ ref('stg_landing__projects') }}

),

loaded_documents as (

    select * from {{ ref('int_documents_enriched') }}
    where status = 'loaded' and is_current

),

source_tables as (

    select * from {{ ref('stg_landing__source_tables') }}

),

final as (

    select
        {{ fiscal_key(['projects.document_id', 'projects.project_seq']) }} as project_key,
        projects.document_id,
        projects.project_seq,
        projects.table_id,
        projects.table_kind,
        projects.scope,
        projects.source_table,
        projects.source_page,
        projects.source_row,
        coalesce(projects.project_name, projects.source_table) as project_name,
        projects.department,
        projects.implementing_unit,
        projects.budget_code,
        projects.function_subject,
        projects.category,
        projects.continuity,
        projects.period,
        projects.goal_text,
        projects.goal_result_text,
        projects.nominal_total_weight,
        projects.printed_total_weight,
        projects.printed_total_score,
        projects.total_source_row,
        projects.grade,
        loaded_documents.fiscal_year,
        loaded_documents.entity_name,
        loaded_documents.entity_key,
        loaded_documents.stage,
        source_tables.printed_unit

    from projects
    inner join loaded_documents
        on projects.document_id = loaded_documents.document_id
    left join source_tables
        on projects.document_id = source_tables.document_id
        and projects.table_id = source_tables.table_id

)

select * from final
