"""The code stays as the house wants it: ``ruff check`` and ``ruff format --check`` find nothing in the repository,
and ``mypy`` (configured in pyproject.toml: the package, strict on ``store/`` and ``sparql/``) reports no error.

Each tool runs as a subprocess of this interpreter, from the checkout's root, so the versions the test extra
installs are the ones that judge; any finding fails the test with the tool's own report.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "tool",
    [
        pytest.param(["ruff", "check", "--no-fix"], id="ruff-check"),
        pytest.param(["ruff", "format", "--check"], id="ruff-format"),
        pytest.param(["mypy"], id="mypy"),
    ],
)
def test_the_tool_finds_nothing(tool: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *tool], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"`{' '.join(tool)}` found problems:\n{done.stdout}\n{done.stderr}"
