-- One row per project (or department-wide evaluation) of a performance table, with its funds
-- (the funds block's total line) and what its indicators add up to.

with

projects as (

    select * from {{ ref('int_performance_projects') }}

),

total_funding as (

    select
        project_key,
        max(budget_initial) as budget_initial,
        max(budget_full_year) as budget_full_year,
        max(budget_period) as budget_period,
        max(executed) as executed,
        max(execution_rate) as execution_rate,
        max(weight) as funding_weight,
        max(score) as funding_score

    from {{ ref('int_performance_funding') }}
    where funding_line = 'total'
    group by project_key

),

indicator_totals as (

    select
        project_key,
        count(*) as indicator_count,
        sum(weight) as indicator_weight,
        sum(score) as indicator_score,
        sum(case when achieved = false then 1 else 0 end) as missed_target_count

    from {{ ref('int_performance_indicators') }}
    group by project_key

),

final as (

    select
        projects.project_key,
        projects.document_id,
        projects.fiscal_year,
        projects.entity_name,
        projects.entity_key,
        projects.stage,
        projects.project_seq,
        projects.scope,
        projects.project_name,
        projects.department,
        projects.implementing_unit,
        projects.budget_code,
        projects.function_subject,
        projects.category,
        projects.continuity,
        projects.period,
        projects.goal_text,
        projects.goal_result_text,
        projects.grade,
        cast(projects.printed_total_weight as {{ ratio_type() }}) as printed_total_weight,
        cast(projects.printed_total_score as {{ ratio_type() }}) as printed_total_score,
        cast(total_funding.budget_initial as {{ amount_type() }}) as budget_initial,
        cast(total_funding.budget_full_year as {{ amount_type() }}) as budget_full_year,
        cast(total_funding.budget_period as {{ amount_type() }}) as budget_period,
        cast(total_funding.executed as {{ amount_type() }}) as executed,
        total_funding.execution_rate,
        cast(total_funding.funding_weight as {{ ratio_type() }}) as funding_weight,
        cast(total_funding.funding_score as {{ ratio_type() }}) as funding_score,
        coalesce(indicator_totals.indicator_count, 0) as indicator_count,
        cast(indicator_totals.indicator_weight as {{ ratio_type() }}) as indicator_weight,
        cast(indicator_totals.indicator_score as {{ ratio_type() }}) as indicator_score,
        coalesce(indicator_totals.missed_target_count, 0) as missed_target_count,
        projects.table_kind,
        projects.source_table,
        projects.source_page,
        projects.source_row

    from projects
    left join total_funding
        on projects.project_key = total_funding.project_key
    left join indicator_totals
        on projects.project_key = indicator_totals.project_key

)

select * from final
