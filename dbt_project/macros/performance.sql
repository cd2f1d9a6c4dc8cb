{#- Performance models: the project context every funding line and indicator carries. -#}

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
