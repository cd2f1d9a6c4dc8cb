with

source as (

    select * from {{ source('history', 'documents_seen') }}

),

renamed as (

    select
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(first_seen_at as {{ dbt.type_timestamp() }}) as first_seen_at,
        cast(file_modified_at as {{ dbt.type_timestamp() }}) as file_modified_at

    from source

)

select * from renamed
