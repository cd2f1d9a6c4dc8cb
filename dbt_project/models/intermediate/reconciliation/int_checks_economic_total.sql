/*
    economic_total_equals_function_total (cross-table, on the stored facts): a table of all
    expenditure by 经济分类 (Fujian's 一般公共预算支出经济分类情况表: expenditure_type `total`) adds up to
    the same total as the 功能分类 table of the same fund (一般公共预算拨款支出预算表's 合计).
    Checked only where both totals are printed (基本支出 is checked by
    basic_expenditure_personnel_plus_public).
*/

with

economic_totals as (

    select * from {{ ref('int_expenditure_economic_ranked') }}
    where printing_rank = 1
        and economic_code is null
        and line_item = 'total'
        and expenditure_type = 'total'

),

function_totals as (

    select * from {{ ref('int_expenditure_function_ranked') }}
    where printing_rank = 1
        and function_code is null
        and line_item = 'total'
        and expenditure_type = 'total'

),

checks as (

    select
        economic_totals.document_id,
        'economic_total_equals_function_total' as check_name,
        economic_totals.source_table || ' 合计 = ' || function_totals.source_table || ' 合计 '
            || economic_totals.fund_source
            || {{ subject_suffix('economic_totals.') }}
            as subject,
        economic_totals.table_id,
        economic_totals.source_table,
        function_totals.source_table as compared_source_table,
        economic_totals.source_page,
        economic_totals.source_row,
        economic_totals.source_column,
        function_totals.amount as expected,
        economic_totals.amount as actual,
        1 as addend_count,
        greatest(economic_totals.rounding_half_step, function_totals.rounding_half_step) as rounding_half_step

    from economic_totals
    inner join function_totals
        on economic_totals.document_id = function_totals.document_id
        and economic_totals.fund_source = function_totals.fund_source
        and economic_totals.amount_basis = function_totals.amount_basis
        and {{ key_part('economic_totals.unit_code') }} = {{ key_part('function_totals.unit_code') }}

)

{{ check_rows('checks', with_columns=['compared_source_table', 'source_column']) }}
