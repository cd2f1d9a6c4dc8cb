-- Performance indicators: document × project (or the department) × indicator.

with

indicators as (

    select * from {{ ref('int_performance_indicators') }}

),

final as (

    select
        -- common columns
        {{ fact_common_columns() }}

        -- project
        project_key,
        scope,
        project_name,

        -- indicator
        indicator_seq,
        level1,
        level2,
        level3,
        cast(level1_weight as {{ ratio_type() }}) as level1_weight,
        cast(level2_weight as {{ ratio_type() }}) as level2_weight,
        explanation,
        criterion,
        target_text,
        target_operator,
        target_value,
        target_unit,
        actual_text,
        actual_value,
        actual_unit,
        achieved,
        cast(weight as {{ ratio_type() }}) as weight,
        cast(score as {{ ratio_type() }}) as score,
        cast(deduction as {{ ratio_type() }}) as deduction,
        deviation_note,
        period_target_text,
        half_year_target_text,
        full_year_target_text,

        -- provenance
        table_id,
        extractor_version

    from indicators

)

select * from final
