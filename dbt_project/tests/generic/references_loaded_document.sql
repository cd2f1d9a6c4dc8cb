{#
    Every row belongs to a document whose status is 'loaded' in the given document dimension:
    nothing from a rejected (or unknown) document may appear in a fact table.
#}
{% test references_loaded_document(model, column_name, to) %}

select facts.{{ column_name }}
from {{ model }} as facts
where not exists (
    select 1
    from {{ to }} as documents
    where documents.document_id = facts.{{ column_name }}
      and documents.status = 'loaded'
)

{% endtest %}
