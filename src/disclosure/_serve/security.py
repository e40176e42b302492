"""The guard around every request: the bearer token, the security headers, the access log
without facts, and the last resort for a bug (a generic 500 that says nothing inside).

:class:`Guard` is plain ASGI middleware (no per-request task or copy of the body):

* with a token, every request must carry ``Authorization: Bearer <token>``, compared in
  constant time (:func:`hmac.compare_digest`); otherwise 401. The page's own files (``/``
  and ``/static/...``: no data, and a browser cannot attach a bearer token to a page it
  opens) and CORS preflights are let through; the page asks for the token and sends it;
* every response gets the security headers (a Content-Security-Policy of ``default-src
  'self'`` unless the route set a stricter one, ``frame-ancestors 'none'``,
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``, ``Cache-Control:
  no-store``) and the service's provenance (library version, ruleset);
* the access log has the method, the path without its query (one of the service's own;
  any other is logged as ``(other path)``), the status, the size and the time: never a
  body, a query or a header value, so facts are never logged;
* an exception that escapes a route (a bug: bad input is refused before) is logged with
  its type and where it was raised, not its message (which might quote a fact), and
  answered with a 500 whose JSON carries only an incident reference.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import secrets
import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from disclosure._serve.answers import JSONAnswer
from disclosure._serve.errors import ApiError

__all__ = ["CSP", "Guard", "access_log", "bug_response", "error_response", "report_bug"]

#: the policy of every answer: the page's own files only, never in a frame
CSP = (
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "object-src 'none'"
)

SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}

access_log = logging.getLogger("disclosure.serve.access")
error_log = logging.getLogger("disclosure.serve.error")


def _open_path(scope: Scope) -> bool:
    """The page's own files, which a browser opens without a token."""
    path: str = scope["path"]
    return scope["method"] in ("GET", "HEAD") and (path == "/" or path.startswith("/static/"))


def _preflight(scope: Scope) -> bool:
    if scope["method"] != "OPTIONS":
        return False
    names = {name for name, _ in scope["headers"]}
    return b"origin" in names and b"access-control-request-method" in names


class Guard:
    """See the module's documentation."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        provenance: Mapping[str, str],
        known_path: Callable[[str], bool],
        cors: bool = False,
    ) -> None:
        self.app = app
        self._known_path = known_path
        self._token = token.encode("utf-8") if token is not None else None
        self._provenance = [(k.lower().encode(), v.encode()) for k, v in provenance.items()]
        self._defaults = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        self._cors = cors

    def _authorised(self, scope: Scope) -> bool:
        assert self._token is not None
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, given = value.partition(b" ")
                return scheme.lower() == b"bearer" and hmac.compare_digest(
                    given.strip(), self._token
                )
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 0
        size = 0
        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal status, size, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                headers = MutableHeaders(scope=message)
                present = {name for name, _ in headers.raw}
                for name, value in (*self._defaults, *self._provenance):
                    if name not in present:
                        headers.raw.append((name, value))
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            if (
                self._token is not None
                and not _open_path(scope)
                and not (self._cors and _preflight(scope))
                and not self._authorised(scope)
            ):
                refusal = ApiError(
                    401,
                    "unauthorized",
                    "this service needs a bearer token: send Authorization: Bearer <token>",
                    headers={"WWW-Authenticate": 'Bearer realm="disclosure"'},
                )
                await error_response(refusal)(scope, receive, guarded_send)
            else:
                await self.app(scope, receive, guarded_send)
        except Exception as error:
            incident = report_bug(error)
            if not started:
                await bug_response(incident)(scope, receive, guarded_send)
        finally:
            access_log.info(
                '%s "%s %s" %d %d %.1fms',
                (scope.get("client") or ("-",))[0],
                scope["method"],
                scope["path"] if self._known_path(scope["path"]) else "(other path)",
                status,
                size,
                (time.perf_counter() - start) * 1000,
            )


def report_bug(error: BaseException) -> str:
    """Log a bug once, with its type and where it was raised, never its message (which
    might quote a fact); the incident reference that the client is given."""
    incident: str | None = getattr(error, "_disclosure_incident", None)
    if incident is None:
        incident = secrets.token_hex(4)
        where = "; ".join(
            f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
            for frame in traceback.extract_tb(error.__traceback__)[-6:]
        )
        error_log.error("internal error %s: %s at %s", incident, type(error).__name__, where)
        with contextlib.suppress(AttributeError):
            error._disclosure_incident = incident  # type: ignore[attr-defined]
    return incident


def bug_response(incident: str) -> JSONAnswer:
    """The generic 500: nothing of the bug but its reference in the log."""
    return error_response(
        ApiError(
            500,
            "internal",
            f"internal error (reference {incident}); nothing in the request was at fault, "
            "the service's log has the reference",
        )
    )


def error_response(error: ApiError) -> JSONAnswer:
    """The JSON answer of a refusal, with its headers (``Retry-After``...)."""
    return JSONAnswer(error.body(), status_code=error.status, headers=error.headers)
