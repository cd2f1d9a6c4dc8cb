/*
    One row per classification × code printed in a loaded document (功能分类 and 经济分类 alike).
    name: the printed name used by the most documents, then the most printings, then the shortest,
    then the first in sort order (deterministic; names change between years, codes are the key).
*/

with

printed as (

    select
        classification,
        code,
        case when classification = 'function' then function_name else economic_name end as name,
        document_id,
        fiscal_year

    from {{ ref('int_amounts_printed') }}
    where classification is not null
        and code is not null

),

classification_levels as (

    select * from {{ ref('classification_levels') }}

),

codes as (

    select
        classification,
        code,
        count(distinct document_id) as document_count,
        min(fiscal_year) as first_fiscal_year,
        max(fiscal_year) as last_fiscal_year

    from printed
    group by classification, code

),

names as (

    select
        classification,
        code,
        name,
        count(distinct document_id) as name_document_count,
        count(*) as name_printing_count

    from printed
    where name is not null and name <> ''
    group by classification, code, name

),

ranked_names as (

    select
        classification,
        code,
        name,
        row_number() over (
            partition by classification, code
            order by name_document_count desc, name_printing_count desc, {{ dbt.length('name') }}, name
        ) as name_rank,
        count(*) over (partition by classification, code) as name_variant_count

    from names

),

final as (

    select
        codes.classification,
        codes.code,
        classification_levels.level,
        ranked_names.name,
        case
            when classification_levels.parent_code_length is not null
                then substr(codes.code, 1, classification_levels.parent_code_length)
        end as parent_code,
        coalesce(ranked_names.name_variant_count, 0) as name_variant_count,
        codes.document_count,
        codes.first_fiscal_year,
        codes.last_fiscal_year

    from codes
    left join classification_levels
        on codes.classification = classification_levels.classification
        and {{ dbt.length('codes.code') }} = classification_levels.code_length
    left join ranked_names
        on codes.classification = ranked_names.classification
        and codes.code = ranked_names.code
        and ranked_names.name_rank = 1

)

select * from final
