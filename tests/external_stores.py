"""Start and stop the external SPARQL servers casec is tested against, on 127.0.0.1 only.

Virtuoso (Debian's ``virtuoso-opensource``) and Oxigraph's server (PyPI
``oxigraph``) each run from a fresh folder with their own ports and are stopped
by :meth:`stop`. Used by the tests (``tests/conftest.py``) and ``bench/scale.py``.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process_group(process: subprocess.Popen, grace: float) -> None:
    """SIGTERM the process and everything it started (its session), SIGKILL what outlives ``grace``."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def wait_for(url: str, process: subprocess.Popen, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s:\n{log.read_text()[-2000:]}")


class ExternalServer:
    """A running server: its SPARQL endpoint (as casec's ``--store`` URL) and Graph Store endpoint."""

    name = ""
    process: subprocess.Popen
    query_url = ""
    graph_store_url = ""
    user: str | None = None
    password: str | None = None

    @property
    def store_url(self) -> str:
        return "sparql+" + self.query_url

    def load_env(self) -> dict[str, str]:
        return {"CASEC_STORE_PASSWORD": self.password} if self.password else {}

    def load_args(self) -> list[str]:
        args = ["--into", self.store_url, "--graph-store", self.graph_store_url]
        return [*args, "--user", self.user] if self.user else args

    def stop(self) -> None:
        stop_process_group(self.process, grace=20)


# The servers stop a query themselves after this many seconds (deploy/README.md: at least casec's own limit)
SERVER_TIME_LIMIT = 10


class OxigraphServer(ExternalServer):
    """``oxigraph serve`` as casec expects it: the union of its graphs as the default graph, a time limit."""

    name = "oxigraph"

    @staticmethod
    def available() -> bool:
        return shutil.which("oxigraph") is not None

    def __init__(self, folder: Path, time_limit: float = SERVER_TIME_LIMIT) -> None:
        port = free_port()
        log = folder / "oxigraph.log"
        command = ["oxigraph", "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
        self.process = subprocess.Popen(
            [*command, "--union-default-graph", "--timeout-s", str(int(time_limit))],
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        self.query_url, self.graph_store_url = base + "/query", base + "/store"
        wait_for(base + "/query?query=ASK%7B%7D", self.process, 30, log)


class VirtuosoServer(ExternalServer):
    """Debian's Virtuoso with the settings of deploy/README.md: no silent row cut below casec's limit, and
    its own time limit (``MaxQueryExecutionTime``) as the ceiling of the one casec sends with each query."""

    name = "virtuoso"

    @staticmethod
    def available() -> bool:
        return shutil.which("virtuoso-t") is not None and VIRTUOSO_INI.exists()

    def __init__(
        self,
        folder: Path,
        max_rows: int = 1_000_000,
        time_limit: float = SERVER_TIME_LIMIT,
        template: Path = VIRTUOSO_INI,
    ) -> None:
        self.user, self.password = "dba", secrets.token_hex(8)
        sql_port, http_port = free_port(), free_port()
        ini = folder / "virtuoso.ini"
        text = template.read_text().replace("/var/lib/virtuoso-opensource-7/db/", f"{folder}/")
        text = re.sub(r"(?m)^ServerPort(\s*)= 1111\b.*", f"ServerPort = 127.0.0.1:{sql_port}", text)
        text = re.sub(r"(?m)^ServerPort(\s*)= 8890\b.*", f"ServerPort = 127.0.0.1:{http_port}", text)
        allowed = f"DirsAllowed = ., {folder}, /usr/share/virtuoso-opensource-7/vad"
        text = re.sub(r"(?m)^DirsAllowed(\s*)=.*", allowed, text)
        # Virtuoso silently cuts results at ResultSetMaxRows; casec enforces its own row limit
        text = re.sub(r"(?m)^ResultSetMaxRows(\s*)=.*", f"ResultSetMaxRows = {max_rows}", text)
        # casec's own time limit is what is tested: Virtuoso's estimate-based refusal would pre-empt it
        text = re.sub(r"(?m)^MaxQueryCostEstimationTime(\s*)=.*", "MaxQueryCostEstimationTime = 0", text)
        text = re.sub(r"(?m)^MaxQueryExecutionTime(\s*)=.*", f"MaxQueryExecutionTime = {int(time_limit)}", text)
        ini.write_text(text)
        self.folder, self.sql_port = folder, sql_port
        log = folder / "virtuoso-first-run.log"
        subprocess.run(
            ["virtuoso-t", "+foreground", "+configfile", str(ini), "+pwdold", "dba", "+pwddba", self.password,
             "+pwddav", self.password],
            stdout=log.open("w"), stderr=subprocess.STDOUT, timeout=120, check=True, cwd=folder,
        )  # fmt: skip
        log = folder / "virtuoso.log.out"
        self.process = subprocess.Popen(
            ["virtuoso-t", "+foreground", "+configfile", str(ini)],
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=folder,
        )
        base = f"http://127.0.0.1:{http_port}"
        self.query_url, self.graph_store_url = base + "/sparql", base + "/sparql-graph-crud-auth"
        wait_for(base + "/sparql?query=ASK%7B%7D", self.process, 60, log)


SERVERS: dict[str, type[ExternalServer]] = {"oxigraph": OxigraphServer, "virtuoso": VirtuosoServer}
