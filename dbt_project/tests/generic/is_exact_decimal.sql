{#
    The column is stored as an exact DECIMAL(precision, scale) (never a float): amounts in the marts
    are DECIMAL(20,6) by contract. Compares the type the database reports for the built relation;
    `numeric` and `decimal` are the same type.
#}
{% test is_exact_decimal(model, column_name, precision=20, scale=6) %}

{%- set expected_type = 'decimal(' ~ precision ~ ',' ~ scale ~ ')' -%}
{%- set ns = namespace(found_type='column not found') -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(model) -%}
        {%- if column.name | lower == column_name | lower -%}
            {%- set ns.found_type = column.data_type | lower | replace(' ', '') | replace('numeric', 'decimal') -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

select
    '{{ column_name }}' as column_name,
    '{{ ns.found_type }}' as found_type,
    '{{ expected_type }}' as expected_type
{% if ns.found_type == expected_type or not execute %}
where 1 = 0
{% endif %}

{% endtest %}
