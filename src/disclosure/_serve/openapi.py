"""The OpenAPI 3.1 document of the service, written by hand (the JSON layouts are the
library's, documented in its reference; no model layer generates them), and the HTTP
reference page generated from it.

The facts and readings schemas come from the rule family's vocabulary, so a client's
generator knows every fact, value and contested point. ``python -m
disclosure._serve.openapi`` prints the reference page (``docs/reference/http.md``); the
test suite checks the page is current and that every route is in the document.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any

import disclosure

__all__ = ["document", "markdown"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _text() -> dict[str, Any]:
    return _ref("Text")


def _nullable(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {"anyOf": [dict(schema), {"type": "null"}]}


#: marks a schema drawn from the family's vocabulary: the reference page points to the
#: vocabulary page instead of listing it, so that it stays current as the rules change
_FROM_VOCABULARY = "x-disclosure-vocabulary"


def _fact_schema(fact: Any) -> dict[str, Any]:
    if fact.kind == "date":
        schema: dict[str, Any] = {"type": "string", "format": "date"}
    elif fact.kind == "bool":
        schema = {"type": "boolean"}
    else:
        schema = {"type": "string", "enum": list(fact.values)}
    return {**_nullable(schema), "description": fact.meaning.en}


def _facts_schema(family: disclosure.Family) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "The facts of the situation, by name (see GET /v1/vocabulary). A fact "
        "left out, or null, is unknown: when the answer depends on it, the decision is "
        "undetermined and its next_question asks for it.",
        "properties": {fact.name: _fact_schema(fact) for fact in family.vocabulary.facts},
        "additionalProperties": False,
        _FROM_VOCABULARY: "facts",
    }


def _readings_schema(family: disclosure.Family) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "A reading for contested points of the law (each has a default).",
        "properties": {
            point.id: {
                "type": "string",
                "enum": list(point.reading_ids),
                "description": f"{point.question.en} Default: {point.default}.",
            }
            for point in family.contested
        },
        "additionalProperties": False,
        _FROM_VOCABULARY: "contested points",
    }


_DATE = {"type": "string", "format": "date", "description": "An ISO date (YYYY-MM-DD)."}
_LANG = {
    "type": "string",
    "enum": ["fr", "nl", "en"],
    "description": "Adds `explanation`: the answer as text in this language.",
}


def _layout(name: str, schema_id: str, description: str, required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": {"schema": {"const": schema_id}},
        "required": ["schema", *required],
        "additionalProperties": True,
        "title": name,
    }


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("Error")}},
    }


_PROVENANCE_HEADERS = {
    "Disclosure-Library-Version": {
        "description": "The version of the disclosure library that answered (every answer).",
        "schema": {"type": "string"},
    },
    "Disclosure-Ruleset": {
        "description": "The rule family's id (every answer).",
        "schema": {"type": "string"},
    },
    "Disclosure-Version": {
        "description": "The version id of the law that answered; several, in order, "
        "separated by commas (a comparison's sides, a diff's two sides).",
        "schema": {"type": "string"},
    },
    "Disclosure-Content-SHA256": {
        "description": "The content hash of each version that answered (as in the receipt), "
        "in the same order.",
        "schema": {"type": "string"},
    },
}


def _headers(*names: str) -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


_ALL = tuple(_PROVENANCE_HEADERS)
_BASE = ("Disclosure-Library-Version", "Disclosure-Ruleset")

_REFUSALS = {
    "401": _error_response("A bearer token is needed (the service was started with one)."),
    "503": {
        **_error_response(
            "The service is busy or the answer took longer than its time limit; retry after "
            "`Retry-After` seconds."
        ),
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    },
    "500": _error_response(
        "A bug of the service (never bad input): the body carries only an incident "
        "reference, found in the service's log."
    ),
}


def _body_refusals() -> dict[str, Any]:
    return {
        "400": _error_response(
            "The body is not a JSON object of the expected fields: malformed JSON, nested "
            "too deep, a duplicate key, an unknown field or a field of the wrong type."
        ),
        "413": _error_response("The body is larger than the service accepts (`--max-body`)."),
        "415": _error_response("The body is not sent as `application/json`."),
        "422": _error_response(
            "The body is well formed but names an unknown fact, value, version, contested "
            "point or reading, an impossible combination of facts, or a date no version "
            "governs; the error's `path` says where, with a suggestion when one is close."
        ),
        **_REFUSALS,
    }


def document(family: disclosure.Family | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``disclosure serve`` for ``family`` (bundled by
    default)."""
    family = family or disclosure.load()
    evaluate_request = {
        "type": "object",
        "required": ["facts"],
        "additionalProperties": False,
        "properties": {
            "facts": _ref("Facts"),
            "on": {
                **_DATE,
                "description": "The date of the facts (or give the `date` fact); it selects "
                "the version in force. Today by default.",
            },
            "known_on": {
                **_DATE,
                "description": "The law as known on this date (today by default): a rule "
                "annulled retroactively applies only as known before its annulment.",
            },
            "version": {
                "type": "string",
                "description": "A version id or alias (see `GET /v1/versions`) instead of the "
                "one in force on the date (then taken as enacted unless `known_on` is given).",
            },
            "readings": _ref("Readings"),
            "lang": _LANG,
        },
    }
    compare_request = {
        "type": "object",
        "required": ["facts"],
        "additionalProperties": False,
        "properties": {
            "facts": _ref("Facts"),
            "versions": {
                "type": "array",
                "minItems": 1,
                "maxItems": 32,
                "items": {"type": "string"},
                "description": "Version ids or aliases, each optionally `@DATE` (as known on "
                "that date) or `@today`; every version by default.",
            },
            "known_on": {**_DATE, "description": "Applies to every side that names no date."},
            "readings": _ref("Readings"),
            "lang": _LANG,
        },
    }
    decision = _layout(
        "Decision",
        "disclosure.decision/1",
        "The library's decision layout `disclosure.decision/1` (see the JSON output "
        "reference), with two members the service adds: `next_question` and, when `lang` "
        "is given, `explanation`.",
        ["outcome", "determined", "missing_facts", "receipt", "next_question"],
    )
    decision["properties"].update(
        {
            "outcome": _nullable(
                {"type": "string", "enum": ["obliged", "permitted", "forbidden", "not_applicable"]}
            ),
            "determined": {"type": "boolean"},
            "missing_facts": {"type": "array", "items": {"type": "string"}},
            "receipt": {"type": "object"},
            "next_question": _nullable(_ref("Question")),
            "explanation": {"type": "string"},
        }
    )
    schemas: dict[str, Any] = {
        "Text": {
            "type": "object",
            "description": "A text in French, Dutch and English.",
            "properties": {lang: {"type": "string"} for lang in ("fr", "nl", "en")},
            "required": ["fr", "nl", "en"],
        },
        "Facts": _facts_schema(family),
        "Readings": _readings_schema(family),
        "EvaluateRequest": evaluate_request,
        "CompareRequest": compare_request,
        "Decision": decision,
        "Question": {
            "type": "object",
            "description": "The fact the answer still depends on most (from the decision's "
            "`missing_facts`, never a fixed order), typed for a form.",
            "required": ["fact", "type", "question", "values", "needed_by", "then"],
            "properties": {
                "fact": {"type": "string"},
                "type": {"type": "string", "enum": ["bool", "enum", "date"]},
                "question": _text(),
                "values": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"value": {}, "label": _text()},
                        "required": ["value", "label"],
                    },
                },
                "needed_by": {
                    "type": "array",
                    "description": "The rules still open that wait for this fact.",
                    "items": {
                        "type": "object",
                        "properties": {
                            "rule": {"type": "string"},
                            "citation": {"type": "object"},
                            "summary": _text(),
                        },
                    },
                },
                "then": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "The other facts still needed, most useful first.",
                },
            },
        },
        "Comparison": _layout(
            "Comparison",
            "disclosure.comparison/1",
            "The library's comparison layout `disclosure.comparison/1`, and `explanation` "
            "when `lang` is given.",
            ["facts", "sides", "contrasts"],
        ),
        "Diff": _layout(
            "Diff",
            "disclosure.diff/1",
            "The library's diff layout `disclosure.diff/1` (its JSON Schema ships with the "
            "package: `disclosure schema diff`).",
            ["sides", "regions", "rules", "totals"],
        ),
        "Versions": {
            "type": "array",
            "description": "The versions, oldest first, as `disclosure versions --format json`.",
            "items": {
                "type": "object",
                "required": ["id", "aliases", "valid_from", "valid_until", "known_from"],
                "properties": {
                    "id": {"type": "string"},
                    "aliases": {"type": "array", "items": {"type": "string"}},
                    "valid_from": {"type": "string", "format": "date"},
                    "valid_until": _nullable({"type": "string", "format": "date"}),
                    "known_from": {"type": "string", "format": "date"},
                    "confidence": {"type": "string", "enum": ["high", "medium", "low"]},
                    "title": {"type": "string"},
                },
            },
        },
        "Vocabulary": {
            "type": "object",
            "description": "The facts with their meaning and values (meanings in three "
            "languages), and the contested points with their readings, as `disclosure "
            "vocabulary --format json` prints them.",
            "required": ["family", "facts", "contested"],
            "properties": {
                "family": {"type": "string"},
                "unknown": {"type": "string", "description": "How to leave a fact unknown."},
                "facts": {"type": "array", "items": {"type": "object"}},
                "contested": {"type": "array", "items": {"type": "object"}},
            },
        },
        "Health": {
            "type": "object",
            "required": ["status"],
            "properties": {
                "status": {"const": "ok"},
                "library_version": {"type": "string"},
                "ruleset": {"type": "string"},
                "versions": {"type": "integer"},
                "busy": {"type": "integer", "description": "Requests being worked on."},
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["status", "type", "path", "message"],
                    "properties": {
                        "status": {"type": "integer"},
                        "type": {
                            "type": "string",
                            "description": "A stable name: malformed_json, too_deep, "
                            "too_large, unknown_field, missing_field, bad_request, "
                            "unsupported_media_type, unknown_fact, bad_value, "
                            "impossible_facts, unknown_version, no_version, unknown_reading, "
                            "unauthorized, not_found, method_not_allowed, overloaded, "
                            "timeout, ruleset_defect, internal.",
                        },
                        "path": _nullable(
                            {
                                "type": "string",
                                "description": "Where: a JSON path in the body "
                                "(`$.facts.holder`) or a query parameter (`query.a`).",
                            }
                        ),
                        "message": {"type": "string"},
                        "suggestion": {"type": "string"},
                        "allowed": {"type": "array"},
                    },
                }
            },
        },
    }

    def json_answer(schema: str, description: str, headers: tuple[str, ...]) -> dict[str, Any]:
        return {
            "description": description,
            "headers": _headers(*headers),
            "content": {"application/json": {"schema": _ref(schema)}},
        }

    paths: dict[str, Any] = {
        "/v1/evaluate": {
            "post": {
                "operationId": "evaluate",
                "summary": "The decision on one situation",
                "description": "The outcome under the version in force on the date of the "
                "facts (or the version named), as the law is known on `known_on`, with its "
                "basis, duties, sanctions, trace, contested points and receipt. Facts may be "
                "left out: the decision is then undetermined and `next_question` asks for "
                "the fact it depends on most.",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("EvaluateRequest")}},
                },
                "responses": {
                    "200": json_answer("Decision", "The decision.", _ALL),
                    **_body_refusals(),
                },
            }
        },
        "/v1/compare": {
            "post": {
                "operationId": "compare",
                "summary": "One situation under several versions",
                "description": "A decision per version, side by side, and between neighbours "
                "what differs and the rules that make it differ.",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("CompareRequest")}},
                },
                "responses": {
                    "200": json_answer("Comparison", "The comparison.", _ALL),
                    **_body_refusals(),
                },
            }
        },
        "/v1/diff": {
            "get": {
                "operationId": "diff",
                "summary": "What changed between two versions",
                "description": "The structural and semantic difference: the rules added, "
                "removed or changed, and every region of situations whose outcome differs. "
                "Only versions of the service's family can be named.",
                "parameters": [
                    {
                        "name": "a",
                        "in": "query",
                        "required": True,
                        "description": "The earlier side: a version id or alias, optionally "
                        "`@DATE` or `@today` (as known on that date).",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "b",
                        "in": "query",
                        "required": True,
                        "description": "The later side, named as `a`.",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "format",
                        "in": "query",
                        "description": "`json` (default) or `html`: the self-contained report.",
                        "schema": {"type": "string", "enum": ["json", "html"]},
                    },
                    {
                        "name": "lang",
                        "in": "query",
                        "description": "Language of the HTML report (default `en`).",
                        "schema": {"type": "string", "enum": ["fr", "nl", "en"]},
                    },
                    {
                        "name": "known_on",
                        "in": "query",
                        "description": "Both sides as the law was known on this ISO date, "
                        "unless a side names its own.",
                        "schema": {"type": "string", "format": "date"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The diff.",
                        "headers": _headers(*_ALL),
                        "content": {
                            "application/json": {"schema": _ref("Diff")},
                            "text/html": {"schema": {"type": "string"}},
                        },
                    },
                    "400": _error_response("An unknown or repeated parameter, or a side left out."),
                    "422": _error_response("An unknown version, format, language or date."),
                    **_REFUSALS,
                },
            }
        },
        "/v1/versions": {
            "get": {
                "operationId": "versions",
                "summary": "The versions of the law",
                "responses": {
                    "200": json_answer("Versions", "The versions, oldest first.", _BASE),
                    **_REFUSALS,
                },
            }
        },
        "/v1/vocabulary": {
            "get": {
                "operationId": "vocabulary",
                "summary": "The facts, their values and the contested points",
                "responses": {
                    "200": json_answer("Vocabulary", "The vocabulary, with labels.", _BASE),
                    **_REFUSALS,
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {
                    "200": {
                        "description": "The OpenAPI 3.1 document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    **_REFUSALS,
                },
            }
        },
        "/healthz": {
            "get": {
                "operationId": "healthz",
                "summary": "Whether the service is up",
                "responses": {
                    "200": json_answer("Health", "Up, with the work in progress.", _BASE),
                    **_REFUSALS,
                },
            }
        },
        "/": {
            "get": {
                "operationId": "page",
                "summary": "The intake form (a web page in fr, nl, en)",
                "security": [{}],
                "responses": {
                    "200": {
                        "description": "The page; its style and script are under /static/.",
                        "content": {"text/html": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/static/{name}": {
            "get": {
                "operationId": "static",
                "summary": "The page's own style, script and icon",
                "security": [{}],
                "parameters": [
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {"description": "The file."},
                    "404": _error_response("No such file."),
                },
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "disclosure",
            "version": disclosure.__version__,
            "summary": "Professional-secrecy law as versioned rulesets, over HTTP.",
            "description": f"`disclosure serve` for the rule family `{family.id}`: "
            f"{family.title.en}. Answers use the library's JSON layouts; every answer "
            "carries its provenance in headers. Not legal advice.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "http://127.0.0.1:8000"}],
        "security": [{}, {"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "headers": _PROVENANCE_HEADERS,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Needed on every request but the page's own files when "
                    "the service runs with `--token-file`.",
                }
            },
        },
    }


# -- the reference page -----------------------------------------------------------------


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _type(schema: Mapping[str, Any]) -> str:
    if "$ref" in schema:
        name = str(schema["$ref"]).rpartition("/")[2]
        return f"[{name}](#{name.lower()})"
    if "anyOf" in schema:
        kinds = [_type(s) for s in schema["anyOf"]]
        return " or ".join(kinds)
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if "enum" in schema:
        return " or ".join(f"`{json.dumps(v)}`" for v in schema["enum"])
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return str(kind)


def _properties(schema: Mapping[str, Any]) -> list[str]:
    required = set(schema.get("required", ()))
    lines = ["| field | type | required | meaning |", "|---|---|---|---|"]
    for name, field in schema.get("properties", {}).items():
        description = field.get("description", "")
        lines.append(
            f"| `{name}` | {_cell(_type(field))} | {'yes' if name in required else ''} | "
            f"{_cell(description)} |"
        )
    return lines


def markdown(spec: Mapping[str, Any]) -> str:
    """The HTTP reference page (Markdown) of an OpenAPI document."""
    out = [
        "# HTTP API",
        "",
        "<!-- Generated from the OpenAPI document by `python -m disclosure._serve.openapi > "
        "docs/reference/http.md`; the test suite checks it is current. Do not edit. -->",
        "",
        f"{spec['info']['description']}",
        "",
        "The service is `disclosure serve` (see [run the service]"
        "(../how-to/run-the-service.md)); the same document is served at `/openapi.json`. "
        "Decisions, comparisons and diffs are the library's [JSON layouts](json-schemas.md) "
        "(the [diff layout](diff-json.md) has its own page).",
        "",
        "## Routes",
        "",
        "| method | path | what |",
        "|---|---|---|",
    ]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            anchor = operation["operationId"]
            out.append(
                f"| {method.upper()} | [`{path}`](#{anchor}) | {_cell(operation['summary'])} |"
            )
    out += [
        "",
        "Every answer carries these headers, so a client can log what answered without "
        "logging what was asked:",
        "",
        "| header | meaning |",
        "|---|---|",
    ]
    for name, header in spec["components"]["headers"].items():
        out.append(f"| `{name}` | {_cell(header['description'])} |")
    bearer = spec["components"]["securitySchemes"]["bearer"]
    out += ["", f"**Token.** {bearer['description']}", ""]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            out += [
                f"## {method.upper()} `{path}` {{: #{operation['operationId']} }}",
                "",
                f"{operation['summary']}.",
                "",
            ]
            if operation.get("description"):
                out += [operation["description"], ""]
            parameters = operation.get("parameters", [])
            if parameters:
                out += ["| parameter | in | type | required | meaning |", "|---|---|---|---|---|"]
                for parameter in parameters:
                    out.append(
                        f"| `{parameter['name']}` | {parameter['in']} | "
                        f"{_cell(_type(parameter['schema']))} | "
                        f"{'yes' if parameter.get('required') else ''} | "
                        f"{_cell(parameter.get('description', ''))} |"
                    )
                out.append("")
            body = operation.get("requestBody")
            if body:
                schema = body["content"]["application/json"]["schema"]
                out += [f"Body (`application/json`): {_type(schema)}.", ""]
            out += ["| status | answer |", "|---|---|"]
            for status, response in sorted(operation["responses"].items()):
                content = response.get("content", {})
                kinds = ", ".join(
                    f"{_type(media['schema'])} (`{kind}`)" if media.get("schema") else kind
                    for kind, media in content.items()
                )
                text = response["description"] + (f" {kinds}" if kinds else "")
                out.append(f"| {status} | {_cell(text)} |")
            out.append("")
    out += ["## Schemas", ""]
    for name, schema in spec["components"]["schemas"].items():
        out += [f"### {name} {{: #{name.lower()} }}", ""]
        if schema.get("description"):
            out += [schema["description"], ""]
        if schema.get("type") == "array":
            out += [f"A {_type(schema)}.", ""]
            schema = schema["items"]
        if _FROM_VOCABULARY in schema:
            what = schema[_FROM_VOCABULARY]
            out += [
                f"One field per {what[:-1]} of the rule family, each optional: the names, "
                f"values and meanings are in the [vocabulary](vocabulary.md) (and at "
                "`GET /v1/vocabulary`); `/openapi.json` lists them.",
                "",
            ]
        elif schema.get("properties"):
            out += [*_properties(schema), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def main() -> None:  # pragma: no cover - a thin command, tested through markdown()
    sys.stdout.write(markdown(document()))


if __name__ == "__main__":  # pragma: no cover
    main()
