"""The HTTP server: uvicorn, with bounds on what a client may send before the app sees it.

uvicorn's httptools protocol reads a request line and headers of any size, at any pace. The
protocol here refuses, before the app runs and with an RFC 9457 problem body, a request target
past ``max_request_line_bytes`` (414), header fields past ``max_header_bytes`` in all or past
``max_headers`` in number (431), and a client that takes longer than ``header_timeout``
seconds to send them (408); the connection is closed after the answer. Malformed HTTP gets a
400 problem body too. ``max_connections`` caps open connections (uvicorn answers 503 past it).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, ClassVar

import uvicorn
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from kg.settings import Settings

logger = logging.getLogger("api.access")
KEEP_ALIVE = 5
"""Seconds an idle connection stays open between requests."""


@dataclass(frozen=True)
class HeadLimits:
    """How much a request may send before its body, and how slowly."""

    request_line: int
    header_bytes: int
    headers: int
    timeout: float

    @classmethod
    def from_settings(cls, settings: Settings) -> HeadLimits:
        return cls(
            settings.max_request_line_bytes,
            settings.max_header_bytes,
            settings.max_headers,
            settings.header_timeout,
        )


class _RefusedError(Exception):
    """Raised in a parser callback to stop parsing a refused request."""


class LimitedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol, with ``limits`` on the request line and headers (set by
    :func:`limited_protocol`, from the settings)."""

    limits: ClassVar[HeadLimits]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = False
        self._head_bytes = 0
        self._headers = 0
        self._header_bytes = 0
        self._refused = False
        self._slow: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._slow = self.loop.call_later(self.limits.timeout, self._too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        super().data_received(data)
        if self._in_head and not self._refused:  # a header still coming in: bound its bytes
            self._head_bytes += len(data)
            if self._head_bytes > self.limits.request_line + self.limits.header_bytes:
                self._refuse(431, self._header_detail())

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head, self._head_bytes, self._headers, self._header_bytes = True, 0, 0, 0
        if self._slow is None:
            self._slow = self.loop.call_later(self.limits.timeout, self._too_slow)

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > self.limits.request_line:
            self._refuse(414, f"the request target is longer than {self.limits.request_line} bytes")
            raise _RefusedError

    def on_header(self, name: bytes, value: bytes) -> None:
        super().on_header(name, value)
        self._headers += 1
        self._header_bytes += len(name) + len(value) + 4  # ": " and CRLF
        if self._headers > self.limits.headers or self._header_bytes > self.limits.header_bytes:
            self._refuse(431, self._header_detail())
            raise _RefusedError

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._cancel_timer()
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        if not self._refused:  # a parser error, not one of ours
            self._refuse(400, "the request is not valid HTTP/1.1")

    def _header_detail(self) -> str:
        return (
            f"the request header fields are over the limit of {self.limits.headers} fields "
            f"or {self.limits.header_bytes} bytes"
        )

    def _too_slow(self) -> None:
        self._slow = None
        if self._in_head or self.cycle is None:  # within a request head, or before the first
            self._refuse(408, f"the request head took longer than {self.limits.timeout:g} s")

    def _cancel_timer(self) -> None:
        if self._slow is not None:
            self._slow.cancel()
            self._slow = None

    def _refuse(self, status: int, detail: str) -> None:
        """Answer ``status`` with a problem body, close the connection, ignore what follows."""
        self._refused = True
        self._cancel_timer()
        phrase = HTTPStatus(status).phrase
        body = json.dumps(
            {"type": "about:blank", "title": phrase, "status": status, "detail": detail}
        ).encode()
        head = (
            "content-type: application/problem+json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        )
        self.transport.write(STATUS_LINE[status] + head.encode() + body)
        self.transport.close()
        client = self.client[0] if self.client else "-"
        logger.warning('%s refused before the app: %d "%s"', client, status, detail)


def limited_protocol(limits: HeadLimits) -> type[LimitedHttpTools]:
    """The protocol class with ``limits``."""
    return type("LimitedHttpTools", (LimitedHttpTools,), {"limits": limits})


def server_config(app: Any, settings: Settings, **options: Any) -> uvicorn.Config:
    """The uvicorn configuration for ``app`` (an app or an import string) under ``settings``."""
    return uvicorn.Config(
        app,
        http=limited_protocol(HeadLimits.from_settings(settings)),
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=KEEP_ALIVE,
        **options,
    )
