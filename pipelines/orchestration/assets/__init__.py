"""Assets in flow order: raw_documents → landing → dbt models (staging, intermediate, marts)."""
