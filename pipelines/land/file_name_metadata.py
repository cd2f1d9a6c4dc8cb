"""The file's name as the last resort for what a document does not print of itself.

A parse is of the bytes and knows no name; landing knows the names a document was found under. Where
the parse found no kind, year or entity, the first name that gives one fills it, and an info issue
says so. The parse result itself (cached, keyed by content) is left as it is.
"""

from __future__ import annotations

import dataclasses

from pipelines.normalise.records import Issue
from pipelines.parsed_document import ParsedDocument
from pipelines.recognise.entities import normalise_entity
from pipelines.recognise.metadata import metadata_from_file_name

_FIELDS = ("doc_type", "fiscal_year", "entity_name")


def with_file_name_metadata(parsed: ParsedDocument, file_names: list[str]) -> ParsedDocument:
    if parsed.status != "loaded" or all(getattr(parsed, field) is not None for field in _FIELDS):
        return parsed
    filled: dict = {}
    notes = []
    for name in file_names:
        named = metadata_from_file_name(name)
        for field in _FIELDS:
            value = getattr(named, field)
            if getattr(parsed, field) is None and field not in filled and value is not None:
                filled[field] = value
                notes.append(f"{field} {value!r} from the file name '{name}'")
                if field == "entity_name":
                    filled["region"] = named.region
    if not filled:
        return parsed
    entity = normalise_entity(filled.get("entity_name", parsed.entity_name), filled.get("doc_type", parsed.doc_type))
    if entity is not None:
        filled["entity_key"], filled["entity_level"] = entity.key, entity.level
    issues = [
        *(i for i in parsed.issues if not (i.issue.startswith("unknown_") and i.message.split(" ")[0] in filled)),
        Issue("info", "metadata_from_file_name", "; ".join(notes)),
    ]
    return dataclasses.replace(parsed, **filled, issues=issues)
