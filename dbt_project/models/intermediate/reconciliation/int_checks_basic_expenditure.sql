/*
    basic_expenditure_personnel_plus_public (cross-table, on the stored facts):
    公开06表 人员经费合计 + 公用经费合计 = the general-public-budget 基本支出 total (公开05表: no function
    code, line_item total, expenditure_type basic, fund_source general_public_budget).

    When the economic table prints neither category total, its 合计 (line_item total) is used.
    A check row exists when either side is printed; a missing side is insufficient_data.
*/

with

basic_total as (

    select
        document_id,
        amount_basis,
        unit_code,
        'expected' as side,
        cast(null as {{ dbt.type_string() }}) as line_item,
        amount,
        table_id,
        source_table,
        source_page,
        source_row,
        rounding_half_step

    from {{ ref('int_expenditure_function_ranked') }}
    where printing_rank = 1
        and function_code is null
        and line_item = 'total'
        and expenditure_type = 'basic'
        and fund_source = 'general_public_budget'

),

economic_totals as (

    select
        document_id,
        amount_basis,
        unit_code,
        'actual' as side,
        line_item,
        amount,
        table_id,
        source_table,
        source_page,
        source_row,
        rounding_half_step

    from {{ ref('int_expenditure_economic_ranked') }}
    where printing_rank = 1
        and economic_code is null
        and line_item in ('personnel_total', 'public_total', 'total')
        and expenditure_type = 'basic'
        and fund_source = 'general_public_budget'

),

sides as (

    select * from basic_total
    union all
    select * from economic_totals

),

aggregated as (

    select
        document_id,
        amount_basis,
        {{ key_part('unit_code') }} as unit_code_key,
        max(unit_code) as unit_code,
        sum(case when side = 'expected' then 1 else 0 end) as expected_count,
        max(case when side = 'expected' then amount end) as expected_amount,
        max(case when side = 'expected' then source_table end) as expected_source_table,
        sum(case when side = 'actual' and line_item <> 'total' then 1 else 0 end) as part_count,
        sum(case when side = 'actual' and line_item <> 'total' then amount else 0 end) as part_sum,
        sum(case when side = 'actual' and line_item = 'total' then 1 else 0 end) as economic_total_count,
        max(case when side = 'actual' and line_item = 'total' then amount end) as economic_total,
        max(case when side = 'actual' then table_id end) as table_id,
        max(case when side = 'actual' then source_table end) as source_table,
        min(case when side = 'actual' then source_page end) as source_page,
        min(case when side = 'actual' then source_row end) as source_row,
        max(rounding_half_step) as rounding_half_step

    from sides
    group by
        document_id,
        amount_basis,
        {{ key_part('unit_code') }}

),

checks as (

    select
        document_id,
        'basic_expenditure_personnel_plus_public' as check_name,
        coalesce(source_table, '(no economic table)')
            || ' 人员经费合计 + 公用经费合计 = '
            || coalesce(expected_source_table, '(no general-public-budget table)')
            || ' basic total'
            || {{ subject_suffix() }}
            as subject,
        table_id,
        coalesce(source_table, expected_source_table) as source_table,
        expected_source_table as compared_source_table,
        source_page,
        source_row,
        case when expected_count = 1 then expected_amount end as expected,
        case
            when part_count > 0 then part_sum
            when economic_total_count = 1 then economic_total
        end as actual,
        case when part_count > 0 then part_count else 1 end as addend_count,
        rounding_half_step

    from aggregated

)

{{ check_rows('checks', with_columns=['compared_source_table']) }}
