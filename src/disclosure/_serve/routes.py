"""The service's routes: each reads its request, asks the library, answers in the library's
JSON layout with the provenance in headers.

The work itself (evaluate, compare, diff) runs in the :class:`~disclosure._serve.limits.Runner`
of the :class:`~disclosure._serve.app.Service`, within its time and concurrency limits;
everything refused is an :class:`~disclosure._serve.errors.ApiError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from disclosure._serve.answers import JSONAnswer, provenance
from disclosure._serve.errors import ApiError, RequestPaths, bad_request, member
from disclosure._serve.limits import parse_json, read_body
from disclosure._serve.requests import (
    LANGUAGES,
    check_fields,
    date_field,
    facts_field,
    lang_field,
    readings_field,
    string_field,
    versions_field,
)
from disclosure.errors import did_you_mean

if TYPE_CHECKING:
    from disclosure._serve.app import Service

__all__ = [
    "COMPARE_FIELDS",
    "DIFF_PARAMETERS",
    "EVALUATE_FIELDS",
    "REPORT_CSP",
    "compare",
    "diff",
    "evaluate",
    "healthz",
    "openapi",
    "page",
    "static",
    "versions",
    "vocabulary",
]

EVALUATE_FIELDS = ("facts", "on", "known_on", "version", "readings", "lang")
COMPARE_FIELDS = ("facts", "versions", "known_on", "readings", "lang")
DIFF_PARAMETERS = ("a", "b", "format", "lang", "known_on")

#: the policy of the HTML diff report: its own inline style and pictures, nothing else
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


async def _body(request: Request, service: Service) -> Any:
    kind = request.headers.get("content-type")
    if kind is not None and kind.split(";")[0].strip().lower() != "application/json":
        raise ApiError(
            415,
            "unsupported_media_type",
            "send the body as JSON, with Content-Type: application/json",
        )
    raw = await read_body(request, service.config.max_body)
    return parse_json(raw, service.config.max_body)


async def evaluate(request: Request) -> Response:
    """POST /v1/evaluate: the decision on one situation."""
    service = _service(request)
    body = check_fields(await _body(request, service), EVALUATE_FIELDS, service.fact_names)
    facts = facts_field(body)
    on = date_field(body, "on")
    known_on = date_field(body, "known_on")
    version = string_field(body, "version")
    readings = readings_field(body)
    lang = lang_field(body)
    where = RequestPaths(
        facts_given=facts,
        version="$.version" if version is not None else None,
        version_name=version,
        on="$.on" if on is not None else None,
        known_on="$.known_on" if known_on is not None else None,
        readings=readings,
    )
    arguments = (facts, on, known_on, version, readings, lang, where)
    if service.is_complete(facts) and lang is None:
        # answered from the decision tables in well under a millisecond: on the event loop,
        # in arrival order (a thread would add its hop and contend for the GIL)
        document = service.evaluate(*arguments)
    else:  # a partial situation explores what is still possible: bounded in time
        document = await service.runner.run(service.evaluate, *arguments)
    return JSONAnswer(document, headers=provenance([document["receipt"]]))


async def compare(request: Request) -> Response:
    """POST /v1/compare: one situation under several versions."""
    service = _service(request)
    body = check_fields(await _body(request, service), COMPARE_FIELDS, service.fact_names)
    facts = facts_field(body)
    names = versions_field(body)
    known_on = date_field(body, "known_on")
    readings = readings_field(body)
    lang = lang_field(body)
    where = RequestPaths(
        facts_given=facts,
        versions=[(f"$.versions[{i}]", spec) for i, spec in enumerate(names or ())],
        known_on="$.known_on" if known_on is not None else None,
        readings=readings,
    )
    document = await service.runner.run(
        service.compare, facts, names, known_on, readings, lang, where
    )
    receipts = [side["decision"]["receipt"] for side in document["sides"]]
    return JSONAnswer(document, headers=provenance(receipts))


def _query(request: Request) -> dict[str, str]:
    query: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        path = member("query", name)
        if name not in DIFF_PARAMETERS:
            hint = did_you_mean(name, DIFF_PARAMETERS)
            error = bad_request("unknown parameter", path, "unknown_field")
            error.suggestion = hint
            error.allowed = list(DIFF_PARAMETERS)
            raise error
        if name in query:
            raise bad_request("given twice", path)
        query[name] = value
    return query


async def diff(request: Request) -> Response:
    """GET /v1/diff?a=&b=: what changed between two versions (JSON, or HTML)."""
    service = _service(request)
    query = _query(request)
    for name in ("a", "b"):
        if not query.get(name):
            raise bad_request(
                "name the two versions to compare: ?a=prior&b=terrorism-2017",
                f"query.{name}",
                "missing_field",
            )
    fmt = query.get("format", "json")
    if fmt not in ("json", "html"):
        raise ApiError(
            422,
            "bad_value",
            "the format is json or html",
            path="query.format",
            allowed=["json", "html"],
        )
    lang = query.get("lang", "en")
    if lang not in LANGUAGES:
        raise ApiError(
            422,
            "bad_value",
            "the language is fr, nl or en",
            path="query.lang",
            allowed=list(LANGUAGES),
        )
    known_on = date_field(query, "known_on", "query.known_on")
    where = RequestPaths(
        facts=None,
        versions=[("query.a", query["a"]), ("query.b", query["b"])],
        known_on="query.known_on" if known_on is not None else None,
    )
    service.check_version_names(where)
    content, receipts = await service.runner.run(
        service.diff, query["a"], query["b"], known_on, fmt, lang, where
    )
    headers = provenance(receipts)
    if fmt == "html":
        headers["Content-Security-Policy"] = REPORT_CSP
        return Response(content, media_type="text/html; charset=utf-8", headers=headers)
    return Response(content, media_type="application/json", headers=headers)


async def versions(request: Request) -> Response:
    """GET /v1/versions: the versions of the law."""
    return Response(_service(request).versions_body, media_type="application/json")


async def vocabulary(request: Request) -> Response:
    """GET /v1/vocabulary: the facts, values and contested points, with their labels."""
    return Response(_service(request).vocabulary_body, media_type="application/json")


async def openapi(request: Request) -> Response:
    """GET /openapi.json: the OpenAPI document of these routes."""
    return Response(_service(request).openapi_body, media_type="application/json")


async def healthz(request: Request) -> Response:
    """GET /healthz: the service is up, with the work in progress."""
    service = _service(request)
    return JSONAnswer(
        {
            "status": "ok",
            "library_version": service.library_version,
            "ruleset": service.family.id,
            "versions": len(service.family.versions),
            "busy": service.runner.busy,
        }
    )


async def page(request: Request) -> Response:
    """GET /: the intake form."""
    return _service(request).static_file("index.html")


async def static(request: Request) -> Response:
    """GET /static/NAME: the page's own style, script and icon."""
    return _service(request).static_file(request.path_params["name"])
