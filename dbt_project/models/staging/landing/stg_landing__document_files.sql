with

source as (

    select * from {{ source('landing', 'document_files') }}

),

renamed as (

    select
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(byte_size as {{ dbt.type_bigint() }}) as byte_size

    from source

)

select * from renamed
