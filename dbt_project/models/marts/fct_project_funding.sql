-- Project funds: document × project × funding line (amounts in 万元, rates in percent).

with

funding as (

    select * from {{ ref('int_performance_funding') }}

),

final as (

    select
        -- common columns
        {{ fact_common_columns() }}

        -- key columns
        project_key,
        scope,
        project_name,
        funding_line,
        row_label,

        -- amounts (万元) and rates (%)
        cast(budget_initial as {{ amount_type() }}) as budget_initial,
        cast(budget_adjustment as {{ amount_type() }}) as budget_adjustment,
        cast(budget_full_year as {{ amount_type() }}) as budget_full_year,
        cast(budget_period as {{ amount_type() }}) as budget_period,
        cast(disbursed as {{ amount_type() }}) as disbursed,
        cast(received as {{ amount_type() }}) as received,
        cast(executed as {{ amount_type() }}) as executed,
        cast(balance as {{ amount_type() }}) as balance,
        cast(unit_balance as {{ amount_type() }}) as unit_balance,
        balance_rate,
        execution_rate,
        cast(weight as {{ ratio_type() }}) as weight,
        cast(score as {{ ratio_type() }}) as score,

        -- provenance
        raw_text,
        table_id,
        extractor_version

    from funding

)

select * from final
