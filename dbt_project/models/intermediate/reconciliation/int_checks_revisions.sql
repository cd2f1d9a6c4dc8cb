/*
    revision_reads_less: a later revision of a document (same entity, fiscal year, doc_type) that
    read fewer than var('revision_min_amount_share') of the amounts of an earlier revision is held
    back (int_documents_enriched): the earlier one stays current. That is a finding someone must
    look at (a corrupted copy, or a real re-publication the reader fails on), so it is a row of its
    own: expected = the earlier revision's amount_count, actual = the held-back one's. Only held-back
    revisions have a row, and they always fail: counts are exact, so the half-step is the smallest
    there is (any difference of one amount is beyond the tolerance).
*/

with

documents as (

    select * from {{ ref('int_documents_enriched') }}

),

held_back as (

    select
        later.document_id,
        'revision_reads_less' as check_name,
        'revision ' || later.document_id || ' reads ' || cast(later.amount_count as {{ dbt.type_string() }})
            || ' amounts, below ' || cast({{ var('revision_min_amount_share') }} as {{ dbt.type_string() }})
            || ' of the ' || cast(earlier.amount_count as {{ dbt.type_string() }})
            || ' of earlier revision ' || earlier.document_id || ': not current' as subject,
        cast(null as {{ dbt.type_int() }}) as table_id,
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_int() }}) as source_page,
        cast(null as {{ dbt.type_int() }}) as source_row,
        earlier.amount_count as expected,
        later.amount_count as actual,
        1 as addend_count

    from documents as later
    inner join documents as earlier
        on later.reads_less_than = earlier.document_id
    where later.not_current_reason = 'reads_less_than_earlier_revision'

)

{{ check_rows('held_back', half_step='0.0000005') }}
