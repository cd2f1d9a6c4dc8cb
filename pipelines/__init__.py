"""Fiscal disclosure warehouse: Chinese 预算/决算/绩效 documents → DuckDB → dbt marts."""

EXTRACTOR_VERSION = "2026.11.1"
