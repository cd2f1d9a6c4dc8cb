{#
    The combination of the given columns is unique. NULL-safe: GROUP BY puts NULLs in one group,
    so two rows that differ only by a NULL key part are reported as duplicates.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(',\n    ') }},
    count(*) as duplicate_rows
from {{ model }}
group by
    {{ combination_of_columns | join(',\n    ') }}
having count(*) > 1

{% endtest %}
