/*
    Budgets split by unit (单位编码), on the stored facts (each fact once):

      units_sum_to_department_total  the department total (no unit, no code: the 合计 row) equals the
                                     sum over units of each unit's lowest printed rows (its codes
                                     that have no printed sub-code, or its own total when it prints
                                     no code), per measure and fund source;
      units_sum_to_department_rows   a function code printed per unit, summed over units, equals the
                                     department-level printing of the same code and measure (e.g.
                                     支出预算总表 by unit against 一般公共预算拨款支出预算表).

    Checks exist only where the document has unit rows for that measure and the department side
    is printed.
*/

with

stored as (

    select *, coalesce(expenditure_type, income_source) as measure
    from {{ ref('int_expenditure_function_ranked') }}
    where printing_rank = 1
    union all
    select *, coalesce(expenditure_type, income_source) as measure
    from {{ ref('int_income_ranked') }}
    where printing_rank = 1

),

unit_rows as (

    select * from stored where unit_code is not null

),

department_rows as (

    select * from stored where unit_code is null

),

-- a unit row is a leaf when the same unit prints no longer code under it (its total row has no
-- code, so any coded row of the unit is under it)
unit_leaves as (

    select unit_rows.*
    from unit_rows
    where not exists (
        select 1
        from unit_rows as child
        where child.document_id = unit_rows.document_id
            and child.fact_kind = unit_rows.fact_kind
            and child.unit_code = unit_rows.unit_code
            and child.measure = unit_rows.measure
            and child.fund_source = unit_rows.fund_source
            and child.amount_basis = unit_rows.amount_basis
            and child.code is not null
            and (
                unit_rows.code is null
                or (length(child.code) > length(unit_rows.code) and substr(child.code, 1, length(unit_rows.code)) = unit_rows.code)
            )
    )

),

total_sides as (

    select
        unit_leaves.document_id,
        unit_leaves.fact_kind,
        unit_leaves.measure,
        unit_leaves.fund_source,
        unit_leaves.amount_basis,
        max(unit_leaves.table_id) as table_id,
        max(unit_leaves.source_table) as source_table,
        count(*) as addend_count,
        sum(unit_leaves.amount) as unit_sum,
        max(unit_leaves.rounding_half_step) as rounding_half_step

    from unit_leaves
    group by
        unit_leaves.document_id,
        unit_leaves.fact_kind,
        unit_leaves.measure,
        unit_leaves.fund_source,
        unit_leaves.amount_basis

),

total_checks as (

    select
        total_sides.document_id,
        'units_sum_to_department_total' as check_name,
        total_sides.source_table || ' 合计 = Σ 单位 ' || total_sides.measure || ' ' || total_sides.fund_source as subject,
        total_sides.table_id,
        total_sides.source_table,
        department_rows.source_table as compared_source_table,
        department_rows.source_page,
        department_rows.source_row,
        department_rows.source_column,
        department_rows.amount as expected,
        total_sides.unit_sum as actual,
        total_sides.addend_count,
        greatest(total_sides.rounding_half_step, coalesce(department_rows.rounding_half_step, 0)) as rounding_half_step

    from total_sides
    left join department_rows
        on total_sides.document_id = department_rows.document_id
        and total_sides.fact_kind = department_rows.fact_kind
        and total_sides.measure = department_rows.measure
        and total_sides.fund_source = department_rows.fund_source
        and total_sides.amount_basis = department_rows.amount_basis
        and department_rows.code is null
        and department_rows.line_item = 'total'

),

code_sides as (

    select
        document_id,
        fact_kind,
        code,
        measure,
        fund_source,
        amount_basis,
        max(table_id) as table_id,
        max(source_table) as source_table,
        count(*) as addend_count,
        sum(amount) as unit_sum,
        max(rounding_half_step) as rounding_half_step

    from unit_rows
    where code is not null
    group by
        document_id,
        fact_kind,
        code,
        measure,
        fund_source,
        amount_basis

),

code_checks as (

    select
        code_sides.document_id,
        'units_sum_to_department_rows' as check_name,
        department_rows.source_table || ' ' || code_sides.code || ' ' || code_sides.measure || ' '
            || code_sides.fund_source || ' = Σ 单位 (' || code_sides.source_table || ')' as subject,
        department_rows.table_id,
        department_rows.source_table,
        code_sides.source_table as compared_source_table,
        department_rows.source_page,
        department_rows.source_row,
        department_rows.source_column,
        department_rows.amount as expected,
        code_sides.unit_sum as actual,
        code_sides.addend_count,
        greatest(code_sides.rounding_half_step, department_rows.rounding_half_step) as rounding_half_step

    from code_sides
    inner join department_rows
        on code_sides.document_id = department_rows.document_id
        and code_sides.fact_kind = department_rows.fact_kind
        and code_sides.code = department_rows.code
        and code_sides.measure = department_rows.measure
        and code_sides.fund_source = department_rows.fund_source
        and code_sides.amount_basis = department_rows.amount_basis

)

{{ check_rows('total_checks', with_columns=['compared_source_table', 'source_column']) }}
union all
{{ check_rows('code_checks', with_columns=['compared_source_table', 'source_column']) }}
