-- Catalogue of the reconciliation checks of rpt_reconciliation (from seed reconciliation_checks).

with

checks as (

    select * from {{ ref('reconciliation_checks') }}

),

final as (

    select
        check_name,
        check_family,
        rule,
        description

    from checks

)

select * from final
