{#
    "Facts are stored once" (docs/architecture.md): every value printed for one fact kind of a
    loaded document, keyed by (document, fact key columns) and ranked by source-table priority
    (seed source_table_priority), then table_id, source_row, source_column: deterministic, no
    run order. Rank 1 is the stored printing (fct_*); every other printing becomes a
    same_fact_printed_twice row of rpt_reconciliation.

    PARTITION BY puts NULL key parts in one partition (a total row has no code), and fact_key
    hashes the key with a NULL marker, so both are NULL-safe.
#}
{% macro rank_printings(fact_kind, key_columns) %}

with

printed_values as (

    select * from {{ ref('int_amounts_printed') }}
    where fact_kind = '{{ fact_kind }}'
      and value_state = 'value'
      and amount is not null

),

ranked as (

    select
        printed_values.*,
        {{ fiscal_key(['document_id', "'" ~ fact_kind ~ "'"] + key_columns) }} as fact_key,
        row_number() over (
            partition by document_id, {{ key_columns | join(', ') }}
            order by table_priority, table_id, source_row, source_column
        ) as printing_rank,
        count(*) over (
            partition by document_id, {{ key_columns | join(', ') }}
        ) as printing_count

    from printed_values

)

select * from ranked

{% endmacro %}
