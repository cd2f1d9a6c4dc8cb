{#
    No value of the text columns holds a phone number (a mobile number, or an area code and a
    landline number): personal data printed beside a project (联系电话) must not reach the marts.
#}
{% test no_phone_number(model, columns) %}

select *
from {{ model }}
where
    {%- for column in columns %}
    regexp_matches(coalesce(cast({{ column }} as {{ dbt.type_string() }}), ''),
                   '(^|[^0-9A-Za-z])(1[3-9][0-9]{9}|0[0-9]{2,3}-[0-9]{7,8})([^0-9A-Za-z]|$)')
    {%- if not loop.last %} or{% endif %}
    {%- endfor %}

{% endtest %}
