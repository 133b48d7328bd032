"""A fixture server for hostile answers, on any loopback address: all of 127/8 is loopback on
Linux, so a test can allow 127.0.0.1 alone and see whether anything reached 127.0.0.2.

A route is a function that writes a whole answer: a page, a redirect, a flood of a body or
one that trickles in a byte at a time. The server logs every request and counts the
body bytes it got out, so a test can tell what was fetched and how far a client read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from .fixture_server import LoopbackServer

Answer = Callable[[BaseHTTPRequestHandler], None]
FILLER = b"x" * 65536


def video_page(track: str) -> str:
    """An HTML5 video page with one English caption track at `track`, for yt-dlp to read."""
    return (
        "<!DOCTYPE html><html><head><title>Clinic</title></head><body><video controls>"
        '<source src="clip.mp4" type="video/mp4">'
        f'<track kind="captions" src="{track}" srclang="en" label="English" default></video></body></html>'
    )


@dataclass(frozen=True)
class Seen:
    """One request as it arrived."""

    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


class HostileServer(LoopbackServer):
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Answer] = {}
        self.seen: list[Seen] = []  # every request, in order
        self.sent = 0  # body bytes written to clients
        super().__init__(_handler_for(self), host)

    @property
    def paths(self) -> list[str]:
        """Every path asked for, in order."""
        return [request.path for request in self.seen]

    def page(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8") -> str:
        data = body.encode() if isinstance(body, str) else body
        return self._route(path, lambda request: self._send(request, 200, content_type, [data], len(data)))

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        def answer(request: BaseHTTPRequestHandler) -> None:
            request.send_response(status)
            request.send_header("Location", location)
            request.send_header("Content-Length", "0")
            request.end_headers()

        return self._route(path, answer)

    def flood(self, path: str, first: bytes, content_type: str, most: int = 256 * 1024 * 1024) -> str:
        """`first`, then filler until the client hangs up, with no Content-Length to warn it.

        It stops after `most` bytes all the same, so a client that reads it all costs this
        machine `most` bytes of memory, not all it has.
        """

        def body():
            yield first
            for _ in range(most // len(FILLER)):
                yield FILLER

        return self._route(path, lambda request: self._send(request, 200, content_type, body(), None))

    def trickle(self, path: str, body: bytes, every: float, content_type: str) -> str:
        """`body` one byte every `every` seconds, each well within any client's read timeout."""

        def bytes_slowly():
            for index in range(len(body)):
                yield body[index : index + 1]
                time.sleep(every)

        return self._route(path, lambda request: self._send(request, 200, content_type, bytes_slowly(), len(body)))

    def _route(self, path: str, answer: Answer) -> str:
        self.routes[path] = answer
        return self.url(path)

    def _send(self, request: BaseHTTPRequestHandler, status: int, content_type: str, chunks, length: int | None):
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        if length is None:
            request.send_header("Connection", "close")  # the body ends when the connection does
        else:
            request.send_header("Content-Length", str(length))
        request.end_headers()
        try:
            for chunk in chunks:
                request.wfile.write(chunk)
                request.wfile.flush()
                self.sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _handler_for(server: HostileServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do: a client must not wait for the close

        def log_message(self, *args) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 (the stdlib's names)
            path = self.path.split("?")[0]
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            server.seen.append(Seen(self.command, path, headers, body))
            answer = server.routes.get(path)
            if answer is None:
                return server._send(self, 404, "text/plain", [b"not found"], 9)
            answer(self)

        do_POST = do_GET

    return Handler
