/*
    Performance scores, per project (or department-wide evaluation):

      indicator_weights_sum_to_total   Σ 指标分值 (+ the funds block's 分值) = printed total weight,
                                       or the template's total (100) where none is printed
      indicator_scores_sum_to_total    Σ 自评得分 (+ the funds block's 得分) = printed 总分 / 合计
      level1_weights_sum_to_subtotal   Σ weights of a first-level indicator = its printed 分值 (产出指标(50分))
      level2_weights_sum_to_subtotal   Σ weights of a second-level indicator = its printed 分值 (评分表)
      level1_scores_sum_to_subtotal    Σ scores of a first-level indicator = the subtotal written for it
                                       (“产出指标得 58 分（共 60 分）”), in its heading and in a summary
                                       sentence restating it; the summary's 满分 is checked as a weight too
      indicator_score_is_weight_less_deduction
                                       得分 = 分值 − 扣分 on each row of a scoring table that prints 扣分

    Only tables that print weights are checked (budget target tables print none). Weights and scores
    are printed with up to 2 decimals: tolerance (n + 1) × 0.005 for n addends.
*/

with

projects as (

    select * from {{ ref('int_performance_projects') }}

),

indicators as (

    select * from {{ ref('int_performance_indicators') }}

),

funds_total as (

    select
        project_key,
        max(weight) as weight,
        max(score) as score

    from {{ ref('int_performance_funding') }}
    where funding_line = 'total'
    group by project_key

),

stated_subtotals as (

    select
        subtotals.*,
        projects.project_key,
        projects.project_name

    from {{ ref('stg_landing__level_subtotals') }} as subtotals
    inner join projects
        on subtotals.document_id = projects.document_id
        and subtotals.project_seq = projects.project_seq

),

level1_sums as (

    select
        project_key,
        level1,
        sum(weight) as weight_sum,
        sum(score) as score_sum,
        count(weight) as weight_count,
        count(score) as score_count

    from indicators
    group by project_key, level1

),

sums as (

    select
        project_key,
        sum(weight) as weight_sum,
        sum(score) as score_sum,
        count(weight) as weight_count,
        count(score) as score_count

    from indicators
    group by project_key

),

project_checks as (

    select
        projects.document_id,
        'indicator_weights_sum_to_total' as check_name,
        projects.project_name as subject,
        projects.table_id,
        projects.source_table,
        projects.source_page,
        projects.total_source_row as source_row,
        coalesce(projects.printed_total_weight, projects.nominal_total_weight) as expected,
        sums.weight_sum + coalesce(funds_total.weight, 0) as actual,
        sums.weight_count + case when funds_total.weight is null then 0 else 1 end as addend_count

    from projects
    inner join sums
        on projects.project_key = sums.project_key
    left join funds_total
        on projects.project_key = funds_total.project_key
    where sums.weight_count > 0

    union all

    select
        projects.document_id,
        'indicator_scores_sum_to_total' as check_name,
        projects.project_name as subject,
        projects.table_id,
        projects.source_table,
        projects.source_page,
        projects.total_source_row as source_row,
        projects.printed_total_score as expected,
        sums.score_sum + coalesce(funds_total.score, 0) as actual,
        sums.score_count + case when funds_total.score is null then 0 else 1 end as addend_count

    from projects
    inner join sums
        on projects.project_key = sums.project_key
    left join funds_total
        on projects.project_key = funds_total.project_key
    where sums.score_count > 0

),

level_subtotals as (

    select
        document_id,
        'level1_weights_sum_to_subtotal' as check_name,
        project_name || ' ' || level1 as subject,
        min(table_id) as table_id,
        min(source_table) as source_table,
        min(source_page) as source_page,
        min(source_row) as source_row,
        case when min(level1_weight) = max(level1_weight) then min(level1_weight) end as expected,
        sum(weight) as actual,
        count(weight) as addend_count

    from indicators
    where level1_weight is not null
    group by document_id, project_key, project_name, level1

    union all

    select
        document_id,
        'level2_weights_sum_to_subtotal' as check_name,
        project_name || ' ' || level1 || ' ' || level2 as subject,
        min(table_id) as table_id,
        min(source_table) as source_table,
        min(source_page) as source_page,
        min(source_row) as source_row,
        case when min(level2_weight) = max(level2_weight) then min(level2_weight) end as expected,
        sum(weight) as actual,
        count(weight) as addend_count

    from indicators
    where level2_weight is not null and level3 is not null
    group by document_id, project_key, project_name, level1, level2

),

written_subtotals as (

    select
        stated_subtotals.document_id,
        'level1_scores_sum_to_subtotal' as check_name,
        stated_subtotals.project_name || ' ' || stated_subtotals.level1 || ' (' || stated_subtotals.printed_in || ')'
            as subject,
        stated_subtotals.table_id,
        stated_subtotals.source_table,
        stated_subtotals.source_page,
        stated_subtotals.source_row,
        stated_subtotals.score as expected,
        level1_sums.score_sum as actual,
        level1_sums.score_count as addend_count

    from stated_subtotals
    left join level1_sums
        on stated_subtotals.project_key = level1_sums.project_key
        and stated_subtotals.level1 = level1_sums.level1
    where stated_subtotals.score is not null

    union all

    -- the heading's 共 / 满分 is the indicators' level1_weight, checked above; a summary restates it
    select
        stated_subtotals.document_id,
        'level1_weights_sum_to_subtotal' as check_name,
        stated_subtotals.project_name || ' ' || stated_subtotals.level1 || ' (summary)' as subject,
        stated_subtotals.table_id,
        stated_subtotals.source_table,
        stated_subtotals.source_page,
        stated_subtotals.source_row,
        stated_subtotals.weight as expected,
        level1_sums.weight_sum as actual,
        level1_sums.weight_count as addend_count

    from stated_subtotals
    left join level1_sums
        on stated_subtotals.project_key = level1_sums.project_key
        and stated_subtotals.level1 = level1_sums.level1
    where stated_subtotals.printed_in = 'summary' and stated_subtotals.weight is not null

),

projects_with_deductions as (

    select distinct project_key
    from indicators
    where deduction is not null

),

indicator_rows as (

    -- a scoring table that prints 扣分: 得分 = 分值 − 扣分 on every indicator row (a blank 扣分 is 0)
    select
        indicators.document_id,
        'indicator_score_is_weight_less_deduction' as check_name,
        indicators.project_name || ' ' || coalesce(indicators.level3, indicators.level2, indicators.level1, '') as subject,
        indicators.table_id,
        indicators.source_table,
        indicators.source_page,
        indicators.source_row,
        indicators.score as expected,
        indicators.weight - coalesce(indicators.deduction, 0) as actual,
        2 as addend_count

    from indicators
    inner join projects_with_deductions
        on indicators.project_key = projects_with_deductions.project_key
    where indicators.weight is not null

),

final as (

    {{ check_rows('project_checks', half_step='0.005') }}

    union all

    {{ check_rows('level_subtotals', half_step='0.005') }}

    union all

    {{ check_rows('indicator_rows', half_step='0.005') }}

    union all

    {{ check_rows('written_subtotals', half_step='0.005') }}

)

select * from final
