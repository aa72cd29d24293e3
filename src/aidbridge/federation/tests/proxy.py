"""A man in the middle for the live tests: a real HTTP server on a loopback port that
the origin declares as its partner's address and that forwards each message to the
partner, keeping what passed (the signed request as sent, the partner's answer).

- ``exchanges``: every message, recorded when it arrives (``status`` None while the
  partner has not answered), so a test can see a delivery hanging in HTTP, and
  capture real signed messages to send again.
- ``mode = "tamper"`` raises the snapshot's version in the body before forwarding
  (what an attacker on the path would try); ``"pass"`` forwards it untouched.
- A partner that does not answer at all (stopped) drops the origin's connection
  without an answer, as the partner itself would; a frozen one keeps it waiting.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aidbridge.federation.signing import CENTRE, MESSAGE_ID, SIGNATURE, TIMESTAMP

# Longer than any freeze in the tests: the proxy waits as long as the partner does.
UPSTREAM_TIMEOUT_S = 120
# What the origin sends and the partner reads (lower case: urllib sends "X-aidbridge-…").
SIGNED = {
    h.lower() for h in ("Content-Type", "User-Agent", CENTRE, MESSAGE_ID, TIMESTAMP, SIGNATURE)
}


@dataclass
class Exchange:
    arrived: float  # time.time()
    headers: dict[str, str]  # lower-case names
    body: bytes  # as the origin sent it
    forwarded: bytes  # as the partner received it
    status: int | None = None  # None: waiting for the partner; 0: no answer
    raw: bytes = b""  # the partner's answer
    content_type: str = ""

    @property
    def answer(self) -> dict[str, Any]:
        try:
            return dict(json.loads(self.raw))
        except (ValueError, TypeError):
            return {}

    @property
    def message_id(self) -> str:
        return self.headers.get(MESSAGE_ID.lower(), "")

    @property
    def rfa_gid(self) -> str:
        """The request a snapshot is about (``EADRCC:rfa:7``), or ''."""
        try:
            return str(json.loads(self.body)["request"]["gid"])
        except (ValueError, KeyError, TypeError):
            return ""


def raise_version(body: bytes) -> bytes:
    return re.sub(rb'"version":(\d+)', lambda m: b'"version":%d' % (int(m[1]) + 1000), body)


class Proxy:
    def __init__(self, port: int, upstream_port: int) -> None:
        self.port, self.upstream_port = port, upstream_port
        self.mode = "pass"
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def of(self, message_id: str) -> list[Exchange]:
        with self._lock:
            return [x for x in self.exchanges if x.message_id == message_id]

    def hanging(self) -> list[Exchange]:
        with self._lock:
            return [x for x in self.exchanges if x.status is None]

    def forward(self, path: str, headers: dict[str, str], body: bytes) -> Exchange:
        sent = raise_version(body) if self.mode == "tamper" else body
        exchange = Exchange(time.time(), headers, body, sent)
        with self._lock:
            self.exchanges.append(exchange)
        upstream = http.client.HTTPConnection(
            "127.0.0.1", self.upstream_port, timeout=UPSTREAM_TIMEOUT_S
        )
        try:
            wanted = {k: v for k, v in headers.items() if k in SIGNED}
            upstream.request("POST", path, body=sent, headers=wanted)
            response = upstream.getresponse()
            exchange.raw = response.read()
            exchange.content_type = response.getheader("Content-Type", "")
        except OSError:
            exchange.status = 0  # no answer
            raise
        finally:
            upstream.close()
        exchange.status = response.status
        return exchange

    def start(self) -> Proxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    exchange = proxy.forward(self.path, headers, body)
                except OSError:  # the partner is not there: neither is an answer
                    self.close_connection = True
                    return
                try:
                    self.send_response(exchange.status or 502)
                    self.send_header("Content-Type", exchange.content_type)
                    self.send_header("Content-Length", str(len(exchange.raw)))
                    self.end_headers()
                    self.wfile.write(exchange.raw)
                except OSError:  # the origin gave up waiting (its timeout, or killed)
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
