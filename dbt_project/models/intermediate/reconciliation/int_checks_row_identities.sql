/*
    Row identities (seed reconciliation_row_terms), per printed row of a table: within one row
    (same code or line item, same amount basis and unit code, and same value of the dimensions
    that are not the identity's dimension) the `total` term equals the sum of the `addend` terms.

      03: 合计 = 基本 + 项目 + 上缴上级 + 经营 + 对附属单位补助   (expenditure_total_sum_of_types)
      05: 小计 = 基本 + 项目                                       (same check, fund general_public_budget)
      02: 合计 = Σ 收入来源; 01's income panel likewise            (income_total_sum_of_sources)
      04: 合计 = 一般公共预算 + 政府性基金 + 国有资本经营          (expenditure_fiscal_appropriation_sum_of_funds)
      07: 合计 = 出国 + 公务用车 + 接待; 公务用车 = 购置 + 运行      (three_public_*)
          Jiangsu: 合计 = 三公 + 会议费 + 培训费                   (three_public_grand_total_sum)
      收入预算表 with 上年结转: 合计 = 本年收入 + 上年结转 + 使用非财政拨款结余 (income_grand_total_sum_of_parts)

    Placeholders count as 0; blank cells are not landed and count as 0. An addend with `part_of`
    counts only when its parent term is not printed in the row. A row is checked only when it
    prints at least one addend and its table prints the total term in some row; when the row's
    own total is blank (or printed twice with different amounts: Fujian's 支出预算总表 prints 总计
    twice, by type and by 资金来源) the check is insufficient_data.
*/

with

printed as (

    select * from {{ ref('int_amounts_printed') }}

),

row_terms as (

    select * from {{ ref('reconciliation_row_terms') }}

),

matched as (

    select
        row_terms.check_name,
        row_terms.dimension,
        row_terms.term_value,
        row_terms.role,
        row_terms.part_of,
        case
            when row_terms.dimension = 'fund_source' then printed.measure
            else printed.fund_source
        end as other_dimension,
        printed.*

    from printed
    inner join row_terms
        on printed.fact_kind = row_terms.fact_kind
        and row_terms.term_value = case row_terms.dimension
            when 'expenditure_type' then printed.expenditure_type
            when 'income_source' then printed.income_source
            when 'fund_source' then printed.fund_source
            when 'three_public_item' then printed.three_public_item
        end

),

keyed_printings as (

    select
        {{ fiscal_key([
            'document_id', 'table_id', 'fact_kind', 'check_name', 'code', 'line_item',
            'other_dimension', 'amount_basis', 'unit_code'
        ]) }} as row_key,
        matched.*

    from matched
    -- a 其中 line is a part, not a full breakdown: 财政拨款收入 / 其中：政府性基金预算财政拨款
    where not (matched.role = 'addend' and matched.row_label like '其中%')

),

-- one printing per term and amount: a 合计 line printed at the top and again at the bottom of a
-- table is one row, not two
keyed as (

    select
        row_key,
        document_id,
        table_id,
        fact_kind,
        check_name,
        term_value,
        role,
        part_of,
        amount_for_checks,
        max(source_table) as source_table,
        max(code) as code,
        max(line_item) as line_item,
        max(other_dimension) as other_dimension,
        max(dimension) as dimension,
        max(amount_basis) as amount_basis,
        max(unit_code) as unit_code,
        min(source_row) as source_row,
        min(source_page) as source_page,
        max(rounding_half_step) as rounding_half_step

    from keyed_printings
    group by row_key, document_id, table_id, fact_kind, check_name, term_value, role, part_of, amount_for_checks

),

-- tables that print the identity's total term somewhere (in a column: the 总计 line of a summary
-- panel is income_source grand_total too, but a row of its own, not a row's total)
tables_with_total as (

    select distinct
        document_id,
        table_id,
        check_name

    from keyed
    where role = 'total'
        and coalesce(line_item, '') <> 'grand_total'

),

counted as (

    select keyed.*
    from keyed
    inner join tables_with_total
        on keyed.document_id = tables_with_total.document_id
        and keyed.table_id = tables_with_total.table_id
        and keyed.check_name = tables_with_total.check_name
    where keyed.part_of is null
        or not exists (
            select 1
            from keyed as parent_term
            where parent_term.row_key = keyed.row_key
                and parent_term.term_value = keyed.part_of
        )

),

aggregated as (

    select
        row_key,
        document_id,
        table_id,
        check_name,
        max(source_table) as source_table,
        max(code) as code,
        max(line_item) as line_item,
        max(other_dimension) as other_dimension,
        max(dimension) as dimension,
        max(amount_basis) as amount_basis,
        max(unit_code) as unit_code,
        max(case when role = 'total' then term_value end) as total_term,
        sum(case when role = 'total' then 1 else 0 end) as total_count,
        max(case when role = 'total' then amount_for_checks end) as total_amount,
        min(case when role = 'total' then amount_for_checks end) as lowest_total_amount,
        min(source_row) as source_row,
        min(source_page) as source_page,
        sum(case when role = 'addend' then 1 else 0 end) as addend_count,
        sum(case when role = 'addend' then amount_for_checks else 0 end) as addend_sum,
        max(rounding_half_step) as rounding_half_step

    from counted
    group by
        row_key,
        document_id,
        table_id,
        check_name

),

total_terms as (

    select distinct
        check_name,
        term_value as total_term
    from row_terms
    where role = 'total'

),

checks as (

    select
        aggregated.document_id,
        aggregated.check_name,
        aggregated.source_table
            || case
                when aggregated.code is not null then ' ' || aggregated.code
                when aggregated.line_item is not null then ' ' || aggregated.line_item
                else ''
            end
            || ' ' || total_terms.total_term
            || case
                when aggregated.other_dimension is not null and aggregated.other_dimension <> 'all'
                    then ' ' || aggregated.other_dimension
                else ''
            end
            || {{ subject_suffix('aggregated.') }}
            as subject,
        aggregated.table_id,
        aggregated.source_table,
        aggregated.source_page,
        aggregated.source_row,
        case
            when aggregated.total_count = 1 or aggregated.lowest_total_amount = aggregated.total_amount
                then aggregated.total_amount
        end as expected,
        aggregated.addend_sum as actual,
        aggregated.addend_count,
        aggregated.rounding_half_step

    from aggregated
    inner join total_terms
        on aggregated.check_name = total_terms.check_name
    where aggregated.addend_count > 0

)

{{ check_rows('checks') }}
