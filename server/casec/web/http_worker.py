"""casec's gunicorn worker: an event loop reads every connection, a thread pool runs the app.

gunicorn's sync worker gives each connection a whole process until its request has arrived, so five clients
that send nothing stall four workers; gthread does the same with threads. Here one event loop per worker
(uvloop: 15-30 % less CPU per request than asyncio's own loop, measured) reads all connections with httptools
(llhttp, the C parser uvicorn uses: 4 µs a request against h11's 85 µs, measured), so a client that sends
nothing, drips a header byte every few seconds or never finishes its body costs a socket, not a thread. Only a
complete request reaches the thread pool that runs the WSGI app (Flask, whose queries wait on their executor
process without holding the loop). The worker

* answers 408 and closes when a request's headers and body have not arrived within the read timeout
  (``--read-timeout``), counted from the connection's start or from the previous answer; a kept-alive
  connection that sends nothing for that long is closed quietly;
* answers 413 as soon as a body (Content-Length or chunked) exceeds ``--max-body``, 431 for headers over
  64 KB or 100 fields, 414 for a target over 8 KB, 400 for what does not parse;
* keeps connections alive (HTTP/1.1, and HTTP/1.0 clients that ask) and answers pipelined requests in order.

gunicorn stays the supervisor: it forks the workers from the process that loaded the store, restarts a worker
that dies and kills one whose heartbeat stops.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import io
import os
import signal
import socket
import sys
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from typing import Any, cast
from urllib.parse import unquote_to_bytes

import httptools
import uvloop
from flask import Flask
from gunicorn.sock import BaseSocket
from gunicorn.workers.base import Worker

from casec.web.services import Services, services_of

MAX_HEADER_BYTES = 65_536
MAX_HEADER_FIELDS = 100
MAX_TARGET_BYTES = 8_190  # the request target, as gunicorn's limit_request_line
LINGER_SECONDS = 2.0  # after an error answer, how long the rest of the request is read and dropped
HEARTBEAT_SECONDS = 1.0
PRESTARTED_EXECUTORS = 2  # query executors forked as the worker starts, before its threads exist

Answer = tuple[str, list[tuple[str, str]], bytes]


@dataclass
class _Request:
    target: bytearray = field(default_factory=bytearray)
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: list[bytes] = field(default_factory=list)
    size: int = 0
    method: str = "GET"
    version: str = "1.1"
    keep_alive: bool = True
    started: float = 0.0


class HttpWorker(Worker):
    """A gunicorn worker class (``worker_class="casec.web.http_worker.HttpWorker"``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connections: set[_Connection] = set()
        self.stopping = False
        self._stopped: asyncio.Event | None = None
        self._graceful = True

    # gunicorn calls these ------------------------------------------------------------------------

    def init_signals(self) -> None:
        # the loop installs its own handlers in run(); until then the default actions apply
        for number in self.SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGWINCH, signal.SIG_IGN)

    def run(self) -> None:
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(self._serve())

    # the worker ----------------------------------------------------------------------------------

    async def _serve(self) -> None:
        self.loop = asyncio.get_running_loop()
        services = self._services()
        self.read_timeout = services.settings.read_timeout
        self.max_body = services.settings.max_body
        self.max_connections = self.cfg.worker_connections
        self.forwarders = self.cfg.forwarded_allow_ips
        services.runner.prestart(min(PRESTARTED_EXECUTORS, self.cfg.threads))
        self.pool = ThreadPoolExecutor(self.cfg.threads, thread_name_prefix="casec-request")
        self._stopped = asyncio.Event()
        self.loop.add_signal_handler(signal.SIGTERM, self._stop, True)
        self.loop.add_signal_handler(signal.SIGINT, self._stop, False)
        self.loop.add_signal_handler(signal.SIGQUIT, self._stop, False)
        self.loop.add_signal_handler(signal.SIGUSR1, self.log.reopen_files)
        servers = [
            await self.loop.create_server(lambda: _Connection(self), sock=_socket(listener), backlog=self.cfg.backlog)
            for listener in self.sockets
        ]
        while self.alive:
            self.notify()
            if os.getppid() != self.ppid:
                self.log.info("Parent changed, shutting down: %s", self)
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopped.wait(), HEARTBEAT_SECONDS)
        await self._shut_down(servers, services)

    def _services(self) -> Services:
        # the app ``casec serve`` loaded (commands/serve.py): a Flask app, which gunicorn types as any WSGI callable
        return services_of(cast(Flask, self.wsgi))

    def _stop(self, graceful: bool) -> None:
        self.alive = False
        self._graceful = self._graceful and graceful
        if self._stopped is not None:
            self._stopped.set()

    async def _shut_down(self, servers: list[asyncio.Server], services: Services) -> None:
        """Stop accepting; let the requests under way finish (SIGTERM, up to the graceful timeout); then stop
        every query executor, so that none outlives the worker."""
        self.stopping = True
        for server in servers:
            server.close()
        for connection in list(self.connections):
            connection.close_when_idle()
        deadline = self.loop.time() + (self.cfg.graceful_timeout if self._graceful else 0)
        while self.connections and self.loop.time() < deadline:
            self.notify()
            await asyncio.sleep(0.05)
        for connection in list(self.connections):
            connection.abort()
        services.runner.close()
        self.pool.shutdown(wait=False, cancel_futures=True)

    def call_app(self, environ: dict[str, Any]) -> Answer:
        """Run the WSGI app on one request, in a pool thread; the whole answer comes back as bytes."""
        started: list[Any] = []
        chunks: list[bytes] = []

        def start_response(status: str, headers: Iterable[tuple[str, str]], exc_info: Any = None) -> Any:
            if exc_info and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, list(headers)]
            return chunks.append

        try:
            result = self.wsgi(environ, start_response)
            try:
                chunks.extend(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
            return started[0], started[1], b"".join(chunks)
        except Exception:
            self.log.exception("Error handling request %s", environ.get("RAW_URI"))
            return _error_answer(500, "the server failed to answer this request; the error has been logged")

    def log_access(self, request: _Request, peer: str, status: str, length: int) -> None:
        if not self.cfg.accesslog:
            return
        seconds = time.monotonic() - request.started
        line = f"{request.method} {request.target.decode('latin-1')} HTTP/{request.version}"
        atoms = _Atoms(
            h=peer,
            r=line,
            s=status.split(" ", 1)[0],
            B=length,
            b=length or "-",
            m=request.method,
            U=request.target.decode("latin-1").split("?", 1)[0],
            H=f"HTTP/{request.version}",
            M=round(seconds * 1000),
            D=round(seconds * 1_000_000),
            T=int(seconds),
            L=f"{seconds:.6f}",
            p=f"<{os.getpid()}>",
        )
        self.log.access_log.info(self.cfg.access_log_format, atoms)


def _socket(listener: socket.socket) -> socket.socket:
    """The socket a gunicorn listener wraps: gunicorn hands its workers its ``BaseSocket`` wrappers, which
    types-gunicorn types as the sockets themselves; the event loop needs the real one."""
    return cast(BaseSocket, listener).sock


class _Atoms(dict[str, object]):
    """gunicorn's access-log atoms; any this worker does not know is '-'."""

    def __missing__(self, key: str) -> str:
        return "-"


class _Connection(asyncio.Protocol):
    """One client connection: parse, check the limits, queue complete requests, answer them in order."""

    def __init__(self, worker: HttpWorker) -> None:
        self.worker = worker
        self.loop = worker.loop
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None
        self.reading: _Request | None = None  # a request whose headers or body are still arriving
        self.header_bytes = 0
        self.headers_done = False
        self.waiting: collections.deque[_Request] = collections.deque()  # complete, not yet answered
        self.busy = False  # the app is answering one of this connection's requests
        self.answered = 0
        self.failure: tuple[int, str] | None = None
        self.closing = False  # no request is read any more; the connection closes after the answers due
        self.ended = False  # the client has closed its side
        self.timer: asyncio.TimerHandle | None = None
        self.peer = "-"

    # asyncio ------------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        peer = self.transport.get_extra_info("peername")
        self.peer = peer[0] if isinstance(peer, tuple) else "-"
        if len(self.worker.connections) >= self.worker.max_connections or self.worker.stopping:
            self._fail(503, "the server has too many open connections; try again shortly")
            return
        self.worker.connections.add(self)
        self._arm(self.worker.read_timeout)

    def data_received(self, data: bytes) -> None:
        if self.closing:
            return  # the rest of a request already answered with an error: dropped
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self.reading is not None:  # an upgrade with a body: not something this server speaks
                self.failure = self.failure or (400, "protocol upgrades are not supported")
            self.closing = True  # the request (if complete) is answered over HTTP/1.1, then the connection closes
        except httptools.HttpParserInvalidURLError:
            self.failure = self.failure or (400, "the request target is not a valid URL")
        except httptools.HttpParserError as error:
            self.failure = self.failure or (400, f"the request is not valid HTTP/1.1 ({error})")
        if self.reading is not None and not self.headers_done:
            self.header_bytes += len(data)
            if self.header_bytes > MAX_HEADER_BYTES:
                self.failure = self.failure or (431, f"the request's headers exceed {MAX_HEADER_BYTES} bytes")
        if self.failure is not None and not self.busy and not self.waiting:
            self._fail(*self.failure)
            return
        if self.waiting and self.transport is not None:
            self.transport.pause_reading()  # pipelined requests wait; read no more until they are answered
            self._answer_next()

    def eof_received(self) -> bool | None:
        self.closing = self.ended = True
        return True if (self.busy or self.waiting) else None  # keep the socket open for the answers due

    def connection_lost(self, exc: Exception | None) -> None:
        self.worker.connections.discard(self)
        self._disarm()
        self.closing = True

    # httptools callbacks --------------------------------------------------------------------------

    def on_message_begin(self) -> None:
        self.reading = _Request(started=time.monotonic())
        self.header_bytes = 0
        self.headers_done = False

    def on_url(self, url: bytes) -> None:
        assert self.reading is not None
        self.reading.target += url
        if len(self.reading.target) > MAX_TARGET_BYTES:
            self.failure = self.failure or (414, f"the request target is longer than {MAX_TARGET_BYTES} bytes")

    def on_header(self, name: bytes, value: bytes) -> None:
        assert self.reading is not None
        self.reading.headers.append((name, value))
        if len(self.reading.headers) > MAX_HEADER_FIELDS:
            self.failure = self.failure or (431, f"the request has more than {MAX_HEADER_FIELDS} header fields")

    def on_headers_complete(self) -> None:
        request = self.reading
        assert request is not None and self.transport is not None
        self.headers_done = True
        request.method = self.parser.get_method().decode("ascii", "replace")
        request.version = self.parser.get_http_version()
        request.keep_alive = self.parser.should_keep_alive()
        declared = _header(request, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.worker.max_body:
            self.failure = self.failure or _too_large(self.worker.max_body)
        elif (_header(request, b"expect") or "").lower() == "100-continue" and self.failure is None:
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def on_body(self, chunk: bytes) -> None:
        request = self.reading
        assert request is not None
        request.size += len(chunk)
        if request.size > self.worker.max_body:
            self.failure = self.failure or _too_large(self.worker.max_body)
        elif self.failure is None:
            request.body.append(chunk)

    def on_message_complete(self) -> None:
        request, self.reading = self.reading, None
        if request is None or self.failure is not None:
            return
        self._disarm()
        self.waiting.append(request)

    # answering ------------------------------------------------------------------------------------

    def _answer_next(self) -> None:
        if self.busy or not self.waiting or self.transport is None or self.transport.is_closing():
            return
        request = self.waiting.popleft()
        try:
            environ = self._environ(request)
        except (ValueError, httptools.HttpParserInvalidURLError):
            self._fail(400, "the request target is not a valid URL")
            return
        self.busy = True
        future = self.loop.run_in_executor(self.worker.pool, self.worker.call_app, environ)
        future.add_done_callback(lambda done: self._answered(request, done))

    def _answered(self, request: _Request, done: Future[Answer] | asyncio.Future[Answer]) -> None:
        self.busy = False
        if self.transport is None or self.transport.is_closing() or done.cancelled():
            return
        status, headers, body = done.result()
        keep_alive = request.keep_alive and not (self.closing or self.worker.stopping or self.failure)
        keep_alive = keep_alive and not any(n.lower() == "connection" and "close" in v.lower() for n, v in headers)
        self.transport.write(_serialize(request, status, headers, body, keep_alive))
        self.worker.log_access(request, self.peer, status, len(body))
        self.answered += 1
        if not keep_alive:
            if self.failure is not None:
                self._fail(*self.failure)
            else:
                self._close_gently()
        elif self.waiting:
            self._answer_next()
        else:
            self._arm(self.worker.read_timeout)
            self.transport.resume_reading()

    def _environ(self, request: _Request) -> dict[str, Any]:
        url = httptools.parse_url(bytes(request.target))
        assert self.transport is not None
        host, port = (self.transport.get_extra_info("sockname") or ("", 0))[:2]
        peer = self.transport.get_extra_info("peername") or ("", 0)
        body = b"".join(request.body)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": request.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(url.path or b"/").decode("latin-1"),
            "QUERY_STRING": (url.query or b"").decode("latin-1"),
            "RAW_URI": request.target.decode("latin-1"),
            "SERVER_NAME": str(host),
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": f"HTTP/{request.version}",
            "REMOTE_ADDR": str(peer[0]) if isinstance(peer, tuple) else "",
            "REMOTE_PORT": str(peer[1]) if isinstance(peer, tuple) else "",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.input_terminated": True,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        for raw_name, raw_value in request.headers:
            name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
            if "_" in name:
                continue  # X_Forwarded_For would pass for X-Forwarded-For in the environ: dropped, as gunicorn does
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
                continue  # the body is whole and decoded here
            if key != "CONTENT_TYPE":
                key = "HTTP_" + key
            environ[key] = f"{environ[key]},{value}" if key in environ else value
        proto = environ.get("HTTP_X_FORWARDED_PROTO", "").lower()
        if proto == "https" and ("*" in self.worker.forwarders or environ["REMOTE_ADDR"] in self.worker.forwarders):
            environ["wsgi.url_scheme"] = "https"
        return environ

    # closing --------------------------------------------------------------------------------------

    def _fail(self, status: int, message: str) -> None:
        """Answer an error of the client's and close; the rest of what it sends is read and dropped a while,
        so that the answer is not lost to a reset."""
        self._disarm()
        self.closing = True
        self.waiting.clear()
        if self.transport is None or self.transport.is_closing():
            return
        request = self.reading or _Request(started=time.monotonic(), method="-", version="1.1")
        answer = _error_answer(status, message)
        self.transport.write(_serialize(request, *answer, keep_alive=False))
        self.worker.log_access(request, self.peer, answer[0], len(answer[2]))
        self._close_gently()

    def _close_gently(self) -> None:
        assert self.transport is not None
        self.closing = True
        if self.transport.can_write_eof() and not self.ended:
            self.transport.write_eof()
            self._arm(LINGER_SECONDS)  # the client closes in turn, or is cut off
            self.transport.resume_reading()
        else:
            self.transport.close()

    def close_when_idle(self) -> None:
        """The worker is stopping: close now if nothing is being answered, else after the answer."""
        self.closing = True
        if not self.busy and not self.waiting and self.transport is not None:
            self.transport.close()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self.timer = self.loop.call_later(seconds, self._timed_out)

    def _disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _timed_out(self) -> None:
        self.timer = None
        if self.transport is None or self.transport.is_closing() or self.busy:
            return
        if self.closing:
            self.transport.abort()  # lingered long enough after an answer
        elif self.reading is None and self.answered:
            self.transport.close()  # a kept-alive connection with nothing more to ask
        else:
            seconds = self.worker.read_timeout
            self._fail(408, f"the request did not arrive within {seconds:g} s, the read timeout on this server")


def _header(request: _Request, name: bytes) -> str | None:
    for key, value in request.headers:
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return None


def _too_large(limit: int) -> tuple[int, str]:
    return 413, f"the request body is larger than {limit} bytes, the limit on this server"


def _error_answer(status: int, message: str) -> Answer:
    phrase = HTTPStatus(status).phrase
    return f"{status} {phrase}", [("Content-Type", "text/plain; charset=utf-8")], f"{status} {message}\n".encode()


_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding"}
_NO_BODY = ("1", "204", "304")


def _serialize(request: _Request, status: str, headers: list[tuple[str, str]], body: bytes, keep_alive: bool) -> bytes:
    lines = [f"HTTP/1.1 {status}\r\n".encode("latin-1")]
    has_length = False
    for name, value in headers:
        lower = name.lower()
        if lower in _HOP_BY_HOP:
            continue
        has_length = has_length or lower == "content-length"
        lines.append(f"{name}: {value}\r\n".encode("latin-1"))
    if not has_length and not status.startswith(_NO_BODY):
        lines.append(b"Content-Length: %d\r\n" % len(body))
    lines.append(f"Date: {formatdate(usegmt=True)}\r\n".encode("ascii"))
    if not keep_alive:
        lines.append(b"Connection: close\r\n")
    elif request.version == "1.0":
        lines.append(b"Connection: keep-alive\r\n")
    lines.append(b"\r\n")
    if request.method != "HEAD":
        lines.append(body)
    return b"".join(lines)
