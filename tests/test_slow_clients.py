"""Slow clients, dying workers and a stopping server never leave `casec serve` stalled, orphaned or half-open.

Through the real server (``casec serve`` in its own process group). Time bounds here are generous, so that
the tests hold on a loaded machine; the figures themselves are measured in bench/endpoint.py.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import LiveServer

NEVER_ENDS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 33,500^3 rows: no engine finishes
SMALL = "ASK { ?s ?p ?o }"


def request(port: int, method: str, path: str, body: bytes | None = None, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/sparql-query"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def timed(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, float]:
    start = time.monotonic()
    status, _ = request(port, method, path, body)
    return status, time.monotonic() - start


def raw(port: int, data: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    if data:
        sock.sendall(data)
    return sock


def read_all(sock: socket.socket, timeout: float) -> bytes:
    """Everything the server sends until it closes the connection (or ``timeout`` passes)."""
    sock.settimeout(timeout)
    received = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            break
        if not chunk:
            break
        received += chunk
    return received


def children_of() -> dict[int, list[int]]:
    """Children by parent pid, over the whole machine (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    return children


def descendants(root: int) -> list[int]:
    children, found, todo = children_of(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie (a zombie runs nothing; reaping it is its new parent's business)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def query_path(sparql: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": sparql})


# ---- slow clients ----------------------------------------------------------------------------------------------


def test_a_hundred_slow_clients_do_not_delay_health_or_queries(start_server) -> None:
    server = start_server("--workers", "2")
    slow = []
    for i in range(100):
        kind = i % 3
        if kind == 0:
            slow.append(raw(server.port))  # connects, sends nothing
        elif kind == 1:
            slow.append(raw(server.port, b"GET /healthz HTTP/1.1\r\nHo"))  # headers, a byte at a time
        else:
            head = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            slow.append(raw(server.port, head + b"Content-Length: 1000\r\n\r\nSELECT"))  # a body that never ends
    try:
        for round_ in range(5):
            for sock in slow[1::3]:
                sock.send(b"x")
            health, health_seconds = timed(server.port, "GET", "/healthz")
            answer, query_seconds = timed(server.port, "GET", query_path(SMALL))
            assert (health, answer) == (200, 200)
            # sync workers took 39 s here; anything under 2 s shows nobody waited for the slow clients
            assert health_seconds < 2 and query_seconds < 2, (round_, health_seconds, query_seconds)
            time.sleep(0.3)
    finally:
        for sock in slow:
            sock.close()


@pytest.fixture(scope="module")
def strict_server() -> Iterator[LiveServer]:
    """A server with a 1 s read timeout and a 2,000-byte body limit."""
    server = LiveServer("--workers", "1", "--read-timeout", "1", "--max-body", "2000")
    yield server
    server.stop()


@pytest.mark.parametrize(
    "sent",
    [
        b"",
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 50\r\n\r\nASK",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n3\r\nASK\r\n",
    ],
    ids=["nothing", "unfinished headers", "unfinished body", "unfinished chunked body"],
)
def test_a_request_that_does_not_arrive_within_the_read_timeout_gets_408(strict_server, sent: bytes) -> None:
    sock = raw(strict_server.port, sent)
    started = time.monotonic()
    try:
        answer = read_all(sock, timeout=15)
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert b"read timeout" in answer
    assert b"Connection: close" in answer
    assert 0.5 < time.monotonic() - started < 10
    assert request(strict_server.port, "GET", "/healthz")[0] == 200  # the slot is free again


def test_a_kept_alive_connection_is_reused_then_closed_quietly_when_idle(strict_server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", strict_server.port, timeout=10)
    ports = set()
    for _ in range(3):
        connection.request("GET", query_path(SMALL))
        response = connection.getresponse()
        assert response.status == 200 and b"true" in response.read()
        assert response.getheader("Connection") is None  # HTTP/1.1: kept alive unless it says otherwise
        ports.add(connection.sock.getsockname()[1])
    assert len(ports) == 1, "all three requests went over one connection"
    # idle past the read timeout: closed without a 408 the client never asked for
    assert read_all(connection.sock, timeout=10) == b""
    connection.close()


def test_http_10_clients_get_keep_alive_only_when_they_ask(strict_server) -> None:
    sock = raw(strict_server.port, b"GET /healthz HTTP/1.0\r\n\r\n")
    answer = read_all(sock, timeout=10)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 200 ") and b"Connection: close" in answer
    sock = raw(
        strict_server.port, b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /healthz HTTP/1.0\r\n\r\n"
    )
    answer = read_all(sock, timeout=10)
    sock.close()
    assert answer.count(b"HTTP/1.1 200 ") == 2 and b"Connection: keep-alive" in answer


def chunked(body: bytes, size: int = 100) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"


def post_chunked(port: int, body: bytes) -> bytes:
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Accept: application/sparql-results+json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    sock = raw(port, head)
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        sock.sendall(chunked(body))  # the server may answer and stop reading before the whole body is sent
    answer = read_all(sock, timeout=15)
    sock.close()
    return answer


def test_a_chunked_body_over_the_limit_is_413_not_cut_and_run(strict_server) -> None:
    # Before: the body was cut to the limit and run; this LIMIT 1 fell past the cut and 33,520 rows came back.
    padding = b"# " + b"x" * 2500 + b"\n"
    answer = post_chunked(strict_server.port, b"SELECT * WHERE { ?s ?p ?o }\n" + padding + b"LIMIT 1")
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b"2000 bytes" in answer


def test_a_chunked_body_within_the_limit_is_read_whole(strict_server) -> None:
    answer = post_chunked(strict_server.port, b"SELECT * WHERE { ?s ?p ?o }\n# " + b"y" * 1500 + b"\nLIMIT 1")
    assert answer.startswith(b"HTTP/1.1 200 "), answer[:300]
    assert answer.count(b'"type"') == 3  # one row of three bindings


def test_a_declared_length_over_the_limit_is_413_before_the_body_is_read(strict_server) -> None:
    head = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 5000\r\n\r\n"
    sock = raw(strict_server.port, head)
    answer = read_all(sock, timeout=10)  # nothing of the body was sent: the answer must not wait for it
    sock.close()
    assert answer.startswith(b"HTTP/1.1 413 "), answer


@pytest.mark.parametrize(
    ("sent", "status"),
    [
        (b"GARBAGE\r\n\r\n", b"400"),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-Filler: y\r\n" * 150 + b"\r\n", b"431"),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
    ],
    ids=["not HTTP", "too many headers", "target too long"],
)
def test_malformed_requests_get_a_clear_4xx_at_once(strict_server, sent: bytes, status: bytes) -> None:
    sock = raw(strict_server.port, sent)
    answer = read_all(sock, timeout=10)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 " + status), answer[:200]
    assert b"Traceback" not in answer


# ---- dying workers, stopping servers ------------------------------------------------------------------------


def start_never_ending_query(port: int) -> dict[str, object]:
    """Send NEVER_ENDS in a thread; the outcome (status, or the exception) lands in the returned dict."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["status"] = request(port, "GET", query_path(NEVER_ENDS), timeout=60)[0]
        except (OSError, http.client.HTTPException) as error:
            outcome["error"] = error
        outcome["done"] = time.monotonic()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    outcome["thread"] = thread
    return outcome


def busy_executor(worker_pids: list[int]) -> int | None:
    """An executor of one of these workers that is using the CPU (the one running the query)."""
    children = children_of()
    for worker in worker_pids:
        for executor in children.get(worker, []):
            if _cpu_ticks(executor) > 20:  # > 0.2 s of CPU: a prestarted idle executor uses none
                return executor
    return None


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def test_killing_a_worker_mid_query_leaves_no_executor_and_no_hung_client(start_server) -> None:
    server = start_server("--workers", "1", "--query-timeout", "60")
    outcome = start_never_ending_query(server.port)
    workers = children_of().get(server.process.pid, [])
    assert wait_until(lambda: busy_executor(workers) is not None, 20), "the query never started"
    executor = busy_executor(workers)
    worker = next(pid for pid in workers if executor in children_of().get(pid, []))
    its_executors = children_of().get(worker, [])
    killed = time.monotonic()
    os.kill(worker, signal.SIGKILL)
    thread = outcome["thread"]
    thread.join(20)  # type: ignore[attr-defined]
    assert not thread.is_alive(), "the client was left hanging"  # type: ignore[attr-defined]
    assert "error" in outcome or outcome.get("status") in (500, 502, 503), outcome
    assert outcome["done"] - killed < 10  # type: ignore[operator]
    assert wait_until(lambda: not any(running(pid) for pid in its_executors), 10), "an executor outlived its worker"
    # gunicorn replaces the worker, and the server answers again
    assert wait_until(lambda: _answers(server.port), 30)


def _answers(port: int) -> bool:
    try:
        return request(port, "GET", "/healthz", timeout=5)[0] == 200
    except OSError:
        return False


def test_sigterm_during_a_long_query_leaves_no_process_and_the_port_free(start_server) -> None:
    server = start_server("--workers", "2", "--query-timeout", "60")
    outcome = start_never_ending_query(server.port)
    workers = children_of().get(server.process.pid, [])
    assert wait_until(lambda: busy_executor(workers) is not None, 20), "the query never started"
    tree = descendants(server.process.pid)
    assert len(tree) >= 5  # master, two workers, their executors
    os.kill(server.process.pid, signal.SIGTERM)
    server.process.wait(30)
    assert wait_until(lambda: not any(running(pid) for pid in tree), 10), [p for p in tree if running(p)]
    thread = outcome["thread"]
    thread.join(10)  # type: ignore[attr-defined]
    assert not thread.is_alive(), "the client's connection stayed open"  # type: ignore[attr-defined]
    # a new server on the same port starts at once
    again = start_server("--workers", "1", port=server.port)
    assert request(again.port, "GET", "/healthz")[0] == 200


def test_two_servers_do_not_share_a_control_socket(start_server, tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_RUNTIME_DIR": ""}
    first = start_server("--workers", "1", env=env)
    second = start_server("--workers", "1", env=env)
    assert not list(tmp_path.rglob("*.ctl")), "gunicorn's control socket is off: nothing to share or delete"
    first.stop()
    assert request(second.port, "GET", "/healthz")[0] == 200


def test_serving_beyond_loopback_without_base_url_warns_about_the_host_header(start_server) -> None:
    server = start_server("--workers", "1", "--host", "0.0.0.0")
    assert "without --base-url" in server.output()
    assert "Host header" in server.output()
