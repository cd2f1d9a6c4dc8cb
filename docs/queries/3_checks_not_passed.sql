-- Checks that did not pass exactly: fail first, then the documents' own rounding
SELECT entity_name, check_name, subject, expected, actual, difference, tolerance, status
FROM marts.rpt_reconciliation
WHERE status <> 'pass'
ORDER BY CASE status WHEN 'fail' THEN 0 WHEN 'insufficient_data' THEN 1 ELSE 2 END, entity_name, check_name, subject
LIMIT 6;
