-- Personnel vs public expenses of basic expenditure (公开06表), with their share
SELECT entity_name, fiscal_year, category, amount AS wanyuan,
       round(100 * amount / sum(amount) OVER (PARTITION BY document_id), 1) AS pct
FROM marts.fct_expenditure_economic
WHERE stage = 'final_account' AND line_item IN ('personnel_total', 'public_total')
ORDER BY entity_name, category;
