with

source as (

    select * from {{ source('landing', 'documents') }}

),

renamed as (

    select
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(file_format as {{ dbt.type_string() }}) as file_format,
        cast(byte_size as {{ dbt.type_bigint() }}) as byte_size,
        cast(page_count as {{ dbt.type_int() }}) as page_count,
        cast(doc_type as {{ dbt.type_string() }}) as doc_type,
        cast(fiscal_year as {{ dbt.type_int() }}) as fiscal_year,
        cast(entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(entity_key as {{ dbt.type_string() }}) as entity_key,
        cast(entity_level as {{ dbt.type_string() }}) as entity_level,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(printed_unit as {{ dbt.type_string() }}) as printed_unit,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(rejection_reason as {{ dbt.type_string() }}) as rejection_reason,
        cast(extractor_version as {{ dbt.type_string() }}) as extractor_version,
        cast(table_count as {{ dbt.type_int() }}) as table_count,
        cast(amount_count as {{ dbt.type_int() }}) as amount_count,
        cast(printed_amount_count as {{ dbt.type_int() }}) as printed_amount_count,
        cast(landed_printed_count as {{ dbt.type_int() }}) as landed_printed_count,
        cast(parse_seconds as {{ ratio_type() }}) as parse_seconds

    from source

)

select * from renamed
