"""Shared fixtures: the bundled graph, small bundles in a temp folder, the app, and live servers."""

from __future__ import annotations

import atexit
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from external_stores import SERVERS, ExternalServer, stop_process_group
from flask import Flask
from flask.testing import FlaskClient

from casec.bundle import Bundle, default_bundle
from casec.settings import Settings
from casec.store.embedded import EmbeddedStore
from casec.store.interface import GraphStore
from casec.store.load import bundle_files
from casec.store.remote import SparqlHttpStore
from casec.web.app import create_app

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


_RUNNING: set[subprocess.Popen] = set()


def _stop_everything() -> None:
    """Last resort at interpreter exit: no server a test started outlives the run."""
    for process in list(_RUNNING):
        stop_process_group(process, grace=5)


atexit.register(_stop_everything)


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    return default_bundle()


@pytest.fixture(scope="session")
def store(bundle: Bundle) -> EmbeddedStore:
    return EmbeddedStore(bundle_files(bundle))


@pytest.fixture
def minimal_root(tmp_path: Path, bundle: Bundle) -> Path:
    """A bundle with the real ontology and shapes and the tiny sample data set."""
    shutil.copytree(bundle.ontology, tmp_path / "ontology")
    shutil.copytree(bundle.shapes, tmp_path / "shapes")
    shutil.copytree(FIXTURES / "minimal" / "data", tmp_path / "data")
    (tmp_path / "queries").mkdir()
    return tmp_path


@pytest.fixture
def sample_texts() -> Path:
    return FIXTURES / "minimal" / "texts"


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("the source texts (../shared/seeds) are not beside this checkout")
    return SEEDS


BACKENDS = ("embedded", "oxigraph", "virtuoso")
GENEROUS = 120.0  # seconds: limits a loaded machine never reaches, outside the tests about limits


@dataclass
class Backend:
    """Where the app's data lives: the embedded store, or an external server that ``casec load`` filled."""

    name: str
    store: GraphStore
    server: ExternalServer | None = None

    def serve_args(self) -> list[str]:
        return ["--store", self.server.store_url] if self.server else []


def start_external(name: str, folder: Path, *load_args: str) -> ExternalServer:
    """Start an external server and load it with ``casec load`` (the bundle, or ``--data`` files)."""
    kind = SERVERS[name]
    if not kind.available():
        message = f"the {name} server is not installed (.ci/run installs it)"
        if os.environ.get("CASEC_REQUIRE_BACKENDS"):
            pytest.fail(message)
        pytest.skip(message)
    server = kind(folder)
    _RUNNING.add(server.process)  # stopped at exit even if the run is interrupted before its finalizer
    loaded = subprocess.run(
        [sys.executable, "-m", "casec.cli", "load", *server.load_args(), *load_args],
        env={**os.environ, **server.load_env()},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if loaded.returncode != 0:
        server.stop()
        pytest.fail(f"casec load into {name} failed:\n{loaded.stdout}\n{loaded.stderr}")
    return server


EXTERNAL = BACKENDS[1:]


@pytest.fixture(scope="session")
def external_servers(tmp_path_factory) -> Iterator[Callable[[str], ExternalServer]]:
    """Each external server is started (and loaded) once per run, on first use, and stopped at the end."""
    running: dict[str, ExternalServer] = {}

    def get(name: str) -> ExternalServer:
        if name not in running:
            running[name] = start_external(name, tmp_path_factory.mktemp(name))
        return running[name]

    yield get
    for server in running.values():
        server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest, store: EmbeddedStore, external_servers) -> Backend:
    """Each behaviour test that uses the app runs on the embedded store and on each external server."""
    if request.param == "embedded":
        return Backend("embedded", store)
    server = external_servers(request.param)
    return Backend(request.param, SparqlHttpStore(server.store_url), server)


@pytest.fixture(scope="session", params=EXTERNAL)
def external_backend(request: pytest.FixtureRequest, external_servers) -> Backend:
    """Tests about external stores only: Oxigraph's server and Virtuoso (never parametrized then skipped)."""
    server = external_servers(request.param)
    return Backend(request.param, SparqlHttpStore(server.store_url), server)


