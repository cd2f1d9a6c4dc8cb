-- Funding lines of loaded documents with their project's key and name.

with

funding as (

    select * from {{ ref('stg_landing__project_funding') }}

),

projects as (

    select * from {{ ref('int_performance_projects') }}

),

final as (

    select
        {{ fiscal_key(['funding.document_id', 'funding.project_seq', 'funding.source_row']) }} as fact_key,
        {{ project_context_columns() }}
        funding.*

    from funding
    inner join projects
        on funding.document_id = projects.document_id
        and funding.project_seq = projects.project_seq

)

select * from final
