"""The HTTP server's protocol for `serve`: uvicorn's h11 protocol with a deadline for a request's headers.

uvicorn bounds an idle kept-alive connection (timeout_keep_alive) and the size of a request's headers
(h11_max_incomplete_event_size), but not the time a client takes to send them: a client trickling a header
a minute holds its connection, and a few hundred such hold the server. Here a connection whose request line
and headers are not complete within CPD_HEADER_TIMEOUT_SECONDS of the connection (or of the previous answer
on a kept-alive one) is closed. A reverse proxy in front (README, "Deployment") does the same at the edge.
"""
from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["HeaderDeadline", "with_header_deadline"]


class HeaderDeadline(H11Protocol):
    """H11Protocol that closes a connection whose request headers are not complete in `header_seconds`."""

    header_seconds = 20.0
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the request line and headers are in
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm()  # the next request's headers, on a kept-alive connection

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.header_seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.logger.info("%s: closed a connection whose request headers took over %.0f s",
                             "%s:%d" % self.client if self.client else "a client", self.header_seconds)
            self.transport.close()


def with_header_deadline(seconds: float) -> type[HeaderDeadline]:
    """The protocol class with its deadline set (uvicorn builds one instance per connection)."""
    return type("HeaderDeadlineProtocol", (HeaderDeadline,), {"header_seconds": seconds})
