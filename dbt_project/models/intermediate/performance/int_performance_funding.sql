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
        {{ fiscal_key(['funding.document_id', 'funding.project_seq', 'funding.source_row']) }} as funding_key,
        projects.project_key,
        projects.scope,
        projects.project_name,
        projects.fiscal_year,
        projects.entity_name,
        projects.stage,
        projects.printed_unit,
        funding.*

    from funding
    inner join projects
        on funding.document_id = projects.document_id
        and funding.project_seq = projects.project_seq

)

select * from final
