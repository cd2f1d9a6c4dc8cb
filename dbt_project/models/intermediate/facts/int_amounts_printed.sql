/*
    Every printed amount (value or placeholder) of a loaded, current document, with the document's context,
    its classification level, source-table priority and rounding half-step. The input of both the
    fact tables (values only, via the *_ranked models) and the reconciliation checks.

    Normalisations (documented in _intermediate__models.yml):
      * amount_basis NULL → 'actual' (决算数 is the default).
      * category NULL → the category of the 3-digit class in seed economic_class_category.
*/

with

amounts as (

    select * from {{ ref('stg_landing__amounts') }}

),

loaded_documents as (

    -- current documents only: a later revision of the same document supersedes this one
    select * from {{ ref('int_documents_enriched') }}
    where status = 'loaded' and is_current

),

table_priorities as (

    select * from {{ ref('source_table_priority') }}

),

printed_units as (

    select * from {{ ref('printed_units') }}

),

classification_levels as (

    select * from {{ ref('classification_levels') }}

),

economic_class_category as (

    select * from {{ ref('economic_class_category') }}

),

normalised as (

    select
        amounts.*,
        coalesce(amounts.amount_basis, 'actual') as normalised_amount_basis,
        case
            when amounts.fact_kind in ('income', 'expenditure_function') then 'function'
            when amounts.fact_kind = 'expenditure_economic' then 'economic'
        end as classification,
        case
            when amounts.fact_kind in ('income', 'expenditure_function') then amounts.function_code
            when amounts.fact_kind = 'expenditure_economic' then amounts.economic_code
        end as code

    from amounts

),

joined as (

    select
        -- document
        normalised.document_id,
        loaded_documents.fiscal_year,
        loaded_documents.entity_name,
        loaded_documents.entity_key,
        loaded_documents.entity_level,
        loaded_documents.stage,

        -- provenance
        normalised.table_id,
        normalised.table_kind,
        coalesce(table_priorities.priority, 1000) as table_priority,
        normalised.source_table,
        normalised.source_page,
        normalised.source_row,
        normalised.source_column,
        normalised.row_label,
        normalised.column_label,
        normalised.raw_text,
        normalised.bbox,
        normalised.extraction_method,
        normalised.extractor_version,

        -- what the amount is
        normalised.fact_kind,
        normalised.classification,
        normalised.code,
        classification_levels.level as code_level,
        case
            when classification_levels.parent_code_length is not null
                then substr(normalised.code, 1, classification_levels.parent_code_length)
        end as parent_code,
        normalised.function_code,
        normalised.function_name,
        normalised.economic_code,
        normalised.economic_name,
        normalised.line_item,
        normalised.income_source,
        normalised.expenditure_type,
        coalesce(normalised.expenditure_type, normalised.income_source) as measure,
        normalised.fund_source,
        case
            when normalised.fact_kind = 'expenditure_economic'
                then coalesce(normalised.category, economic_class_category.category)
            else normalised.category
        end as category,
        normalised.three_public_item,
        normalised.normalised_amount_basis as amount_basis,
        normalised.unit_code,
        normalised.unit_name,

        -- the amount
        normalised.value_state,
        normalised.amount,
        case when normalised.value_state = 'value' then normalised.amount else 0 end as amount_for_checks,
        normalised.printed_unit,
        -- half a unit of the last printed digit: 0.005 万元 for 2 decimals, 0.5 元 for whole 元
        coalesce(printed_units.wan_yuan_per_unit, 1) * 0.5
            * power(10, -coalesce(normalised.printed_decimals, 2)) as rounding_half_step

    from normalised
    inner join loaded_documents
        on normalised.document_id = loaded_documents.document_id
    left join table_priorities
        on normalised.table_kind = table_priorities.table_kind
    left join printed_units
        on normalised.printed_unit = printed_units.printed_unit
    left join classification_levels
        on normalised.classification = classification_levels.classification
        and {{ dbt.length('normalised.code') }} = classification_levels.code_length
    left join economic_class_category
        on normalised.fact_kind = 'expenditure_economic'
        and substr(normalised.economic_code, 1, 3) = economic_class_category.economic_class_code

)

select * from joined
