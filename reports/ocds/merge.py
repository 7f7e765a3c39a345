"""The OCDS merge routine (1.1.5 "Merging"): a contracting process's releases, oldest first, folded
into its compiled release. Objects merge field by field; an array of objects that all carry an `id`
merges item by item on that `id` (identifier merge); any other array, and a `wholeListMerge` one,
is replaced whole; a `null` removes the field; the release's `id`, `date` and `tag`
(`omitWhenMerged`) are not carried."""

from copy import deepcopy
from typing import Any

OMIT_WHEN_MERGED = frozenset({"id", "date", "tag"})
# Arrays the schema marks `wholeListMerge`: replaced whole even though their items carry ids.
WHOLE_LIST_MERGE = frozenset({"additionalIdentifiers", "additionalClassifications"})


def _identified(items: list) -> bool:
    return bool(items) and all(isinstance(item, dict) and "id" in item for item in items)


def _merge_value(key: str, old: Any, new: Any) -> Any:
    if isinstance(new, dict):
        return _merge_object(old if isinstance(old, dict) else {}, new)
    if isinstance(new, list) and key not in WHOLE_LIST_MERGE and _identified(new):
        return _merge_identified(old if isinstance(old, list) else [], new)
    return deepcopy(new)


def _merge_object(compiled: dict, release: dict) -> dict:
    merged = dict(compiled)
    for key, value in release.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _merge_value(key, merged.get(key), value)
    return merged


def _merge_identified(compiled: list, release: list) -> list:
    merged = [dict(item) for item in compiled] if _identified(compiled) else []
    positions = {str(item["id"]): n for n, item in enumerate(merged)}
    for item in release:
        key = str(item["id"])
        if key in positions:
            merged[positions[key]] = _merge_object(merged[positions[key]], item)
        else:
            positions[key] = len(merged)
            merged.append(_merge_object({}, item))
    return merged


def releases_sorted(releases: list[dict]) -> list[dict]:
    """Oldest first; releases at the same moment keep their order (their ids break no tie)."""
    return sorted(releases, key=lambda release: release["date"])


def compiled_release(releases: list[dict]) -> dict:
    """The compiled release of one contracting process (every release shares its `ocid`)."""
    ordered = releases_sorted(releases)
    compiled: dict = {}
    for release in ordered:
        compiled = _merge_object(
            compiled, {key: value for key, value in release.items() if key not in OMIT_WHEN_MERGED}
        )
    latest = ordered[-1]
    return {
        "ocid": latest["ocid"],
        "id": f"{latest['ocid']}-compiled-{latest['date']}",
        "date": latest["date"],
        "tag": ["compiled"],
        **{key: value for key, value in compiled.items() if key != "ocid"},
    }
