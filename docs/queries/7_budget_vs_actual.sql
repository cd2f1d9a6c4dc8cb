-- Budget vs actual: general-public-budget expenditure by class (and in total) where both were printed
SELECT entity_key, entity_level, fiscal_year, coalesce(function_code, '(total)') AS function_code,
       function_name, budget_amount, final_amount, round(100 * execution_rate, 1) AS execution_pct
FROM marts.fct_budget_execution
WHERE fund_source = 'general_public_budget' AND expenditure_type = 'total' AND match_status = 'both'
  AND (function_level = 'class' OR function_code IS NULL)
ORDER BY entity_key, fiscal_year, function_code NULLS FIRST;
