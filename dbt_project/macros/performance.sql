{#- Performance models: the project context every funding line and indicator carries, and the
    columns every reconciliation check model emits. -#}

{% macro project_context_columns(projects='projects') -%}
        {{ projects }}.project_key,
        {{ projects }}.scope,
        {{ projects }}.project_name,
        {{ projects }}.fiscal_year,
        {{ projects }}.entity_name,
        {{ projects }}.entity_key,
        {{ projects }}.stage,
        {{ projects }}.printed_unit,
{%- endmacro %}

{% macro check_rows(relation, half_step='0.005') -%}
    select
        document_id,
        check_name,
        subject,
        table_id,
        source_table,
        cast(null as {{ dbt.type_string() }}) as compared_source_table,
        source_page,
        source_row,
        cast(null as {{ dbt.type_int() }}) as source_column,
        cast(expected as {{ amount_type() }}) as expected,
        cast(actual as {{ amount_type() }}) as actual,
        addend_count,
        cast({{ half_step }} as {{ tolerance_type() }}) as rounding_half_step
    from {{ relation }}
{%- endmacro %}

