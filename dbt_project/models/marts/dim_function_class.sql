-- One row per 支出功能分类 code printed in a loaded document (income and expenditure tables).

with

codes as (

    select * from {{ ref('int_classification_codes') }}
    where classification = 'function'

),

final as (

    select
        code as function_code,
        level,
        name,
        parent_code,
        name_variant_count,
        document_count,
        first_fiscal_year,
        last_fiscal_year

    from codes

)

select * from final
