"""Whole responses to GET requests, kept per URL until the data changes.

Every page and JSON twin is a function of its URL and of what is stored, and the store raises
its data version with every write (`Store.data_version`, one key lookup): a response kept at
one version is served again, byte for byte, only while the version is the same, so a
correction or an ingest, by this process or another, is seen by the next request. What is not
a plain function of the URL is never kept: anything but a 200, a response that sets a cookie or
says `no-store` (the review and ingest forms carry a CSRF token), static files.

Kept per server process, least recently used first out, within `max_bytes`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SKIPPED = ("/static", "/ingest", "/api/ingest")


@dataclass(slots=True)
class Kept:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    version: Hashable = None
    size: int = field(init=False)

    def __post_init__(self) -> None:
        self.size = len(self.body) + sum(len(k) + len(v) for k, v in self.headers)


class PageCache:
    """ASGI middleware: answer a GET from a kept response of the same URL and data version.

    `version(scope)` gives the data version for a request (None: do not keep or serve).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        version: Callable[[Scope], Hashable | None],
        max_bytes: int,
    ) -> None:
        self.app = app
        self.version = version
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[str, bytes], Kept] = OrderedDict()
        self._bytes = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or self.max_bytes <= 0
            or scope["path"].startswith(SKIPPED)
        ):
            await self.app(scope, receive, send)
            return
        version = self.version(scope)
        if version is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        kept = self._get(key, version)
        if kept is not None:
            await send(
                {"type": "http.response.start", "status": kept.status, "headers": kept.headers}
            )
            await send({"type": "http.response.body", "body": kept.body})
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def keeping(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and _keepable(start):
                    self._put(
                        key,
                        Kept(start["status"], list(start.get("headers", [])), b"".join(chunks)),
                        version,
                    )
            await send(message)

        await self.app(scope, receive, keeping)

    def _get(self, key: tuple[str, bytes], version: Hashable) -> Kept | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                return None
            if kept.version != version:
                self._drop(key)
                return None
            self._kept.move_to_end(key)
            return kept

    def _put(self, key: tuple[str, bytes], kept: Kept, version: Hashable) -> None:
        kept.version = version
        if kept.size > self.max_bytes // 8:
            return  # one page may not push out most of the others
        with self._lock:
            if key in self._kept:
                self._drop(key)
            self._kept[key] = kept
            self._bytes += kept.size
            while self._bytes > self.max_bytes and self._kept:
                self._drop(next(iter(self._kept)))

    def _drop(self, key: tuple[str, bytes]) -> None:
        self._bytes -= self._kept.pop(key).size

    def __len__(self) -> int:
        return len(self._kept)


def _keepable(start: Message) -> bool:
    if start.get("status") != 200:
        return False
    for name, value in start.get("headers", []):
        name = name.lower()
        if name == b"set-cookie" or (name == b"cache-control" and b"no-store" in value.lower()):
            return False
    return True
