{#- The columns every fact table shares (warehouse contract), around its own key columns. -#}

{% macro fact_common_columns() -%}
        fact_key as fact_id,
        document_id,
        fiscal_year,
        entity_name,
        entity_key,
        stage,
        source_table,
        source_page,
        source_row,
        printed_unit,
{%- endmacro %}

{% macro fact_amount_and_provenance_columns() -%}
        cast(amount as {{ amount_type() }}) as amount,
        table_id,
        table_kind,
        source_column,
        row_label,
        column_label,
        raw_text,
        bbox,
        extraction_method,
        extractor_version,
        printing_count
{%- endmacro %}
