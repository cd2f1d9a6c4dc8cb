-- A department's budget split by unit (支出预算总表 by 单位编码): expenditure by type, all funds
SELECT entity_name, fiscal_year, unit_code, unit_name,
       sum(CASE WHEN expenditure_type = 'total' THEN amount END)     AS total,
       sum(CASE WHEN expenditure_type = 'personnel' THEN amount END) AS personnel,
       sum(CASE WHEN expenditure_type = 'public' THEN amount END)    AS public,
       sum(CASE WHEN expenditure_type = 'project' THEN amount END)   AS project
FROM marts.fct_expenditure_function
WHERE stage = 'budget' AND unit_code IS NOT NULL AND fund_source = 'all'
GROUP BY entity_name, fiscal_year, unit_code, unit_name
ORDER BY entity_name, fiscal_year, unit_code;
