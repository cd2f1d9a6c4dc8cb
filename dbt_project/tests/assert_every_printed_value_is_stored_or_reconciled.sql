/*
    "Every amount printed in a supported table of a loaded document is in the marts with its
    provenance … no fact is counted twice" (warehouse contract): each printed value of a loaded
    document is either the stored fact (one fct_* row) or a same_fact_printed_twice row of
    rpt_reconciliation. Returns the documents where the counts differ.
*/

with

printed_values as (

    select document_id, count(*) as printed_value_count
    from {{ ref('int_amounts_printed') }}
    where value_state = 'value' and amount is not null
    group by document_id

),

facts as (

    select document_id from {{ ref('fct_income') }}
    union all
    select document_id from {{ ref('fct_expenditure_function') }}
    union all
    select document_id from {{ ref('fct_expenditure_economic') }}
    union all
    select document_id from {{ ref('fct_three_public') }}

),

fact_counts as (

    select document_id, count(*) as fact_count
    from facts
    group by document_id

),

second_printings as (

    select document_id, count(*) as second_printing_count
    from {{ ref('rpt_reconciliation') }}
    where check_name = 'same_fact_printed_twice'
    group by document_id

)

select
    printed_values.document_id,
    printed_values.printed_value_count,
    coalesce(fact_counts.fact_count, 0) as fact_count,
    coalesce(second_printings.second_printing_count, 0) as second_printing_count

from printed_values
left join fact_counts
    on printed_values.document_id = fact_counts.document_id
left join second_printings
    on printed_values.document_id = second_printings.document_id
where printed_values.printed_value_count
    <> coalesce(fact_counts.fact_count, 0) + coalesce(second_printings.second_printing_count, 0)
