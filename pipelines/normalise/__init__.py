"""Step 3: recognised tables → amount records with their dimensions resolved."""

from __future__ import annotations

from pipelines.normalise.economic_groups import normalise_economic_groups
from pipelines.normalise.function_rows import normalise_function_rows
from pipelines.normalise.items import normalise_items
from pipelines.normalise.not_read import normalise_not_read
from pipelines.normalise.summary_panels import normalise_summary_panels

NORMALISERS = {
    "function_rows": normalise_function_rows,
    "summary_panels": normalise_summary_panels,
    "economic_groups": normalise_economic_groups,
    "items": normalise_items,
    "not_read": normalise_not_read,
}
