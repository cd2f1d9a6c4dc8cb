-- Expenditure by function: document × function code × expenditure type × fund source; each fact once.

with

stored as (

    select * from {{ ref('int_expenditure_function_ranked') }}
    where printing_rank = 1

),

final as (

    select
        -- common columns
        {{ fact_common_columns() }}

        -- key columns
        function_code,
        code_level as function_level,
        function_name,
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
