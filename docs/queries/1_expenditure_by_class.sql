-- Expenditure by function class (类), all funds, for each document (公开03表)
SELECT entity_name, fiscal_year, function_code, function_name, amount AS wanyuan
FROM marts.fct_expenditure_function
WHERE stage = 'final_account' AND function_level = 'class' AND expenditure_type = 'total' AND fund_source = 'all' AND amount <> 0
ORDER BY entity_name, function_code;
