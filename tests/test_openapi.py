"""The OpenAPI description and the server agree: schemathesis generates requests from /openapi.json (valid ones
and broken ones) and checks every answer against it, on a live server. No server error, no undocumented status
or media type, no valid request refused, no broken request accepted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CONFIG = Path(__file__).parent / "schemathesis" / "schemathesis.toml"
# per operation, so about 300 requests over the 30 operations: a bounded run (seconds), the same on every run
EXAMPLES_PER_OPERATION = 12
SEED = 11


def test_schemathesis_finds_the_description_and_the_server_in_agreement(embedded_server, tmp_path: Path) -> None:
    """The description does not depend on the store: checked on the embedded one."""
    run = subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "--no-color",
            "run", f"{embedded_server.url}/openapi.json",
            "--max-examples", str(EXAMPLES_PER_OPERATION), "--seed", str(SEED),
            "--phases", "examples,fuzzing,stateful", "--workers", "1", "--request-timeout", "30",
        ],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,  # schemathesis keeps a cache in its folder
    )  # fmt: skip
    summary = run.stdout[run.stdout.find("=== SUMMARY") :]
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert " generated, " in summary and " passed" in summary, summary
    generated = int(summary.split(" generated, ")[0].split()[-1])
    assert 150 <= generated <= 600, summary  # the bound holds: a few hundred requests, not thousands
