/*
    One row per 支出经济分类 code printed in a loaded document. category: the most frequent
    category of the code's printings (landed, else seed economic_class_category).
*/

with

codes as (

    select * from {{ ref('int_classification_codes') }}
    where classification = 'economic'

),

printed as (

    select * from {{ ref('int_amounts_printed') }}
    where classification = 'economic'
        and economic_code is not null
        and category is not null

),

categories as (

    select
        economic_code,
        category,
        row_number() over (partition by economic_code order by count(*) desc, category) as category_rank

    from printed
    group by economic_code, category

),

final as (

    select
        codes.code as economic_code,
        codes.level,
        codes.name,
        codes.parent_code,
        categories.category,
        codes.name_variant_count,
        codes.document_count,
        codes.first_fiscal_year,
        codes.last_fiscal_year

    from codes
    left join categories
        on codes.code = categories.economic_code
        and categories.category_rank = 1

)

select * from final
