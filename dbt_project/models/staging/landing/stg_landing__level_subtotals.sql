with

source as (

    select * from {{ source('landing', 'level_subtotals') }}

),

renamed as (

    select
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(project_seq as {{ dbt.type_int() }}) as project_seq,
        cast(table_id as {{ dbt.type_int() }}) as table_id,
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(source_page as {{ dbt.type_int() }}) as source_page,
        cast(source_row as {{ dbt.type_int() }}) as source_row,
        cast(level1 as {{ dbt.type_string() }}) as level1,
        cast(printed_in as {{ dbt.type_string() }}) as printed_in,
        cast(weight as {{ amount_type() }}) as weight,
        cast(score as {{ amount_type() }}) as score,
        cast(extractor_version as {{ dbt.type_string() }}) as extractor_version

    from source

)

select * from renamed
