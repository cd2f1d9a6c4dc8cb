/*
    same_fact_printed_twice: every printing of a fact that is not the stored one (printing_rank > 1
    in the *_ranked models) compared with the stored printing (rank 1). expected = the stored
    amount, actual = this printing. n = 1 addend, so the tolerance is two half-steps (the two
    printings are each rounded once).
*/

{% set ranked_models = [
    'int_income_ranked',
    'int_expenditure_function_ranked',
    'int_expenditure_economic_ranked',
    'int_three_public_ranked',
] %}

with

printings as (

    {% for ranked_model in ranked_models %}
    select
        document_id,
        fact_key,
        fact_kind,
        printing_rank,
        table_id,
        source_table,
        source_page,
        source_row,
        source_column,
        code,
        line_item,
        measure,
        three_public_item,
        fund_source,
        amount_basis,
        unit_code,
        amount,
        rounding_half_step

    from {{ ref(ranked_model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

stored as (

    select * from printings
    where printing_rank = 1

),

other_printings as (

    select * from printings
    where printing_rank > 1

),

checks as (

    select
        other_printings.document_id,
        'same_fact_printed_twice' as check_name,
        other_printings.source_table
            || ' row ' || coalesce(cast(other_printings.source_row as {{ dbt.type_string() }}), '?')
            || ': '
            || coalesce(other_printings.code, other_printings.line_item, other_printings.three_public_item, '')
            || case when other_printings.fact_kind = 'income' then ' income' else '' end
            || case when other_printings.measure is not null then ' ' || other_printings.measure else '' end
            || case
                when other_printings.fund_source is not null and other_printings.fund_source <> 'all'
                    then ' ' || other_printings.fund_source
                else ''
            end
            || {{ subject_suffix('other_printings.') }}
            || ' vs ' || stored.source_table
            as subject,
        other_printings.table_id,
        other_printings.source_table,
        stored.source_table as compared_source_table,
        other_printings.source_page,
        other_printings.source_row,
        other_printings.source_column,
        stored.amount as expected,
        other_printings.amount as actual,
        1 as addend_count,
        case
            when other_printings.rounding_half_step > stored.rounding_half_step
                then other_printings.rounding_half_step
            else stored.rounding_half_step
        end as rounding_half_step

    from other_printings
    inner join stored
        on other_printings.fact_key = stored.fact_key

)

{{ check_rows('checks', with_columns=['compared_source_table', 'source_column']) }}
