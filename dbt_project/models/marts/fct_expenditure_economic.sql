-- Expenditure by economic class: document × economic code (or total line) × fund source; each fact once.

with

stored as (

    select * from {{ ref('int_expenditure_economic_ranked') }}
    where printing_rank = 1

),

final as (

    select
        -- common columns
        {{ fact_common_columns() }}

        -- key columns
        economic_code,
        code_level as economic_level,
        economic_name,
        category,
        line_item,
        expenditure_type,
        fund_source,
        amount_basis,
        unit_code,
        unit_name,

        -- amount and provenance
        {{ fact_amount_and_provenance_columns() }}

    from stored

)

select * from final
