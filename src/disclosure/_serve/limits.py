"""Bounds on what one request may cost: its size, its nesting, its time, and how many
are worked on at once.

* :func:`read_body` reads at most ``max_body`` bytes (413 beyond, before reading more);
* :func:`parse_json` reads the body through the edge every door shares
  (:func:`disclosure._edge.parse_json_document`): UTF-8, no key twice (ambiguous), no
  ``NaN`` or ``Infinity``, nesting within the edge's limit (``DISCLOSURE_MAX_DEPTH``);
* :class:`Runner` evaluates in a small pool of threads, admits at most ``max_in_flight``
  requests at once (503 with ``Retry-After`` beyond: a client backs off rather than
  queueing without end) and answers 503 when one takes longer than ``timeout`` seconds.
  Work past its time limit cannot be stopped inside a thread; it finishes in the
  background and keeps its place in the count until then, so a flood of slow requests
  meets the bound instead of piling up threads.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from starlette.requests import Request

from disclosure._edge import current_limits, parse_json_document
from disclosure._serve.errors import ApiError, bad_request
from disclosure.errors import InputError

__all__ = ["RETRY_AFTER", "Runner", "input_refusal", "parse_json", "read_body"]

T = TypeVar("T")

#: seconds a client is asked to wait after a 503
RETRY_AFTER = 1


def too_large(max_body: int) -> ApiError:
    return ApiError(
        413,
        "too_large",
        f"the request body is larger than {max_body:,} bytes (the service's --max-body)",
    )


async def read_body(request: Request, max_body: int) -> bytes:
    """The request's body, refused with a 413 as soon as it exceeds ``max_body`` bytes
    (announced by its Content-Length, or counted as it arrives)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > max_body:
                raise too_large(max_body)
        except ValueError:
            raise bad_request("Content-Length is not a number") from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_body:
            raise too_large(max_body)
        chunks.append(chunk)
    return b"".join(chunks)


#: the kind of refusal for each limit of the edge (an InputError's ``setting``)
_LIMIT_KINDS = {
    "DISCLOSURE_MAX_INPUT_BYTES": (413, "too_large"),
    "DISCLOSURE_MAX_DEPTH": (400, "too_deep"),
    "DISCLOSURE_MAX_NAME_LENGTH": (400, "too_long"),
    "DISCLOSURE_MAX_VALUE_LENGTH": (400, "too_long"),
}


def input_refusal(error: InputError, path: str) -> ApiError:
    """The refusal of what the shared edge could not read, at ``path``."""
    status, kind = _LIMIT_KINDS.get(error.setting or "", (400, "malformed_json"))
    return ApiError(status, kind, error.reason, path=path)


def parse_json(body: bytes, max_body: int) -> Any:
    """The JSON value of a request body, read by the edge every door shares (UTF-8, no
    key twice, no ``NaN``, bounded size and nesting), or a 4xx that says what is wrong."""
    limits = attrs.evolve(current_limits(), max_input_bytes=max_body)
    try:
        return parse_json_document(body, limits=limits)
    except InputError as error:
        raise input_refusal(error, "$") from None


class Runner:
    """Runs the library's work in a thread pool, within the bounds of the service."""

    def __init__(self, threads: int, max_in_flight: int, timeout: float) -> None:
        self.max_in_flight = max_in_flight
        self.timeout = timeout
        self._executor = concurrent.futures.ThreadPoolExecutor(
            threads, thread_name_prefix="disclosure-serve"
        )
        self._lock = threading.Lock()
        self._busy = 0

    @property
    def busy(self) -> int:
        """Requests admitted whose work has not finished (timed-out ones included)."""
        return self._busy

    def _release(self, _: object) -> None:
        with self._lock:
            self._busy -= 1

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        """``work(*args)`` in a thread, or a 503 when the service is full or the work
        takes longer than the time limit."""
        with self._lock:
            if self._busy >= self.max_in_flight:
                raise ApiError(
                    503,
                    "overloaded",
                    "the service is busy; retry after the time in Retry-After",
                    headers={"Retry-After": str(RETRY_AFTER)},
                )
            self._busy += 1
        try:
            future = self._executor.submit(work, *args)
        except BaseException:
            self._release(None)
            raise
        future.add_done_callback(self._release)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            raise ApiError(
                503,
                "timeout",
                f"the answer took longer than {self.timeout:g} s (the service's --timeout)",
                headers={"Retry-After": str(RETRY_AFTER)},
            ) from None

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
