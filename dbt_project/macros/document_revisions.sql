{#-
    Documents that are revisions of one another: the same entity, fiscal year and document kind
    (different bytes). The entity is entity_name as printed for now; the normalised entity key of
    issue 3 replaces it here, and only here.
-#}
{% macro revision_entity_key() -%}
    entity_name
{%- endmacro %}
