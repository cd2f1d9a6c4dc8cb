-- Expenditure by function: document × function code × expenditure type × fund source; each fact once.

with

stored as (

    select * from {{ ref('int_expenditure_function_ranked') }}
    where printing_rank = 1

),

final as (

    select
        fact_key as fact_id,

        -- common columns
        document_id,
        fiscal_year,
        entity_name,
        stage,
        source_table,
        source_page,
        source_row,
        printed_unit,

        -- key columns
        function_code,
        code_level as function_level,
        function_name,
        line_item,
        expenditure_type,
        fund_source,
        amount_basis,
        unit_code,

        -- amount
        cast(amount as {{ amount_type() }}) as amount,

        -- provenance
        table_id,
        table_kind,
        source_column,
        row_label,
        column_label,
        raw_text,
        bbox,
        extractor_version,
        printing_count

    from stored

)

select * from final
