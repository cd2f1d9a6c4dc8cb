"""Dagster orchestration of the warehouse: assets, job, schedule, sensor (see definitions.py)."""
