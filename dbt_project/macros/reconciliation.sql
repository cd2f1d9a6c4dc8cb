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
