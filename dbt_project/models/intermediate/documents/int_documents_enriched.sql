/*
    Every landed document (loaded or rejected) with its stage, per-document counts, and its place
    among the revisions of the same document.

    Revisions: loaded documents with the same entity (macro revision_entity_key), fiscal year and
    doc_type are versions of one publication (a corrected re-publication has different bytes). The
    later one is the one landing saw first later (first_seen_at, from history.documents_seen, which
    outlives landing rebuilds and removals); documents first seen in the same run are ordered by
    their files' modification time then, and by document_id so that the order is total.
    Only the latest is current: the fact tables hold only current documents. A rejected document
    is never current and supersedes nothing (a broken re-download does not hide good data), and
    neither does a loaded document without tables (a 部门预算's text part).

    A revision that reads much less than an earlier one supersedes nothing either: a corrupted copy
    that still parses (one read 276 of 366 amounts) must not replace the good document. A revision
    whose amount_count is below var('revision_min_amount_share') (0.9) of the most any earlier
    revision of the group read is held back: not current, not_current_reason
    `reads_less_than_earlier_revision`, reads_less_than = that earlier revision; the documents
    around it are ordered as if it were not there. A correction reading as many amounts, more, or
    a few fewer within the share supersedes as before. Reported as a `revision_reads_less` fail in
    rpt_reconciliation (int_checks_revisions). Documents that print no amounts (performance
    evaluations) are never held back: there is nothing to compare.
*/

with

documents as (

    select * from {{ ref('stg_landing__documents') }}

),

documents_seen as (

    select * from {{ ref('stg_history__documents_seen') }}

),

doc_type_stage as (

    select * from {{ ref('doc_type_stage') }}

),

document_files as (

    select
        document_id,
        count(*) as file_name_count

    from {{ ref('stg_landing__document_files') }}
    group by document_id

),

extraction_issues as (

    select
        document_id,
        sum(case when severity = 'error' then 1 else 0 end) as error_issue_count,
        sum(case when severity = 'warning' then 1 else 0 end) as warning_issue_count

    from {{ ref('stg_landing__extraction_issues') }}
    group by document_id

),

joined as (

    select
        documents.document_id,
        documents.source_file,
        documents.file_format,
        documents.byte_size,
        documents.page_count,
        documents.doc_type,
        doc_type_stage.stage,
        documents.fiscal_year,
        documents.entity_name,
        documents.entity_key,
        documents.entity_level,
        documents.region,
        documents.printed_unit,
        documents.status,
        documents.rejection_reason,
        documents.extractor_version,
        documents.table_count,
        documents.amount_count,
        documents.printed_amount_count,
        documents.landed_printed_count,
        documents.parse_seconds,
        documents_seen.first_seen_at,
        documents_seen.file_modified_at,
        coalesce(document_files.file_name_count, 0) as file_name_count,
        coalesce(extraction_issues.error_issue_count, 0) as error_issue_count,
        coalesce(extraction_issues.warning_issue_count, 0) as warning_issue_count

    from documents
    left join documents_seen
        on documents.document_id = documents_seen.document_id
    left join doc_type_stage
        on documents.doc_type = doc_type_stage.doc_type
    left join document_files
        on documents.document_id = document_files.document_id
    left join extraction_issues
        on documents.document_id = extraction_issues.document_id

),

revision_groups as (

    select
        document_id,
        first_seen_at,
        file_modified_at,
        amount_count,
        {{ fiscal_key([revision_entity_key(), 'fiscal_year', 'doc_type']) }} as revision_group

    from joined
    where status = 'loaded'
        -- a text part without tables (its tables published as a file of their own) is a part of
        -- the publication, not a revision of the file of tables
        and table_count > 0
        and {{ revision_entity_key() }} is not null
        and fiscal_year is not null
        and doc_type is not null

),

-- every loaded revision in the order it arrived, with the most amounts any earlier one read
arrivals as (

    select
        document_id,
        revision_group,
        amount_count,
        row_number() over arrival_order as revision_number,
        count(*) over (partition by revision_group) as revision_count,
        max(amount_count) over (arrival_order rows between unbounded preceding and 1 preceding)
            as best_earlier_amount_count

    from revision_groups
    window arrival_order as (
        partition by revision_group
        order by first_seen_at nulls first, file_modified_at nulls first, document_id
    )

),

-- a held-back revision never raises the best earlier count (it reads less than it), so the
-- comparison is always with a revision that was not held back itself
held_back as (

    select
        arrivals.document_id,
        arrivals.revision_group,
        coalesce(
            arrivals.amount_count < {{ var('revision_min_amount_share') }} * arrivals.best_earlier_amount_count,
            false
        ) as is_held_back

    from arrivals

),

-- the earlier revision a held-back one is compared with: the one that read the most (the latest of equals)
reads_less_than as (

    select
        later.document_id,
        earlier.document_id as reads_less_than,
        row_number() over (
            partition by later.document_id
            order by earlier.amount_count desc, earlier.revision_number desc
        ) as best_rank

    from arrivals as later
    inner join held_back
        on later.document_id = held_back.document_id
        and held_back.is_held_back
    inner join arrivals as earlier
        on later.revision_group = earlier.revision_group
        and earlier.revision_number < later.revision_number

),

-- the revisions that may supersede: each one is superseded by the next of them
successions as (

    select
        arrivals.document_id,
        lead(arrivals.document_id) over (
            partition by arrivals.revision_group
            order by arrivals.revision_number
        ) as superseded_by

    from arrivals
    inner join held_back
        on arrivals.document_id = held_back.document_id
    where not held_back.is_held_back

),

final as (

    select
        joined.*,
        case when joined.status = 'loaded' then coalesce(arrivals.revision_number, 1) end as revision_number,
        case when joined.status = 'loaded' then coalesce(arrivals.revision_count, 1) end as revision_count,
        joined.status = 'loaded' and not coalesce(held_back.is_held_back, false) and successions.superseded_by is null
            as is_current,
        successions.superseded_by,
        case
            when joined.status <> 'loaded' then 'rejected'
            when held_back.is_held_back then 'reads_less_than_earlier_revision'
            when successions.superseded_by is not null then 'superseded'
        end as not_current_reason,
        reads_less_than.reads_less_than

    from joined
    left join arrivals
        on joined.document_id = arrivals.document_id
    left join held_back
        on joined.document_id = held_back.document_id
    left join successions
        on joined.document_id = successions.document_id
    left join reads_less_than
        on joined.document_id = reads_less_than.document_id
        and reads_less_than.best_rank = 1

)

select * from final