@pytest.fixture(scope="session")
def app(bundle: Bundle, backend: Backend) -> Iterator[Flask]:
    """The app on the bundled graph, as the factory builds it, on each backend."""
    application = create_app(Settings(query_timeout=GENEROUS), store=backend.store, bundle=bundle)
    application.config.update(TESTING=True)
    yield application
    application.extensions["casec"].runner.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def pytest_configure(config: pytest.Config) -> None:
    # SIGTERM (a CI time-out, kill) unwinds like Ctrl-C, so fixture finalizers stop the servers
    signal.signal(signal.SIGTERM, _interrupt)
    config.addinivalue_line("markers", "browser: drives headless Chromium")
    config.addinivalue_line("markers", "external: runs against an external SPARQL server (Oxigraph server, Virtuoso)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser and external-server tests, so that `-m "not browser and not external"` is a fast subset."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & {"page", "browser"}:
            item.add_marker(pytest.mark.browser)
        callspec = getattr(item, "callspec", None)
        params = {v for v in callspec.params.values() if isinstance(v, str)} if callspec else set()
        if "external_backend" in fixtures or params & set(EXTERNAL):
            item.add_marker(pytest.mark.external)


class LiveServer:
    """``casec serve`` in a subprocess on a free loopback port: the real gunicorn, the real HTTP."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, port: int | None = None) -> None:
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix="casec-serve-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "casec.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
        _RUNNING.add(self.process)
        self._wait()

    def _wait(self, seconds: float = 180.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"casec serve exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        output = self.output()
        self.stop()
        raise RuntimeError(f"casec serve did not answer within {seconds} s:\n{output}")

    def output(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def terminate(self) -> None:
        """Ask the server to stop, without waiting: several stop in parallel (:func:`stop_all`)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self) -> None:
        stop_process_group(self.process, grace=15)
        _RUNNING.discard(self.process)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


def stop_all(servers: list[LiveServer]) -> None:
    """Stop several servers in the time of the slowest, not of all of them together."""
    for server in servers:
        server.terminate()
    for server in servers:
        server.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(backend: Backend) -> Iterator[LiveServer]:
    """The bundled graph served by ``casec serve`` (2 workers, a generous query limit) on each backend."""
    server = LiveServer("--workers", "2", "--query-timeout", str(GENEROUS), *backend.serve_args())
    yield server
    server.stop()


@pytest.fixture(scope="session")
def limited_server(backend: Backend) -> Iterator[LiveServer]:
    """``casec serve`` with a 3 s query limit, for the tests about that limit (with queries that cannot finish)."""
    server = LiveServer("--workers", "2", "--query-timeout", "3", *backend.serve_args())
    yield server
    server.stop()


@pytest.fixture(scope="session")
def embedded_server() -> Iterator[LiveServer]:
    """``casec serve`` on the embedded store, for what does not depend on the backend (page layout)."""
    server = LiveServer("--workers", "2")
    yield server
    server.stop()


@pytest.fixture
def start_server() -> Iterator[Callable[..., LiveServer]]:
    """Start ``casec serve`` with other flags (e.g. ``--data``); stopped after the test."""
    started: list[LiveServer] = []

    def start(*args: str, env: dict[str, str] | None = None, port: int | None = None) -> LiveServer:
        started.append(LiveServer(*args, env=env, port=port))
        return started[-1]

    yield start
    stop_all(started)


class Canary:
    """An HTTP server on loopback that records every request made to it."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                canary.requests.append(self.path)
                body = b"<http://canary/s> <http://canary/p> <http://canary/o> .\n"
                self.send_response(200)
                self.send_header("Content-Type", "application/n-triples")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canary() -> Iterator[Canary]:
    running = Canary()
    yield running
    running.stop()


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's headless Chromium driven by Playwright (installed by .ci/run; never ``playwright install``).
    Playwright gives each launch a fresh profile of its own."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is not installed: run 'apt-get install -y chromium' (as .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page; console errors are collected in ``page.casec_errors``."""
    context = browser.new_context()  # type: ignore[attr-defined]
    new_page = context.new_page()
    new_page.casec_errors = []
    new_page.on("pageerror", lambda error: new_page.casec_errors.append(str(error)))
    yield new_page
    context.close()
