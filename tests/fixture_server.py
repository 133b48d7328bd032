"""A small HTTP server on 127.0.0.1 for the tests: routes with canned answers and faults.

Used through the `fixture_server` fixture. Each route answers with a body, a status and
headers; it can also wait (to cause timeouts), stream a huge body, honour conditional GET,
or be a function. Every request is logged, so a test can count what was fetched.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes | str = b""
    status: int = 200
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    etag: str | None = None  # answer 304 to a matching If-None-Match
    stream_bytes: int = 0  # send this many filler bytes instead of `body`
    handler: Callable[[BaseHTTPRequestHandler], tuple[int, dict, bytes]] | None = None


class LoopbackServer:
    """An HTTP server on a loopback address (any of 127/8), served from a thread while in a `with`."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> None:
        self._server = ThreadingHTTPServer((host, 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path


class FixtureServer(LoopbackServer):
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, str]] = []  # (path, If-None-Match or "")
        super().__init__(_handler_for(self))

    def route(self, path: str, body: bytes | str = b"", **options) -> str:
        """Serve `body` at `path` (with Route options); returns the full URL."""
        self.routes[path] = Route(body=body, **options)
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for logged, _ in self.log if logged == path)


def _handler_for(server: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            path = self.path.split("?")[0]
            server.log.append((path, self.headers.get("If-None-Match", "")))
            route = server.routes.get(path)
            if route is None:
                return self._answer(404, {"Content-Type": "text/plain"}, b"not found")
            time.sleep(route.delay)
            if route.handler:
                return self._answer(*route.handler(self))
            headers = {"Content-Type": "text/plain; charset=utf-8", **route.headers}
            if route.etag:
                headers["ETag"] = route.etag
                if self.headers.get("If-None-Match") == route.etag:
                    return self._answer(304, headers, b"")
            if route.stream_bytes:
                return self._stream(route.status, headers, route.stream_bytes)
            body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
            self._answer(route.status, headers, body)

        def _answer(self, status: int, headers: dict, body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _stream(self, status: int, headers: dict, size: int) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()  # no Content-Length: the client must cap what it reads
            chunk = b"x" * 65536
            try:
                for _ in range(size // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler
