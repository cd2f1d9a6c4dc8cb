/*
    One row per 支出经济分类 code printed in a loaded document.
    name: the printed name used by the most documents, then the most printings, then the shortest,
    then the first in sort order. category: the most frequent category of the code's printings
    (landed, else seed economic_class_category).
*/

with

printed as (

    select
        economic_code,
        economic_name,
        category,
        document_id,
        fiscal_year

    from {{ ref('int_amounts_printed') }}
    where classification = 'economic'
        and economic_code is not null

),

classification_levels as (

    select * from {{ ref('classification_levels') }}
    where classification = 'economic'

),

codes as (

    select
        economic_code,
        count(distinct document_id) as document_count,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year

    from printed
    group by economic_code

),

names as (

    select
        economic_code,
        economic_name,
        count(distinct document_id) as name_document_count,
        count(*) as name_printing_count

    from printed
    where economic_name is not null and economic_name <> ''
    group by economic_code, economic_name

),

ranked_names as (

    select
        economic_code,
        economic_name,
        row_number() over (
            partition by economic_code
            order by
                name_document_count desc,
                name_printing_count desc,
                {{ dbt.length('economic_name') }},
                economic_name
        ) as name_rank,
        count(*) over (partition by economic_code) as name_variant_count

    from names

),

categories as (

    select
        economic_code,
        category,
        row_number() over (
            partition by economic_code
            order by count(*) desc, category
        ) as category_rank

    from printed
    where category is not null
    group by economic_code, category

),

final as (

    select
        codes.economic_code,
        classification_levels.level,
        ranked_names.economic_name as name,
        case
            when classification_levels.parent_code_length is not null
                then substr(codes.economic_code, 1, classification_levels.parent_code_length)
        end as parent_code,
        categories.category,
        coalesce(ranked_names.name_variant_count, 0) as name_variant_count,
        codes.document_count,
        codes.first_fiscal_year,
        codes.last_fiscal_year

    from codes
    left join classification_levels
        on {{ dbt.length('codes.economic_code') }} = classification_levels.code_length
    left join ranked_names
        on codes.economic_code = ranked_names.economic_code
        and ranked_names.name_rank = 1
    left join categories
        on codes.economic_code = categories.economic_code
        and categories.category_rank = 1

)

select * from final
