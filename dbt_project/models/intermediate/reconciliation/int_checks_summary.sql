/*
    Summary-table identities (seed reconciliation_summary_terms), per table and amount basis, on
    the line-item rows of the panels printed for every fund (fund_source `all`) of the summary
    tables (seed summary_table_kinds: 公开01表):

      summary_income_grand_total       收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余
      summary_expenditure_grand_total  支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余
      summary_grand_totals_balance     收入总计 = 支出总计

    A panel row is a row without code whose measure is `total` or the line item itself (the source
    rows of the income panel, whose income_source is a source, are not). A blank optional term
    (carry-overs, 结余) counts as 0; a blank required term, or a term printed twice, makes the check
    insufficient_data. A table is checked when it prints at least one term of the check.
*/

with

summary_table_kinds as (

    select * from {{ ref('summary_table_kinds') }}
    where family = 'final_account'

),

printed as (

    select * from {{ ref('int_amounts_printed') }}
    where table_kind in (select table_kind from summary_table_kinds)
        and code is null
        and line_item is not null
        and coalesce(fund_source, 'all') = 'all'
        and (measure = 'total' or measure = line_item)

),

summary_terms as (

    select * from {{ ref('reconciliation_summary_terms') }}

),

matched as (

    select
        summary_terms.check_name,
        summary_terms.role,
        summary_terms.is_required,
        printed.*

    from printed
    inner join summary_terms
        on printed.fact_kind = summary_terms.fact_kind
        and printed.line_item = summary_terms.line_item

),

required_addends as (

    select
        check_name,
        count(*) as required_addend_count

    from summary_terms
    where role = 'addend' and is_required
    group by check_name

),

aggregated as (

    select
        document_id,
        table_id,
        check_name,
        amount_basis,
        {{ key_part('unit_code') }} as unit_code_key,
        max(unit_code) as unit_code,
        max(source_table) as source_table,
        sum(case when role = 'total' then 1 else 0 end) as total_count,
        max(case when role = 'total' then amount_for_checks end) as total_amount,
        min(case when role = 'total' then source_row end) as total_source_row,
        min(case when role = 'total' then source_page end) as total_source_page,
        sum(case when role = 'addend' then 1 else 0 end) as addend_count,
        count(distinct case when role = 'addend' then fact_kind || '|' || line_item end) as distinct_addend_count,
        count(distinct case when role = 'addend' and is_required then fact_kind || '|' || line_item end)
            as printed_required_addend_count,
        sum(case when role = 'addend' then amount_for_checks else 0 end) as addend_sum,
        max(rounding_half_step) as rounding_half_step

    from matched
    group by
        document_id,
        table_id,
        check_name,
        amount_basis,
        {{ key_part('unit_code') }}

),

checks as (

    select
        aggregated.document_id,
        aggregated.check_name,
        aggregated.source_table
            || case
                when aggregated.check_name = 'summary_income_grand_total' then ' 收入总计'
                when aggregated.check_name = 'summary_expenditure_grand_total' then ' 支出总计'
                else ' 收入总计 = 支出总计'
            end
            || {{ subject_suffix('aggregated.') }}
            as subject,
        aggregated.table_id,
        aggregated.source_table,
        aggregated.total_source_page as source_page,
        aggregated.total_source_row as source_row,
        case when aggregated.total_count = 1 then aggregated.total_amount end as expected,
        case
            when aggregated.addend_count = aggregated.distinct_addend_count
                and aggregated.printed_required_addend_count = coalesce(required_addends.required_addend_count, 0)
                then aggregated.addend_sum
        end as actual,
        aggregated.addend_count,
        aggregated.rounding_half_step

    from aggregated
    left join required_addends
        on aggregated.check_name = required_addends.check_name

)

{{ check_rows('checks') }}
