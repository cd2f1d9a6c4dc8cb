with

source as (

    select * from {{ source('landing', 'indicators') }}

),

renamed as (

    select
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(project_seq as {{ dbt.type_int() }}) as project_seq,
        cast(table_id as {{ dbt.type_int() }}) as table_id,
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(source_page as {{ dbt.type_int() }}) as source_page,
        cast(source_row as {{ dbt.type_int() }}) as source_row,
        cast(indicator_seq as {{ dbt.type_int() }}) as indicator_seq,
        cast(level1 as {{ dbt.type_string() }}) as level1,
        cast(level2 as {{ dbt.type_string() }}) as level2,
        cast(level3 as {{ dbt.type_string() }}) as level3,
        cast(level1_weight as {{ amount_type() }}) as level1_weight,
        cast(level2_weight as {{ amount_type() }}) as level2_weight,
        cast(explanation as {{ dbt.type_string() }}) as explanation,
        cast(criterion as {{ dbt.type_string() }}) as criterion,
        cast(target_text as {{ dbt.type_string() }}) as target_text,
        cast(actual_text as {{ dbt.type_string() }}) as actual_text,
        cast(period_target_text as {{ dbt.type_string() }}) as period_target_text,
        cast(half_year_target_text as {{ dbt.type_string() }}) as half_year_target_text,
        cast(full_year_target_text as {{ dbt.type_string() }}) as full_year_target_text,
        cast(weight as {{ amount_type() }}) as weight,
        cast(score as {{ amount_type() }}) as score,
        cast(deduction as {{ amount_type() }}) as deduction,
        cast(deviation_note as {{ dbt.type_string() }}) as deviation_note,
        cast(target_operator as {{ dbt.type_string() }}) as target_operator,
        cast(target_value as {{ ratio_type() }}) as target_value,
        cast(target_unit as {{ dbt.type_string() }}) as target_unit,
        cast(actual_value as {{ ratio_type() }}) as actual_value,
        cast(actual_unit as {{ dbt.type_string() }}) as actual_unit,
        cast(achieved as {{ dbt.type_boolean() }}) as achieved,
        cast(extractor_version as {{ dbt.type_string() }}) as extractor_version

    from source

)

select * from renamed
