-- Budget execution by project: full-year budget, executed, the printed rate and the rate the amounts give
SELECT entity_name, project_name, budget_full_year, executed, execution_rate,
       round(100 * executed / nullif(budget_full_year, 0), 2) AS computed_rate
FROM marts.dim_project
WHERE budget_full_year IS NOT NULL
ORDER BY execution_rate, project_name;
