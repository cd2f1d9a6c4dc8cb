{#
    Status of one reconciliation check (marts.rpt_reconciliation):
      insufficient_data  an input is missing (never counted as a pass)
      pass               actual = expected exactly
      rounding           |actual - expected| <= tolerance (the document's own 尾数误差)
      fail               anything else
#}
{% macro reconciliation_status(expected, actual, tolerance) -%}
    case
        when {{ expected }} is null or {{ actual }} is null then 'insufficient_data'
        when {{ actual }} = {{ expected }} then 'pass'
        when abs({{ actual }} - {{ expected }}) <= {{ tolerance }} then 'rounding'
        else 'fail'
    end
{%- endmacro %}

{#
    Printing-precision tolerance in 万元: for n addends printed with 2 decimals the rounded total
    and the sum of the rounded addends differ by at most (n + 1) half-steps of the printed unit
    (half-step = 0.005 万元 for tables printed in 万元, 0.0000005 万元 for tables printed in 元;
    seed printed_units). A comparison of two printings of one amount has n = 1.
#}
{% macro reconciliation_tolerance(addend_count, half_step) -%}
    cast((case when {{ addend_count }} > 1 then {{ addend_count }} else 1 end + 1) * {{ half_step }}
         as {{ tolerance_type() }})
{%- endmacro %}

{#- The end of a check's subject: the amount basis when not `actual`, and the unit when split by unit. -#}
{% macro subject_suffix(prefix='') -%}
case when {{ prefix }}amount_basis <> 'actual' then ' ' || {{ prefix }}amount_basis else '' end
            || case when {{ prefix }}unit_code is not null then ' unit ' || {{ prefix }}unit_code else '' end
{%- endmacro %}

{#
    The rows of a reconciliation check, as rpt_reconciliation reads them and judges them (tolerance
    and status above, explanation from a seed). Every int_checks_* model ends with it, so that the
    check contract (the columns in their order, a typed NULL for what a check has not, expected and
    actual in the amount type the verdict compares) is written once, not in each model's verdict block.

      relation      a CTE or ref with document_id, check_name, subject, table_id, source_table,
                    source_page, source_row, expected, actual, addend_count and (unless half_step
                    is given) rounding_half_step
      with_columns  the optional columns it has too: compared_source_table (a cross-table check),
                    source_column (a check on one cell); the others are NULL
      half_step     one half-step for every row (weights and scores printed with 2 decimals: '0.005')
                    instead of the relation's rounding_half_step

    Usage: {{ check_rows('checks', with_columns=['compared_source_table']) }}
#}
{% macro check_rows(relation, with_columns=[], half_step=none) -%}
    {%- set string_null = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
    {%- set int_null = 'cast(null as ' ~ dbt.type_int() ~ ')' -%}
    select
        document_id,
        check_name,
        subject,
        table_id,
        source_table,
        {{ 'compared_source_table' if 'compared_source_table' in with_columns else string_null }} as compared_source_table,
        source_page,
        source_row,
        {{ 'source_column' if 'source_column' in with_columns else int_null }} as source_column,
        cast(expected as {{ amount_type() }}) as expected,
        cast(actual as {{ amount_type() }}) as actual,
        addend_count,
        {{ 'rounding_half_step' if half_step is none else 'cast(' ~ half_step ~ ' as ' ~ tolerance_type() ~ ')' }} as rounding_half_step
    from {{ relation }}
{%- endmacro %}
