/*
    Hierarchy checks, per source table and measure column (measure, fund source, amount basis,
    unit code), on every printing (values and placeholders; a placeholder counts as 0, a blank cell
    is not landed and counts as 0 when it is a child):

      function_class_sum_of_sections          类 (3 digits) = Σ its 款 (5 digits)
      function_section_sum_of_items           款 (5 digits) = Σ its 项 (7 digits)
      function_total_sum_of_classes           合计 (no code, line_item total) = Σ 类
      economic_class_sum_of_sections          301 = Σ 301xx
      economic_personnel_total_sum_of_classes 人员经费合计 = Σ personnel classes
      economic_public_total_sum_of_classes    公用经费合计 = Σ public classes
      economic_total_sum_of_parts             合计 = 人员经费合计 + 公用经费合计 (Σ classes when the
                                              table prints no category totals)

    A check exists for a parent row only when the same table prints that parent row (in any
    measure) and at least one of its children (in any measure): a parent with no printed children
    (the class rows of 公开01表 / 04表) is skipped, not a failure. In a measure where the parent is
    blank but children are printed the check is insufficient_data; the same when the parent is
    printed twice in one table (ambiguous). A 合计 whose measure column prints no class at all is
    not checked against the classes (it is another panel's: 支出用途 beside 功能分类).
*/

with

printed as (

    select
        *,
        max(
            case
                when fact_kind = 'expenditure_economic'
                    and code is null
                    and line_item in ('personnel_total', 'public_total')
                    then 1
                else 0
            end
        ) over (partition by document_id, table_id) as table_has_category_totals

    from {{ ref('int_amounts_printed') }}
    where classification is not null

),

referenced as (

    select
        *,
        code as self_code,
        case when code is null then line_item end as self_line,
        case
            when code_level = 'class' and classification = 'function' then 'total'
            when code_level = 'class' and classification = 'economic' and table_has_category_totals = 1
                then category || '_total'
            when code_level = 'class' and classification = 'economic' then 'total'
            when code is null and classification = 'economic' and line_item in ('personnel_total', 'public_total')
                then 'total'
        end as parent_line

    from printed

),

-- parent rows printed in the table (any measure)
table_parents as (

    select distinct
        document_id,
        table_id,
        fact_kind,
        {{ key_part('self_code') }} as ref_code,
        {{ key_part('self_line') }} as ref_line

    from referenced
    where self_code is not null or self_line is not null

),

-- parents that have at least one child printed in the table (any measure)
table_children as (

    select distinct
        document_id,
        table_id,
        fact_kind,
        {{ key_part('parent_code') }} as ref_code,
        {{ key_part('parent_line') }} as ref_line

    from referenced
    where parent_code is not null or parent_line is not null

),

checked_parents as (

    select table_parents.*
    from table_parents
    inner join table_children
        on table_parents.document_id = table_children.document_id
        and table_parents.table_id = table_children.table_id
        and table_parents.fact_kind = table_children.fact_kind
        and table_parents.ref_code = table_children.ref_code
        and table_parents.ref_line = table_children.ref_line

),

terms as (

    select
        'total' as role,
        {{ key_part('self_code') }} as ref_code,
        {{ key_part('self_line') }} as ref_line,
        referenced.*
    from referenced

    union all

    select
        'addend' as role,
        {{ key_part('parent_code') }} as ref_code,
        {{ key_part('parent_line') }} as ref_line,
        referenced.*
    from referenced

),

checked_terms as (

    select terms.*
    from terms
    inner join checked_parents
        on terms.document_id = checked_parents.document_id
        and terms.table_id = checked_parents.table_id
        and terms.fact_kind = checked_parents.fact_kind
        and terms.ref_code = checked_parents.ref_code
        and terms.ref_line = checked_parents.ref_line

),

aggregated as (

    select
        document_id,
        table_id,
        source_table,
        fact_kind,
        classification,
        ref_code,
        ref_line,
        {{ key_part('measure') }} as measure_key,
        {{ key_part('fund_source') }} as fund_source_key,
        amount_basis,
        {{ key_part('unit_code') }} as unit_code_key,
        max(measure) as measure,
        max(fund_source) as fund_source,
        max(unit_code) as unit_code,
        sum(case when role = 'total' then 1 else 0 end) as total_count,
        max(case when role = 'total' then amount_for_checks end) as total_amount,
        min(case when role = 'total' then source_row end) as total_source_row,
        min(case when role = 'total' then source_page end) as total_source_page,
        sum(case when role = 'addend' then 1 else 0 end) as addend_count,
        sum(case when role = 'addend' then amount_for_checks else 0 end) as addend_sum,
        max(rounding_half_step) as rounding_half_step

    from checked_terms
    group by
        document_id,
        table_id,
        source_table,
        fact_kind,
        classification,
        ref_code,
        ref_line,
        {{ key_part('measure') }},
        {{ key_part('fund_source') }},
        amount_basis,
        {{ key_part('unit_code') }}

),

classification_levels as (

    select * from {{ ref('classification_levels') }}

),

named as (

    select
        aggregated.*,
        case
            when aggregated.ref_line = '<null>' then classification_levels.level
        end as ref_level

    from aggregated
    left join classification_levels
        on aggregated.classification = classification_levels.classification
        and aggregated.ref_line = '<null>'
        and {{ dbt.length('aggregated.ref_code') }} = classification_levels.code_length

),

checks as (

    select
        document_id,
        case
            when classification = 'function' and ref_level = 'class' then 'function_class_sum_of_sections'
            when classification = 'function' and ref_level = 'section' then 'function_section_sum_of_items'
            when classification = 'function' and ref_line = 'total' then 'function_total_sum_of_classes'
            when classification = 'economic' and ref_level = 'class' then 'economic_class_sum_of_sections'
            when classification = 'economic' and ref_line = 'personnel_total' then 'economic_personnel_total_sum_of_classes'
            when classification = 'economic' and ref_line = 'public_total' then 'economic_public_total_sum_of_classes'
            when classification = 'economic' and ref_line = 'total' then 'economic_total_sum_of_parts'
        end as check_name,
        source_table
            || ' ' || case when ref_code <> '<null>' then ref_code else ref_line end
            || case when fact_kind = 'income' then ' income' else '' end
            || case when measure is not null then ' ' || measure else '' end
            || case when fund_source is not null and fund_source <> 'all' then ' ' || fund_source else '' end
            || {{ subject_suffix() }}
            as subject,
        table_id,
        source_table,
        total_source_page as source_page,
        total_source_row as source_row,
        case when total_count = 1 then total_amount end as expected,
        addend_sum as actual,
        addend_count,
        rounding_half_step

    from named

)

{{ check_rows('checks') }}
where check_name is not null
    -- a 合计 in a measure column where the table prints no class is not the total of classes: it
    -- belongs to a panel beside them (Jiangsu's 收支预算总表 prints 支出用途 beside 功能分类)
    and not (check_name = 'function_total_sum_of_classes' and addend_count = 0)
