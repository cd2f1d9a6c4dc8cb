/*
    One row per 支出功能分类 code printed in a loaded document (income and expenditure tables).
    name: the printed name used by the most documents, then the most printings, then the shortest,
    then the first in sort order (deterministic; names change between years, codes are the key).
*/

with

printed as (

    select
        function_code,
        function_name,
        document_id,
        fiscal_year

    from {{ ref('int_amounts_printed') }}
    where classification = 'function'
        and function_code is not null

),

classification_levels as (

    select * from {{ ref('classification_levels') }}
    where classification = 'function'

),

codes as (

    select
        function_code,
        count(distinct document_id) as document_count,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year

    from printed
    group by function_code

),

names as (

    select
        function_code,
        function_name,
        count(distinct document_id) as name_document_count,
        count(*) as name_printing_count

    from printed
    where function_name is not null and function_name <> ''
    group by function_code, function_name

),

ranked_names as (

    select
        function_code,
        function_name,
        row_number() over (
            partition by function_code
            order by
                name_document_count desc,
                name_printing_count desc,
                {{ dbt.length('function_name') }},
                function_name
        ) as name_rank,
        count(*) over (partition by function_code) as name_variant_count

    from names

),

final as (

    select
        codes.function_code,
        classification_levels.level,
        ranked_names.function_name as name,
        case
            when classification_levels.parent_code_length is not null
                then substr(codes.function_code, 1, classification_levels.parent_code_length)
        end as parent_code,
        coalesce(ranked_names.name_variant_count, 0) as name_variant_count,
        codes.document_count,
        codes.first_fiscal_year,
        codes.last_fiscal_year

    from codes
    left join classification_levels
        on {{ dbt.length('codes.function_code') }} = classification_levels.code_length
    left join ranked_names
        on codes.function_code = ranked_names.function_code
        and ranked_names.name_rank = 1

)

select * from final
