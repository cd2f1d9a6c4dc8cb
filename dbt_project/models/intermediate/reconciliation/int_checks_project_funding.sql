/*
    Project funds blocks:

      funding_execution_rate        执行率 (支出实现率) = 全年执行数 / 全年预算数 × 100, per funding line
      funding_balance_rate          结余率 = 结余金额 / 实际到位金额 (or / 全年预算 小计) × 100
      funding_lines_sum             per amount column: 财政资金小计 = 中央 + 省级 + 地方;
                                    合计 = 财政资金小计 + 其他资金; 年度资金总额 = 当年财政拨款 + 其他资金 + 上年结转资金
      funding_full_year_sum_of_parts 小计③ = 年初预算① + 年中调整② (where both are printed beside it)
      special_funds_sum             专项资金 lines printed as text: 合计 = Σ 专项, per amount column

    A rate is compared after rounding the computed ratio to the printed 2 decimals (tolerance one
    half-step either side, 0.01). A line with neither budget nor expenditure is not a check; a rate
    whose denominator is 0 while its numerator is not is insufficient_data.
*/

with

funding as (

    select * from {{ ref('int_performance_funding') }}

),

projects as (

    select * from {{ ref('int_performance_projects') }}

),

rates as (

    select
        document_id,
        'funding_execution_rate' as check_name,
        project_name || ' ' || funding_line as subject,
        table_id, source_table, source_page, source_row,
        execution_rate as expected,
        case
            when coalesce(budget_full_year, received) <> 0
                then round(100.0 * coalesce(executed, disbursed) / coalesce(budget_full_year, received), 2)
        end as actual,
        1 as addend_count

    from funding
    where execution_rate is not null
        and (coalesce(budget_full_year, received, 0) <> 0 or coalesce(executed, disbursed, 0) <> 0)

    union all

    select
        document_id,
        'funding_balance_rate' as check_name,
        project_name || ' ' || funding_line as subject,
        table_id, source_table, source_page, source_row,
        balance_rate as expected,
        case
            when coalesce(received, budget_full_year) <> 0
                then round(100.0 * coalesce(unit_balance, balance) / coalesce(received, budget_full_year), 2)
        end as actual,
        1 as addend_count

    from funding
    where balance_rate is not null
        and (coalesce(received, budget_full_year, 0) <> 0 or coalesce(unit_balance, balance, 0) <> 0)

),

measures as (

    {% set measures = ['budget_initial', 'budget_adjustment', 'budget_full_year', 'budget_period', 'disbursed',
                       'received', 'executed', 'balance', 'unit_balance'] %}
    {% for measure in measures %}
    select
        document_id, project_key, project_name, table_id, source_table, source_page, source_row,
        funding_line, '{{ measure }}' as measure, {{ measure }} as amount
    from funding
    where {{ measure }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

identities as (

    select * from (values
        ('fiscal_subtotal', 'central'),
        ('fiscal_subtotal', 'provincial'),
        ('fiscal_subtotal', 'local'),
        ('total', 'fiscal_subtotal'),
        ('total', 'other'),
        ('total', 'current_year_appropriation'),
        ('total', 'carryover'),
        ('total', 'general_public_budget'),
        ('total', 'government_fund')
    ) as identity_terms (total_line, part_line)

),

parts as (

    select
        totals.document_id,
        totals.project_key,
        totals.project_name,
        totals.table_id,
        totals.source_table,
        totals.source_page,
        totals.source_row,
        totals.funding_line,
        totals.measure,
        totals.amount as expected,
        sum(lines.amount) as actual,
        count(lines.amount) as addend_count

    from measures as totals
    inner join identities
        on totals.funding_line = identities.total_line
    inner join measures as lines
        on lines.project_key = totals.project_key
        and lines.measure = totals.measure
        and lines.funding_line = identities.part_line
    group by totals.document_id, totals.project_key, totals.project_name, totals.table_id, totals.source_table,
        totals.source_page, totals.source_row, totals.funding_line, totals.measure, totals.amount

),

line_sums as (

    select
        document_id,
        'funding_lines_sum' as check_name,
        project_name || ' ' || funding_line || ' ' || measure as subject,
        table_id, source_table, source_page, source_row,
        expected, actual, addend_count

    from parts
    -- 合计 = 财政资金小计 + 其他 only where a 财政资金小计 line is printed; else Σ of the other lines
    where addend_count > 1

),

special_funds as (

    -- 专项资金 printed as lines of text (each 专项 a project): 合计 = Σ 专项, per amount column
    select
        totals.document_id,
        'special_funds_sum' as check_name,
        'special_funds ' || totals.measure as subject,
        totals.table_id, totals.source_table, totals.source_page, totals.source_row,
        totals.amount as expected,
        sum(items.amount) as actual,
        count(items.amount) as addend_count

    from measures as totals
    inner join projects as total_projects
        on totals.project_key = total_projects.project_key
        and total_projects.table_kind = 'special_funds' and total_projects.scope = 'department'
    inner join projects as item_projects
        on item_projects.document_id = totals.document_id
        and item_projects.table_id = totals.table_id
        and item_projects.scope = 'project'
    inner join measures as items
        on items.project_key = item_projects.project_key
        and items.measure = totals.measure
    group by totals.document_id, totals.table_id, totals.source_table, totals.source_page, totals.source_row,
        totals.measure, totals.amount

),

full_year as (

    select
        document_id,
        'funding_full_year_sum_of_parts' as check_name,
        project_name || ' ' || funding_line as subject,
        table_id, source_table, source_page, source_row,
        budget_full_year as expected,
        budget_initial + budget_adjustment as actual,
        2 as addend_count

    from funding
    where budget_full_year is not null and budget_initial is not null and budget_adjustment is not null

),

final as (

    {% for part in ['rates', 'line_sums', 'special_funds', 'full_year'] %}
    {{ check_rows(part, half_step='0.005') }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
