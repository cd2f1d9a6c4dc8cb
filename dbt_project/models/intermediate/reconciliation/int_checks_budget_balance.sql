/*
    budget_income_equals_expenditure: in each budget summary table (seed summary_table_kinds,
    family `budget`: 收支预算总表, 财政拨款收支预算总表) the income total equals the expenditure total.

    The income total is the panel's grand total line where it prints one beside the year's total
    (收入总计 = 本年收入合计 + 上年结转 …: only the grand totals balance when carry-overs differ), else
    its total line: income_source `total` (收入总计 of the summary), else `fiscal_appropriation`
    (收入总计 of the 财政拨款 summary). The expenditure side likewise: 支出总计, else the line without code
    whose expenditure type is `total`, for all funds, else for 财政拨款 (the fund columns beside it are
    parts). A side printed twice or missing is insufficient_data.
*/

with

budget_summary_kinds as (

    select * from {{ ref('summary_table_kinds') }}
    where family = 'budget'

),

totals as (

    select
        printed.*,
        case
            when printed.fact_kind = 'income' then 'income'
            else 'expenditure'
        end as side,
        case
            when printed.line_item = 'grand_total' then 0
            when printed.fact_kind = 'income' and printed.income_source = 'total' then 1
            when printed.fact_kind = 'expenditure_function' and printed.fund_source = 'all' then 1
            else 2
        end as preference

    from {{ ref('int_amounts_printed') }} as printed
    where printed.table_kind in (select table_kind from budget_summary_kinds)
        and printed.code is null
        and (
            (
                printed.line_item = 'total'
                and (
                    (printed.fact_kind = 'income' and printed.income_source in ('total', 'fiscal_appropriation'))
                    or (
                        printed.fact_kind = 'expenditure_function'
                        and printed.expenditure_type = 'total'
                        and printed.fund_source in ('all', 'fiscal_appropriation')
                    )
                )
            )
            or (
                printed.line_item = 'grand_total'
                and (
                    (printed.fact_kind = 'income' and printed.income_source = 'grand_total')
                    or (printed.fact_kind = 'expenditure_function' and printed.expenditure_type = 'total')
                )
            )
        )

),

-- grand totals count only when both sides print one
comparable as (

    select *
    from (
        select
            totals.*,
            max(case when line_item = 'grand_total' and side = 'income' then 1 else 0 end)
                over (partition by document_id, table_id, amount_basis)
            * max(case when line_item = 'grand_total' and side = 'expenditure' then 1 else 0 end)
                over (partition by document_id, table_id, amount_basis) as both_grand

        from totals
    ) as sided
    where line_item <> 'grand_total' or both_grand = 1

),

preferred as (

    select
        comparable.*,
        min(preference) over (partition by document_id, table_id, amount_basis, side) as best_preference

    from comparable

),

aggregated as (

    select
        document_id,
        table_id,
        amount_basis,
        max(source_table) as source_table,
        sum(case when side = 'income' then 1 else 0 end) as income_count,
        max(case when side = 'income' then amount_for_checks end) as income_total,
        sum(case when side = 'expenditure' then 1 else 0 end) as expenditure_count,
        max(case when side = 'expenditure' then amount_for_checks end) as expenditure_total,
        min(case when side = 'expenditure' then source_row end) as source_row,
        min(source_page) as source_page,
        max(rounding_half_step) as rounding_half_step

    from preferred
    where preference = best_preference
    group by
        document_id,
        table_id,
        amount_basis

),

checks as (

    select
        document_id,
        'budget_income_equals_expenditure' as check_name,
        source_table || ' 收入总计 = 支出总计'
            || case when amount_basis <> 'budget' then ' ' || amount_basis else '' end as subject,
        table_id,
        source_table,
        source_page,
        source_row,
        case when income_count = 1 then income_total end as expected,
        case when expenditure_count = 1 then expenditure_total end as actual,
        1 as addend_count,
        rounding_half_step

    from aggregated

)

{{ check_rows('checks') }}
