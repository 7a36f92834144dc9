"""Replicas behind HAProxy (deploy/haproxy.cfg) lose no request when one is killed or all are restarted onto new
data, and every answer names its data version. Drives bench/replicas.py in a short form: it starts three
``casec serve`` and HAProxy on 127.0.0.1 and stops them all, also when it fails."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "replicas.py"


def test_no_request_fails_when_a_replica_dies_or_all_restart_onto_new_data() -> None:
    if shutil.which("haproxy") is None:
        pytest.fail("HAProxy is not installed: apt-get install haproxy (as .ci/run does)")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--clients", "2", "--phase", "2.5"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for phase in ("steady", "kill", "rolling"):
        row = next(line for line in done.stdout.splitlines() if line.startswith(f"| {phase} |"))
        requests, failed = (int(cell) for cell in row.split("|")[2:4])
        assert requests > 0 and failed == 0, row
        if phase == "rolling":  # answers from both versions while the restart goes on, each naming its own
            assert row.split("|")[4].count(":") == 2, row
    assert "PASS" in done.stdout
