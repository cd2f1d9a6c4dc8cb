{#
    Every row satisfies a boolean SQL expression (rows where it is NULL are not reported).
    On a column: `expression` is appended to the column name (e.g. `>= 0`).
#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not ({% if column_name is not none %}{{ column_name }} {% endif %}{{ expression }})

{% endtest %}
