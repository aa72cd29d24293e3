"""``aidbridge serve``'s Waitress settings against clients that hold connections.

A real Waitress server with the options ``serve`` uses, on a free port, in a thread; the
application is a stub, since the point is what Waitress does before any application
code runs (it buffers a request whole before handing it to a thread).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from waitress import create_server

from aidbridge.interop.limits import max_upload_bytes
from aidbridge.ops.management.commands.serve import waitress_options

# A guard so that a broken server fails the test instead of hanging it; not a measure.
GUARD_SECONDS = 20


def _app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


@pytest.fixture
def server() -> Iterator[tuple[str, int]]:
    waitress = create_server(_app, host="127.0.0.1", port=0, **waitress_options(threads=2))
    thread = threading.Thread(target=waitress.run, daemon=True)
    thread.start()
    yield "127.0.0.1", waitress.effective_port
    waitress.close()
    thread.join(GUARD_SECONDS)


def _send(address: tuple[str, int], data: bytes) -> socket.socket:
    sock = socket.create_connection(address, timeout=GUARD_SECONDS)
    sock.sendall(data)
    return sock


def _answer(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_body_declared_over_the_upload_limit_is_refused_before_it_is_sent(server) -> None:
    declared = 25 * 1024 * 1024
    assert declared > max_upload_bytes()
    sock = _send(
        server,
        b"POST /api/v1/rfas HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % declared
        + b"x" * 100,
    )
    with sock:
        assert _answer(sock).startswith(b"HTTP/1.1 413 ")


def test_a_normal_request_is_answered_while_150_slow_clients_hold_connections(server) -> None:
    # Each declares a 20 MB body (within the limit) and sends 100 bytes of it: more
    # clients than Waitress's default connection limit of 100.
    slow = [
        _send(
            server,
            b"POST /api/v1/imports/needs HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n"
            + b"x" * 100,
        )
        for _ in range(150)
    ]
    try:
        sock = _send(server, b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        with sock:
            answer = _answer(sock)
        assert answer.startswith(b"HTTP/1.1 200 ")
        assert answer.endswith(b"ok")
    finally:
        for sock in slow:
            sock.close()


def test_the_options_name_every_limit_the_readme_documents() -> None:
    options = waitress_options()
    assert options["connection_limit"] == 1000
    assert options["channel_timeout"] == 30
    assert options["max_request_body_size"] > max_upload_bytes()
    assert options["asyncore_use_poll"] is True
    assert {"cleanup_interval", "inbuf_overflow", "recv_bytes"} <= options.keys()
