"""Every /api/v1 request checked against the OpenAPI document the API publishes, before its view runs.

Each value is validated by jsonschema_rs against the schema at its own place in that document (a `$ref`
into it), so what is published and what is enforced cannot drift apart. jsonschema_rs rather than
hand-written checks: it implements all of JSON Schema 2020-12 (OpenAPI 3.1's dialect), compiles each
schema once, and is the validator schemathesis uses, so our tests and our refusals read the schema alike.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator, Mapping
from urllib.parse import quote

import jsonschema_rs
from werkzeug.datastructures import MultiDict

from portal.api.errors import ApiError
from portal.api.openapi import document

BASE = "urn:oneaps:api"
JSON = "application/json"
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}")  # longer digit strings stay text and fail as "not a whole number"
_TYPES = {"integer": "Must be a whole number.", "string": "Must be text.", "array": "Must be a list.",
          "object": "Must be a JSON object.", "boolean": "Must be true or false.", "number": "Must be a number."}


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    many: bool
    item_type: str
    default: Any
    validator: jsonschema_rs.Validator


@dataclass(frozen=True)
class Operation:
    parameters: tuple[Parameter, ...] = ()
    body: jsonschema_rs.Validator | None = None
    body_required: bool = False
    refusals: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Checked:
    """The request's values once they match the document: integers are integers, defaults filled in."""

    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None


def _pointer(*parts: str | int) -> str:
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "#" + quote("/" + "/".join(escaped), safe="/~")


@lru_cache(maxsize=8)
def operations(allowed_domains: tuple[str, ...]) -> dict[tuple[str, str], Operation]:
    """Compiled validators for every operation of the document, by (path, method); built once per domain list."""
    published = document(allowed_domains)
    registry = jsonschema_rs.Registry([(BASE, published)], draft=jsonschema_rs.Draft202012)

    def compile_at(*parts: str | int) -> jsonschema_rs.Validator:
        return jsonschema_rs.Draft202012Validator({"$ref": BASE + _pointer(*parts)}, registry=registry)

    compiled = {}
    refusals = dict(_refusals(published))
    for path, methods in published["paths"].items():
        for method, operation in methods.items():
            parameters = []
            for n, parameter in enumerate(operation.get("parameters", [])):
                schema = parameter["schema"]
                many = schema.get("type") == "array"
                parameters.append(Parameter(
                    parameter["name"], parameter["in"], parameter.get("required", False), many,
                    (schema["items"] if many else schema).get("type", "string"), schema.get("default"),
                    compile_at("paths", path, method, "parameters", n, "schema")))
            body = operation.get("requestBody")
            compiled[(path, method)] = Operation(
                tuple(parameters),
                compile_at("paths", path, method, "requestBody", "content", JSON, "schema") if body else None,
                bool(body and body.get("required")), refusals)
    return compiled


def check(operation: Operation, *, args: MultiDict, path_values: Mapping[str, Any], mimetype: str,
          data: bytes, body_sent: bool) -> Checked:
    """The request's values, or ApiError (422 naming each field at fault, 400 or 415 for the body as a whole).

    body_sent: a body came even if data is empty (a form body the portal has already read)."""
    checked, problems = Checked(), {}
    declared = {p.name for p in operation.parameters if p.location == "query"}
    for name in args:
        if name not in declared:
            problems[name] = ["This operation has no such parameter."]
    for parameter in operation.parameters:
        if parameter.location == "path":
            value = path_values.get(parameter.name)
            _validate(parameter.validator, value, parameter.name, problems, operation.refusals, whole=True)
            checked.path[parameter.name] = value
        elif parameter.location == "query":
            _query_value(operation, parameter, args.getlist(parameter.name), checked.query, problems)
    if data or body_sent:
        checked.body = _body(operation, mimetype, data, problems)
    elif operation.body_required:
        problems["body"] = ["Send a JSON object as the request body."]
    if problems:
        raise ApiError(422, "invalid", "Some fields need fixing.", problems)
    return checked


