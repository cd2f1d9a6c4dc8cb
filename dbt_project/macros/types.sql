{#
    Column types of the warehouse, in one place so that another engine can override them
    (adapter.dispatch: define `<adapter>__amount_type` in a project macro).
#}

{# Amounts in 万元: exact for documents printed in 万元 and in 元 with 2 decimals. #}
{% macro amount_type() -%}
    {{ return(adapter.dispatch('amount_type', 'fiscal_warehouse')()) }}
{%- endmacro %}

{% macro default__amount_type() -%}
    decimal(20, 6)
{%- endmacro %}

{# Tolerances: half a printed cent of a 元 table is 0.0000005 万元, finer than an amount. #}
{% macro tolerance_type() -%}
    {{ return(adapter.dispatch('tolerance_type', 'fiscal_warehouse')()) }}
{%- endmacro %}

{% macro default__tolerance_type() -%}
    decimal(20, 8)
{%- endmacro %}

{# Ratios and scores (execution rates, indicator weights, scores and target values): a 64-bit float,
   as the contract's DOUBLE columns. #}
{% macro ratio_type() -%}
    {{ return(adapter.dispatch('ratio_type', 'fiscal_warehouse')()) }}
{%- endmacro %}

{% macro default__ratio_type() -%}
    double precision
{%- endmacro %}
