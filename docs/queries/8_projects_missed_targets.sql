-- Indicators that missed their target: a numeric actual short of its numeric target, or points lost
SELECT entity_name, project_name, level3 AS indicator, target_text, actual_text, achieved, weight, score
FROM marts.fct_performance_indicator
WHERE achieved = false OR score < weight
ORDER BY entity_name, project_name, indicator_seq;
