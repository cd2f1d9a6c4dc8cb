/*
    parent_row_printed: in a table that prints rows at a level (类, 款, 301 …), every printed child
    has its parent row printed too. A child without its parent is in no hierarchy check at all, so
    a parent row lost by the reader (a row OCR could not read, say) would otherwise pass silently:
    it is reported as insufficient_data, with the sum of the orphaned children as `actual`.

    Tables that print no row at the parent's level (Fujian's item-only tables, 公开01表's classes) are
    not checked.
*/

with

printed as (

    select * from {{ ref('int_amounts_printed') }}
    where code is not null

),

levels_printed as (

    select distinct
        document_id,
        table_id,
        length(code) as code_length

    from printed

),

codes_printed as (

    select distinct
        document_id,
        table_id,
        code

    from printed

),

orphans as (

    select printed.*
    from printed
    inner join levels_printed
        on printed.document_id = levels_printed.document_id
        and printed.table_id = levels_printed.table_id
        and length(printed.parent_code) = levels_printed.code_length
    where printed.parent_code is not null
        and not exists (
            select 1
            from codes_printed
            where codes_printed.document_id = printed.document_id
                and codes_printed.table_id = printed.table_id
                and codes_printed.code = printed.parent_code
        )

),

checks as (

    select
        document_id,
        'parent_row_printed' as check_name,
        max(source_table) || ' ' || parent_code || ' ' || measure || ' ' || coalesce(fund_source, '')
            || {{ subject_suffix() }}
            as subject,
        table_id,
        max(source_table) as source_table,
        min(source_page) as source_page,
        min(source_row) as source_row,
        cast(null as {{ amount_type() }}) as expected,
        sum(amount_for_checks) as actual,
        count(*) as addend_count,
        max(rounding_half_step) as rounding_half_step

    from orphans
    group by
        document_id,
        table_id,
        parent_code,
        measure,
        fund_source,
        amount_basis,
        unit_code

)

{{ check_rows('checks') }}
