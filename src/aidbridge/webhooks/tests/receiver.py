"""A webhook receiver for the tests: a real HTTP server on a loopback port, in a thread.

It verifies each delivery as an integrator would (``standardwebhooks.Webhook(secret)
.verify``) and keeps what arrived: every request (``arrived``) and, deduplicated by
``webhook-id`` as receivers are told to, what it processed (``processed``).
``answer`` sets what it answers next: ``ok`` (204), ``error`` (500), ``slow`` (answers
after ``slow_s``, past the sender's timeout), ``redirect`` (307 to ``location``). It
can be stopped and started again on the same port (a receiver that is down, then back).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass
class Arrival:
    headers: dict[str, str]
    body: bytes
    verified: bool
    error: str = ""


@dataclass
class Receiver:
    secrets: list[str] = field(default_factory=list)
    answer: str = "ok"
    slow_s: float = 1.0
    location: str = ""
    arrived: list[Arrival] = field(default_factory=list)
    processed: list[dict[str, Any]] = field(default_factory=list)
    seen_ids: set[str] = field(default_factory=set)
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def verify(self, headers: dict[str, str], body: bytes) -> tuple[bool, str]:
        last = "no secret"
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
                return True, ""
            except WebhookVerificationError as refused:
                last = str(refused)
        return False, last

    def handle(self, headers: dict[str, str], body: bytes) -> int:
        verified, error = self.verify(headers, body)
        with self._lock:
            self.arrived.append(Arrival(headers, body, verified, error))
        if self.answer == "error":
            return 500
        if self.answer == "redirect":
            return 307
        if self.answer == "slow":
            time.sleep(self.slow_s)
        if not verified:
            return 400
        with self._lock:
            if headers["webhook-id"] not in self.seen_ids:  # a second copy is dropped
                self.seen_ids.add(headers["webhook-id"])
                self.processed.append({"id": headers["webhook-id"], **json.loads(body)})
        return 204

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                code = receiver.handle(headers, body)
                try:
                    self.send_response(code)
                    if code == 307:
                        self.send_header("Location", receiver.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the sender gave up (timeout) and closed
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
