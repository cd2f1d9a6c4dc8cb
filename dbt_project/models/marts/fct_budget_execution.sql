/*
    Budget vs final account: the budgeted (stage budget) and the actual (stage final_account)
    amount of the same entity (entity_key, entity_level), fiscal year, function code (NULL: the
    document total), expenditure type and fund source, side by side, with the execution rate.

    Department-level facts only (no unit_code): a budget split by unit is compared through its
    department rows. Full outer join: a line budgeted but not spent, or spent but not budgeted,
    is a row with one side NULL (match_status says which).
*/

with

stored as (

    select * from {{ ref('int_expenditure_function_ranked') }}
    where printing_rank = 1
        and unit_code is null
        and (line_item is null or line_item = 'total')
        and entity_key is not null
        and fiscal_year is not null

),

budgeted as (

    select * from stored
    where stage = 'budget' and amount_basis = 'budget'

),

spent as (

    select * from stored
    where stage = 'final_account' and amount_basis = 'actual'

),

matched as (

    select
        coalesce(budgeted.entity_key, spent.entity_key) as entity_key,
        coalesce(budgeted.entity_level, spent.entity_level) as entity_level,
        coalesce(budgeted.fiscal_year, spent.fiscal_year) as fiscal_year,
        coalesce(budgeted.function_code, spent.function_code) as function_code,
        coalesce(budgeted.code_level, spent.code_level) as function_level,
        coalesce(spent.function_name, budgeted.function_name) as function_name,
        coalesce(budgeted.expenditure_type, spent.expenditure_type) as expenditure_type,
        coalesce(budgeted.fund_source, spent.fund_source) as fund_source,
        cast(budgeted.amount as {{ amount_type() }}) as budget_amount,
        cast(spent.amount as {{ amount_type() }}) as final_amount,
        budgeted.document_id as budget_document_id,
        spent.document_id as final_document_id,
        budgeted.entity_name as budget_entity_name,
        spent.entity_name as final_entity_name,
        budgeted.source_table as budget_source_table,
        budgeted.source_page as budget_source_page,
        budgeted.source_row as budget_source_row,
        spent.source_table as final_source_table,
        spent.source_page as final_source_page,
        spent.source_row as final_source_row

    from budgeted
    full outer join spent
        on budgeted.entity_key = spent.entity_key
        and budgeted.entity_level = spent.entity_level
        and budgeted.fiscal_year = spent.fiscal_year
        and {{ key_part('budgeted.function_code') }} = {{ key_part('spent.function_code') }}
        and budgeted.expenditure_type = spent.expenditure_type
        and budgeted.fund_source = spent.fund_source

),

final as (

    select
        {{ fiscal_key([
            'entity_key', 'entity_level', 'fiscal_year', 'function_code', 'expenditure_type', 'fund_source',
            'budget_document_id', 'final_document_id'
        ]) }} as execution_id,
        matched.*,
        cast(final_amount - budget_amount as {{ amount_type() }}) as difference,
        case
            when budget_amount is not null and budget_amount <> 0 and final_amount is not null
                then cast(final_amount as {{ ratio_type() }}) / cast(budget_amount as {{ ratio_type() }})
        end as execution_rate,
        case
            when budget_amount is not null and final_amount is not null then 'both'
            when budget_amount is not null then 'budget_only'
            else 'final_only'
        end as match_status

    from matched

)

select * from final
