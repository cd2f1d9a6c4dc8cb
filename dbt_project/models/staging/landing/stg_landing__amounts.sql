with

source as (

    select * from {{ source('landing', 'amounts') }}

),

renamed as (

    select
        -- keys and provenance
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(table_id as {{ dbt.type_int() }}) as table_id,
        cast(table_kind as {{ dbt.type_string() }}) as table_kind,
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(source_page as {{ dbt.type_int() }}) as source_page,
        cast(source_row as {{ dbt.type_int() }}) as source_row,
        cast(source_column as {{ dbt.type_int() }}) as source_column,
        cast(row_label as {{ dbt.type_string() }}) as row_label,
        cast(column_label as {{ dbt.type_string() }}) as column_label,

        -- what the amount is
        cast(fact_kind as {{ dbt.type_string() }}) as fact_kind,
        cast(function_code as {{ dbt.type_string() }}) as function_code,
        cast(function_name as {{ dbt.type_string() }}) as function_name,
        cast(economic_code as {{ dbt.type_string() }}) as economic_code,
        cast(economic_name as {{ dbt.type_string() }}) as economic_name,
        cast(line_item as {{ dbt.type_string() }}) as line_item,
        cast(income_source as {{ dbt.type_string() }}) as income_source,
        cast(expenditure_type as {{ dbt.type_string() }}) as expenditure_type,
        cast(fund_source as {{ dbt.type_string() }}) as fund_source,
        cast(category as {{ dbt.type_string() }}) as category,
        cast(three_public_item as {{ dbt.type_string() }}) as three_public_item,
        cast(amount_basis as {{ dbt.type_string() }}) as amount_basis,
        cast(unit_code as {{ dbt.type_string() }}) as unit_code,
        cast(unit_name as {{ dbt.type_string() }}) as unit_name,

        -- the amount
        cast(raw_text as {{ dbt.type_string() }}) as raw_text,
        cast(amount as {{ amount_type() }}) as amount,
        cast(value_state as {{ dbt.type_string() }}) as value_state,
        cast(printed_decimals as {{ dbt.type_int() }}) as printed_decimals,
        cast(printed_unit as {{ dbt.type_string() }}) as printed_unit,
        cast(bbox as {{ dbt.type_string() }}) as bbox,
        cast(coalesce(extraction_method, 'pdf_ruled') as {{ dbt.type_string() }}) as extraction_method,
        cast(extractor_version as {{ dbt.type_string() }}) as extractor_version

    from source

)

select * from renamed
