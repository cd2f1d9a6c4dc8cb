with

source as (

    select * from {{ source('landing', 'source_tables') }}

),

renamed as (

    select
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(table_id as {{ dbt.type_int() }}) as table_id,
        cast(table_kind as {{ dbt.type_string() }}) as table_kind,
        cast(table_number as {{ dbt.type_string() }}) as table_number,
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(printed_title as {{ dbt.type_string() }}) as printed_title,
        cast(printed_unit as {{ dbt.type_string() }}) as printed_unit,
        cast(first_page as {{ dbt.type_int() }}) as first_page,
        cast(last_page as {{ dbt.type_int() }}) as last_page,
        cast(is_empty as {{ dbt.type_boolean() }}) as is_empty,
        cast(row_count as {{ dbt.type_int() }}) as row_count

    from source

)

select * from renamed
