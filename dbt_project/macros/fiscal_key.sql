{#
    Deterministic surrogate key: hash of the given expressions, NULL-safe and unambiguous
    (each part is cast to text, NULL becomes a marker no real value uses, parts are separated).
    Built from dbt's cross-database macros (dbt.hash, dbt.concat, dbt.type_string) so that it
    runs unchanged on another engine.

    Usage: {{ fiscal_key(['document_id', 'function_code', "'total'"]) }}
#}
{% macro fiscal_key(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ "), '<null>')") -%}
        {%- if not loop.last -%}
            {%- do parts.append("'|'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}

{#
    NULL-safe key part for a key column: NULL becomes '<null>' so that rows whose code is not
    printed (totals) still compare equal in a GROUP BY / PARTITION BY / join.
#}
{% macro key_part(expression) -%}
    coalesce(cast({{ expression }} as {{ dbt.type_string() }}), '<null>')
{%- endmacro %}
