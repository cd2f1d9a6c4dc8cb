with

source as (

    select * from {{ source('landing', 'projects') }}

),

renamed as (

    select
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(project_seq as {{ dbt.type_int() }}) as project_seq,
        cast(table_id as {{ dbt.type_int() }}) as table_id,
        cast(table_kind as {{ dbt.type_string() }}) as table_kind,
        cast(scope as {{ dbt.type_string() }}) as scope,
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(source_page as {{ dbt.type_int() }}) as source_page,
        cast(source_row as {{ dbt.type_int() }}) as source_row,
        cast(project_name as {{ dbt.type_string() }}) as project_name,
        cast(department as {{ dbt.type_string() }}) as department,
        cast(implementing_unit as {{ dbt.type_string() }}) as implementing_unit,
        cast(budget_code as {{ dbt.type_string() }}) as budget_code,
        cast(function_subject as {{ dbt.type_string() }}) as function_subject,
        cast(category as {{ dbt.type_string() }}) as category,
        cast(continuity as {{ dbt.type_string() }}) as continuity,
        cast(period as {{ dbt.type_string() }}) as period,
        cast(goal_text as {{ dbt.type_string() }}) as goal_text,
        cast(goal_result_text as {{ dbt.type_string() }}) as goal_result_text,
        cast(nominal_total_weight as {{ amount_type() }}) as nominal_total_weight,
        cast(printed_total_weight as {{ amount_type() }}) as printed_total_weight,
        cast(printed_total_score as {{ amount_type() }}) as printed_total_score,
        cast(total_source_row as {{ dbt.type_int() }}) as total_source_row,
        cast(grade as {{ dbt.type_string() }}) as grade,
        cast(extractor_version as {{ dbt.type_string() }}) as extractor_version

    from source

)

select * from renamed
