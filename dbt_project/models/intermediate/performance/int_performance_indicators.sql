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
            as fact_key,
        {{ project_context_columns() }}
        indicators.*

    from indicators
    inner join projects
        on indicators.document_id = projects.document_id
        and indicators.project_seq = projects.project_seq

)

select * from final
