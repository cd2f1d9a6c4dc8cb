-- Indicators of loaded documents with their project's key, name and scope.

with

indicators as (

    select * from {{ ref('stg_landing__indicators') }}

),

projects as (

    select * from {{ ref('int_performance_projects') }}

),

final as (

    select
        {{ fiscal_key(['indicators.document_id', 'indicators.project_seq', 'indicators.indicator_seq']) }}
            as indicator_key,
        projects.project_key,
        projects.scope,
        projects.project_name,
        projects.fiscal_year,
        projects.entity_name,
        projects.stage,
        projects.printed_unit,
        indicators.*

    from indicators
    inner join projects
        on indicators.document_id = projects.document_id
        and indicators.project_seq = projects.project_seq

)

select * from final
