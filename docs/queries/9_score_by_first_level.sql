-- Score distribution by first-level indicator: points available and obtained, per document
SELECT entity_name, fiscal_year, level1, count(*) AS indicators, sum(weight) AS weight, sum(score) AS score,
       round(100 * sum(score) / sum(weight), 1) AS pct
FROM marts.fct_performance_indicator
WHERE weight IS NOT NULL
GROUP BY entity_name, fiscal_year, level1
ORDER BY entity_name, fiscal_year, weight DESC, level1;
