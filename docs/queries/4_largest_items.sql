-- The largest 项 (7-digit items) of general-public-budget expenditure, basic vs project (公开05表)
SELECT entity_name, function_code, function_name,
       sum(CASE WHEN expenditure_type = 'total' THEN amount END)   AS total,
       sum(CASE WHEN expenditure_type = 'basic' THEN amount END)   AS basic,
       sum(CASE WHEN expenditure_type = 'project' THEN amount END) AS project
FROM marts.fct_expenditure_function
WHERE stage = 'final_account' AND fund_source = 'general_public_budget' AND function_level = 'item'
GROUP BY entity_name, function_code, function_name
ORDER BY total DESC
LIMIT 6;
