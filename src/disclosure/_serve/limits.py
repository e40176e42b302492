"""Bounds on what one request may cost: its size, its nesting, its time, and how many
are worked on at once.

* :func:`read_body` reads at most ``max_body`` bytes (413 beyond, before reading more);
* :func:`parse_json` refuses what is not strict JSON: bytes that are not UTF-8, a
  byte-order mark, duplicate keys (ambiguous), ``NaN`` and ``Infinity``, nesting deeper
  than ``max_depth``;
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
import json
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.requests import Request

from disclosure._serve.errors import ApiError, bad_request, excerpt

__all__ = ["RETRY_AFTER", "Runner", "parse_json", "read_body"]

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


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Duplicate(key)
        result[key] = value
    return result


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_constant(name: str) -> Any:
    raise _NotJson(name)


class _NotJson(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def _depth(value: Any) -> int:
    """The nesting depth of a parsed JSON value (a scalar: 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend((child, depth) for child in item.values())
        elif isinstance(item, list):
            depth += 1
            deepest = max(deepest, depth)
            stack.extend((child, depth) for child in item)
    return deepest


def parse_json(body: bytes, max_depth: int) -> Any:
    """The JSON value of a request body, or a 400 that says what is wrong and where."""
    if not body.strip():
        raise bad_request("the request body is empty; send a JSON object", "$", "malformed_json")
    if body.startswith(b"\xef\xbb\xbf"):
        raise bad_request(
            "the body starts with a byte-order mark; send plain UTF-8", "$", "malformed_json"
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise bad_request(
            f"the body is not UTF-8 (byte {error.start})", "$", "malformed_json"
        ) from None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise bad_request(
            f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}",
            "$",
            "malformed_json",
        ) from None
    except RecursionError:
        raise _too_deep(max_depth) from None
    except _Duplicate as error:
        raise bad_request(
            f"the key {excerpt(error.key)} appears twice in one object (ambiguous)",
            "$",
            "malformed_json",
        ) from None
    except _NotJson as error:
        raise bad_request(f"{error.name} is not a JSON number", "$", "malformed_json") from None
    if _depth(value) > max_depth:
        raise _too_deep(max_depth)
    return value


def _too_deep(max_depth: int) -> ApiError:
    return bad_request(f"the JSON is nested deeper than {max_depth} levels", "$", "too_deep")


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
