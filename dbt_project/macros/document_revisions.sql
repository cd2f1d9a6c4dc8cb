{#-
    Documents that are revisions of one another: the same entity, fiscal year and document kind
    (different bytes). The entity is the normalised entity_key (recognise/entities.yaml), so that a
    re-publication that prints the name differently (工信部门 / 工业和信息化局) still supersedes.
-#}
{% macro revision_entity_key() -%}
    entity_key
{%- endmacro %}
