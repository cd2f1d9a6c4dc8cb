-- 三公 expenditure: document × 三公 item (× fund source, amount basis); each fact once.

with

stored as (

    select * from {{ ref('int_three_public_ranked') }}
    where printing_rank = 1

),

final as (

    select
        -- common columns
        {{ fact_common_columns() }}

        -- key columns
        three_public_item as item,
        fund_source,
        amount_basis,
        unit_code,
        unit_name,

        -- amount and provenance
        {{ fact_amount_and_provenance_columns() }}

    from stored

)

select * from final
