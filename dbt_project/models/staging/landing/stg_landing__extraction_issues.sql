with

source as (

    select * from {{ source('landing', 'extraction_issues') }}

),

renamed as (

    select
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(severity as {{ dbt.type_string() }}) as severity,
        cast(table_id as {{ dbt.type_int() }}) as table_id,
        cast(source_page as {{ dbt.type_int() }}) as source_page,
        cast(issue as {{ dbt.type_string() }}) as issue,
        cast(message as {{ dbt.type_string() }}) as message

    from source

)

select * from renamed
