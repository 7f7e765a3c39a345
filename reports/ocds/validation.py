"""Offline validation of OCDS 1.1.5 releases, records and their packages: the vendored schema
(`schema/`, with the extensions we use merged in) through `jsonschema`, every `$ref` resolved from
the files in this repository (no URL is ever fetched), and every value of a codelist field checked
against the vendored codelist. The same validator judges what we publish (tests, the bulk build)
and what a test corrupted on purpose."""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft4Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
RELEASE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
EXTENSIONS = ("lots", "yizhan")

# Values we publish in open codelists beyond the standard's own, each explained in docs/open-data.md.
LOCAL_CODES: dict[str, frozenset[str]] = {
    # China's government procurement catalogue (政府采购品目分类目录): codes like A0201, C2301.
    "itemClassificationScheme.csv": frozenset({"CN-GPCC"}),
}


@dataclass(frozen=True)
class ValidationReport:
    """What the validator found: `errors` as "path: message" lines, empty when valid."""

    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def __str__(self) -> str:
        return "valid" if self.is_valid else "\n".join(self.errors)


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: how OCDS extensions are applied to the release schema."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


def _load(name: str) -> dict:
    """A vendored schema without its `$schema`: all are draft 4, and a `$ref`d schema that names its
    dialect would be checked by the plain Draft4Validator, skipping our `codelist` keyword."""
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    schema.pop("$schema", None)
    return schema


@cache
def release_schema() -> dict:
    """The 1.1.5 release schema with our extensions merged in (its `id` stays the standard's URL,
    so the package schemas' `$ref`s find it in the local registry)."""
    schema = _load("release-schema.json")
    for extension in EXTENSIONS:
        schema = _merge_patch(schema, _load(f"extensions/{extension}/release-schema.json"))
    return schema


@cache
def codelists() -> dict[str, frozenset[str]]:
    """Codelist file name → its codes, from the vendored CSV files."""
    lists = {}
    for path in sorted((SCHEMA_DIR / "codelists").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            lists[path.name] = frozenset(row["Code"] for row in csv.DictReader(handle))
    return lists


def _codelist_keyword(validator, codelist: str, instance: Any, schema: dict) -> Iterator[ValidationError]:
    """The schema's `codelist` annotation as a check: closed codelists accept only their codes, open
    ones also our documented local codes (LOCAL_CODES)."""
    codes = codelists().get(codelist)
    if codes is None:
        yield ValidationError(f"unknown codelist {codelist!r}")
        return
    allowed = codes if not schema.get("openCodelist") else codes | LOCAL_CODES.get(codelist, frozenset())
    values = instance if isinstance(instance, list) else [instance]
    for value in values:
        if isinstance(value, str) and value not in allowed:
            yield ValidationError(f"{value!r} is not a code of {codelist}")


_formats = FormatChecker(formats=("date-time",))


@_formats.checks("uri", raises=ValueError)
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.scheme in ("urn", "mailto")))


OcdsValidator = validators.extend(Draft4Validator, {"codelist": _codelist_keyword})


@cache
def _registry() -> Registry:
    resources = [
        (RELEASE_SCHEMA_URL, release_schema()),
        *(
            (schema["id"], schema)
            for schema in (_load("release-package-schema.json"), _load("record-package-schema.json"))
        ),
    ]
    return Registry().with_resources(
        (url, Resource.from_contents(contents, default_specification=DRAFT4)) for url, contents in resources
    )


def _validate(instance: Any, schema: dict) -> ValidationReport:
    validator = OcdsValidator(schema, registry=_registry(), format_checker=_formats)
    errors = []
    try:
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
            errors.extend(_describe(error))
    except Unresolvable as unresolvable:  # a $ref outside the vendored files: never fetched
        errors.append(f"$: reference not available offline: {unresolvable}")
    return ValidationReport(errors=errors)


def _describe(error: ValidationError) -> list[str]:
    """One line per failure; for a `oneOf` (the record's releases: linked or embedded) the branch
    errors, which say what is actually wrong."""
    if error.validator == "oneOf" and error.context:
        branches: dict = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        closest = min(branches.values(), key=len)  # the branch the instance nearly matches
        return [line for sub in closest for line in _describe(sub)]
    path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return [f"{path}: {error.message}"]


def release_validate(release: dict) -> ValidationReport:
    return _validate(release, release_schema())


def release_package_validate(package: dict) -> ValidationReport:
    return _validate(package, _load("release-package-schema.json"))


def record_package_validate(package: dict) -> ValidationReport:
    return _validate(package, _load("record-package-schema.json"))
