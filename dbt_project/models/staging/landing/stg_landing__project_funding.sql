with

source as (

    select * from {{ source('landing', 'project_funding') }}

),

renamed as (

    select
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        cast(project_seq as {{ dbt.type_int() }}) as project_seq,
        cast(table_id as {{ dbt.type_int() }}) as table_id,
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(source_page as {{ dbt.type_int() }}) as source_page,
        cast(source_row as {{ dbt.type_int() }}) as source_row,
        cast(funding_line as {{ dbt.type_string() }}) as funding_line,
        cast(row_label as {{ dbt.type_string() }}) as row_label,
        cast(raw_text as {{ dbt.type_string() }}) as raw_text,
        cast(budget_initial as {{ amount_type() }}) as budget_initial,
        cast(budget_adjustment as {{ amount_type() }}) as budget_adjustment,
        cast(budget_full_year as {{ amount_type() }}) as budget_full_year,
        cast(budget_period as {{ amount_type() }}) as budget_period,
        cast(disbursed as {{ amount_type() }}) as disbursed,
        cast(received as {{ amount_type() }}) as received,
        cast(executed as {{ amount_type() }}) as executed,
        cast(balance as {{ amount_type() }}) as balance,
        cast(unit_balance as {{ amount_type() }}) as unit_balance,
        cast(balance_rate as {{ amount_type() }}) as balance_rate,
        cast(execution_rate as {{ amount_type() }}) as execution_rate,
        cast(weight as {{ amount_type() }}) as weight,
        cast(score as {{ amount_type() }}) as score,
        cast(printed_decimals as {{ dbt.type_int() }}) as printed_decimals,
        cast(extractor_version as {{ dbt.type_string() }}) as extractor_version

    from source

)

select * from renamed
