{#
    The column never holds one of the given values (the opposite of accepted_values).
    Used with severity warn on rpt_reconciliation.status = 'fail': a published document that does
    not add up is a finding to report, not a broken build.
#}
{% test not_accepted_values(model, column_name, values, quote=true) %}

select
    {{ column_name }} as value_field,
    count(*) as n_records
from {{ model }}
where {{ column_name }} in (
    {%- for value in values -%}
        {%- if quote %}'{{ value }}'{% else %}{{ value }}{% endif %}{% if not loop.last %}, {% endif %}
    {%- endfor -%}
)
group by {{ column_name }}

{% endtest %}
