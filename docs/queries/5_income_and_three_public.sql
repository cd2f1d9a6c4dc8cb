-- Income by source and the “三公” expenses, one line per document
SELECT d.entity_name, d.fiscal_year, d.doc_type,
       max(CASE WHEN i.income_source = 'total' THEN i.amount END)                AS income_total,
       max(CASE WHEN i.income_source = 'fiscal_appropriation' THEN i.amount END) AS fiscal_appropriation,
       max(CASE WHEN i.income_source = 'other' THEN i.amount END)                AS other_income,
       max(t.amount)                                                             AS three_public
FROM marts.dim_document AS d
JOIN marts.fct_income AS i
  ON i.document_id = d.document_id AND i.function_code IS NULL AND i.line_item = 'total'
LEFT JOIN marts.fct_three_public AS t
  ON t.document_id = d.document_id AND t.item = 'total' AND t.amount_basis = 'actual'
WHERE d.stage = 'final_account'
GROUP BY d.entity_name, d.fiscal_year, d.doc_type
ORDER BY d.entity_name;