def _query_value(operation: Operation, parameter: Parameter, raw: list[str], values: dict, problems: dict) -> None:
    if not raw:
        if parameter.required:
            problems[parameter.name] = ["This parameter is required."]
        elif parameter.default is not None:
            values[parameter.name] = parameter.default
        return
    if len(raw) > 1 and not parameter.many:
        problems[parameter.name] = ["Give this parameter once."]
        return
    typed = [int(v) if parameter.item_type == "integer" and _WHOLE_NUMBER.fullmatch(v) else v for v in raw]
    value = typed if parameter.many else typed[0]
    if _validate(parameter.validator, value, parameter.name, problems, operation.refusals, whole=True):
        values[parameter.name] = value


def _body(operation: Operation, mimetype: str, data: bytes, problems: dict) -> Any:
    if operation.body is None:
        problems["body"] = ["This operation takes no request body."]
        return None
    if mimetype != JSON:
        raise ApiError(415, "not_json", f"Send the body as JSON, with 'Content-Type: {JSON}'.")
    try:
        body = json.loads(data, object_pairs_hook=_no_repeated_fields, parse_constant=_no_constants)
    except _RepeatedField as repeated:
        problems[repeated.name] = ["Give this field once."]
        return None
    except (ValueError, RecursionError):
        raise ApiError(400, "malformed_json", "The request body is not valid JSON.") from None
    _validate(operation.body, body, "", problems, operation.refusals)
    return body


class _RepeatedField(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _no_repeated_fields(pairs: list[tuple[str, Any]]) -> dict:
    found: dict = {}
    for name, value in pairs:
        if name in found:
            raise _RepeatedField(name)
        found[name] = value
    return found


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _validate(validator: jsonschema_rs.Validator, value: Any, name: str, problems: dict,
              refusals: Mapping[str, str], *, whole: bool = False) -> bool:
    """Add a sentence per failure to problems, under the dotted name of the field it is about
    (whole: under name itself, as for a parameter, whichever of its values failed)."""
    valid = True
    for error in validator.iter_errors(value):
        valid = False
        at = name if whole else ".".join(map(str, error.instance_path))
        kind, facts = error.kind.name, error.kind.as_dict()
        if kind == "required":
            problems.setdefault(_join(at, facts["property"]), []).append("This field is required.")
        elif kind == "additionalProperties":
            for unexpected in facts["unexpected"]:
                problems.setdefault(_join(at, unexpected), []).append("This field is not part of this request.")
        else:
            problems.setdefault(at or "body", []).append(_sentence(kind, facts, error, refusals))
    return valid


def _join(at: str, name: str) -> str:
    return f"{at}.{name}" if at else name


def _sentence(kind: str, facts: dict, error: jsonschema_rs.ValidationError, refusals: Mapping[str, str]) -> str:
    if kind == "type":
        return next((_TYPES[t] for t in facts["types"] if t in _TYPES), error.message)
    if kind == "pattern":
        return refusals.get(error.absolute_keyword_location or "", "This is not in the expected form.")
    sentences = {"maxLength": "Must be {limit:,} characters or fewer.", "minLength": "Must be at least {limit:,} "
                 "characters.", "maximum": "Must be {limit:,} or less.", "minimum": "Must be {limit:,} or more.",
                 "maxItems": "Give {limit:,} values or fewer."}
    if kind in sentences:
        return sentences[kind].format(**facts)
    if kind == "enum":
        return "Must be one of: " + ", ".join(str(option) for option in facts["options"]) + "."
    return error.message


def _refusals(node: Any, at: tuple = ()) -> Iterator[tuple[str, str]]:
    """(where each pattern is, the `x-refusal` sentence beside it) across the document."""
    if isinstance(node, dict):
        if "pattern" in node and "x-refusal" in node:
            yield BASE + _pointer(*at, "pattern"), node["x-refusal"]
        for key, value in node.items():
            yield from _refusals(value, (*at, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _refusals(value, (*at, n))
