"""A counting reverse proxy: what a client asked of a server, and every byte passed on.

It stands where a load balancer would: while the server is down it answers 503 with
``Retry-After: 1``, and 502 to a request the server died before answering; when the server
dies in the middle of a body it cuts the client's connection short. Every request is logged
with its path, its ``Range`` header, the status and the body bytes the client was sent, so
a test can prove what was transferred.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


@dataclass
class Transfer:
    """One request passed on, and how much of its answer's body the client got."""

    method: str
    path: str
    range: str | None
    status: int = 0
    length: int | None = None
    sent: int = 0
    complete: bool = False


class CountingProxy:
    """Forwards 127.0.0.1:<port> to 127.0.0.1:<upstream>, logging each transfer.

    Bodies of paths starting with ``slow_prefix`` are sent in ``chunk``-byte pieces with
    ``pause`` seconds between them, so a test has time to act in the middle of a download.
    """

    def __init__(
        self, upstream: int, slow_prefix: str = "/", chunk: int = 16384, pause: float = 0.0
    ) -> None:
        self.upstream = upstream
        self.slow_prefix, self.chunk, self.pause = slow_prefix, chunk, pause
        self.log: list[Transfer] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> CountingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def transfers(self) -> list[Transfer]:
        """A copy of the log so far."""
        with self.lock:
            return list(self.log)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection; a cut is a cut

            def log_message(self, format: str, *args: Any) -> None:
                return None

            def _forward(self) -> None:
                proxy.forward(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _forward

        return Handler

    def forward(self, h: BaseHTTPRequestHandler) -> None:
        """Pass one request on and its answer back, logging the transfer."""
        size = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(size) if size else None
        record = Transfer(h.command, h.path, h.headers.get("Range"))
        with self.lock:
            self.log.append(record)
        headers = {k: v for k, v in h.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream, timeout=900)
        try:
            upstream.request(h.command, h.path, body=body, headers=headers)
            answer = upstream.getresponse()
        except ConnectionRefusedError:  # the server is down: "come back in a second"
            self._refuse(h, record, 503, "the server is restarting", retry_after=1)
            return
        except (OSError, http.client.HTTPException):  # it died before answering
            self._refuse(h, record, 502, "the server closed the connection")
            return
        record.status = answer.status
        h.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in HOP_BY_HOP:
                h.send_header(key, value)
        h.send_header("Connection", "close")
        h.end_headers()
        length = answer.getheader("Content-Length")
        record.length = int(length) if length is not None else None
        slow = h.path.startswith(self.slow_prefix)
        try:
            while piece := answer.read1(self.chunk) if slow else answer.read(1 << 20):
                h.wfile.write(piece)
                record.sent += len(piece)
                if slow and self.pause:
                    time.sleep(self.pause)
        except (OSError, http.client.HTTPException):
            h.close_connection = True  # the server died mid-body: the client gets a short one
            return
        finally:
            upstream.close()
        record.complete = record.length is None or record.sent == record.length

    @staticmethod
    def _refuse(
        h: BaseHTTPRequestHandler,
        record: Transfer,
        status: int,
        detail: str,
        retry_after: int | None = None,
    ) -> None:
        record.status = status
        problem = json.dumps({"title": HTTPStatus(status).phrase, "detail": detail}).encode()
        h.send_response(status)
        if retry_after is not None:
            h.send_header("Retry-After", str(retry_after))
        h.send_header("Content-Type", "application/problem+json")
        h.send_header("Content-Length", str(len(problem)))
        h.end_headers()
        h.wfile.write(problem)
        record.complete = True
