"""Benchmarks of the ingestion pipeline (issue 7): `python -m benchmarks.run --help`."""
