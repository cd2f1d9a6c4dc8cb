/*
    Reconciliation report: one row per document × check × subject. status:
      pass               actual = expected exactly
      rounding           |difference| <= tolerance, (n + 1) half-steps of the printed unit for n
                         addends (the document's own 尾数误差)
      fail               anything else: a finding about the document (or the extraction)
      insufficient_data  an input is missing or ambiguous; never counted as a pass
    explanation: why a check fails where a person has found the cause in the document itself (seed
    reconciliation_explanations); the status stays what the figures say.
*/

{% set check_models = [
    'int_checks_hierarchy',
    'int_checks_parent_printed',
    'int_checks_row_identities',
    'int_checks_summary',
    'int_checks_budget_balance',
    'int_checks_units',
    'int_checks_basic_expenditure',
    'int_checks_economic_total',
    'int_checks_same_fact',
    'int_checks_performance_scores',
    'int_checks_project_funding',
    'int_checks_revisions',
] %}

with

checks as (

    {% for check_model in check_models %}
    {{ check_rows(ref(check_model), with_columns=['compared_source_table', 'source_column']) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

documents as (

    select * from {{ ref('int_documents_enriched') }}

),

explanations as (

    select * from {{ ref('reconciliation_explanations') }}

),

measured as (

    select
        checks.*,
        cast(checks.expected as {{ amount_type() }}) as expected_amount,
        cast(checks.actual as {{ amount_type() }}) as actual_amount,
        {{ reconciliation_tolerance('checks.addend_count', 'checks.rounding_half_step') }} as tolerance

    from checks

),

final as (

    select
        {{ fiscal_key([
            'measured.document_id', 'measured.check_name', 'measured.table_id',
            'measured.source_row', 'measured.source_column', 'measured.subject'
        ]) }} as check_id,
        measured.document_id,
        documents.fiscal_year,
        documents.entity_name,
        documents.stage,
        measured.check_name,
        measured.subject,
        measured.source_table,
        measured.compared_source_table,
        measured.table_id,
        measured.source_page,
        measured.source_row,
        measured.source_column,
        measured.expected_amount as expected,
        measured.actual_amount as actual,
        cast(measured.actual_amount - measured.expected_amount as {{ amount_type() }}) as difference,
        measured.addend_count,
        measured.tolerance,
        {{ reconciliation_status('measured.expected_amount', 'measured.actual_amount', 'measured.tolerance') }}
            as status,
        explanations.explanation

    from measured
    inner join documents
        on measured.document_id = documents.document_id
    left join explanations
        on measured.document_id = explanations.document_id
        and measured.check_name = explanations.check_name
        and {{ dbt.position("explanations.subject_contains", "measured.subject") }} > 0

)

select * from final
