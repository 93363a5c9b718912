"""The HTTP protocol ``syllabus serve`` runs: uvicorn's httptools protocol, with ``TCP_NODELAY``.

asyncio sets ``TCP_NODELAY`` only on connections whose listening socket says it is TCP
(``proto == IPPROTO_TCP``). uvicorn's own listening socket, the one it shares between worker
processes, leaves ``proto`` at 0, so with ``--workers 2`` every answer sent in two writes (the
headers, then the body) waited for the client's delayed ACK: 44 ms a request, and 700 req/s in
all, a third of one worker's. Each connection sets it itself here, whatever the socket.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        connection = transport.get_extra_info("socket")
        if connection is not None and connection.family in (socket.AF_INET, socket.AF_INET6):
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
