"""The casec command as a user runs it: exit codes, formats, help."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def casec(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "casec.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_the_casec_command_is_installed() -> None:
    path = shutil.which("casec")
    assert path, "pip install . should put the casec command on PATH"
    assert subprocess.run([path, "--help"], capture_output=True, text=True).returncode == 0


@pytest.mark.parametrize("command", ["validate", "stats", "query", "conflicts", "coverage"])
def test_every_command_has_help(command: str) -> None:
    result = casec(command, "--help")
    assert result.returncode == 0
    assert "usage: casec" in result.stdout


def test_validate_exits_0_on_valid_data_from_any_directory(minimal_root: Path, tmp_path: Path) -> None:
    result = casec(
        "--root", str(minimal_root), "validate", "--sources", str(FIXTURES / "minimal" / "texts"), cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


def test_validate_exits_1_with_findings_in_every_format(minimal_root: Path) -> None:
    shutil.copy(FIXTURES / "broken" / "membership-without-role.ttl", minimal_root / "data" / "sources" / "sample.b.ttl")
    for fmt, marker in [
        ("text", "must have exactly one org:role"),
        ("json", '"valid": false'),
        ("junit", "<testsuite"),
        ("github", "::error file="),
    ]:
        result = casec("--root", str(minimal_root), "validate", "--format", fmt)
        assert result.returncode == 1
        assert marker in result.stdout
    payload = json.loads(casec("--root", str(minimal_root), "validate", "--format", "json").stdout)
    assert payload["findings"][0]["focus"] == "st:broken"


def test_validate_exits_2_when_it_cannot_run(tmp_path: Path) -> None:
    result = casec("--root", str(tmp_path / "nowhere"), "validate")
    assert result.returncode == 2
    assert "is not a folder" in result.stderr


def test_query_formats(minimal_root: Path) -> None:
    query = (
        "PREFIX casec: <https://w3id.org/casec/ontology#> "
        "SELECT ?org WHERE { <https://w3id.org/casec/id/state/sylvania> casec:memberOf ?org }"
    )
    table = casec("--root", str(minimal_root), "query", query)
    assert "https://w3id.org/casec/id/org/alpha-pact" in table.stdout and "(1 rows)" in table.stdout
    as_json = json.loads(casec("--root", str(minimal_root), "query", query, "--format", "json").stdout)
    assert as_json["results"]["bindings"][0]["org"]["value"] == "https://w3id.org/casec/id/org/alpha-pact"
    csv = casec("--root", str(minimal_root), "query", query, "--format", "csv").stdout
    assert csv.splitlines()[0].strip() == "org"


def test_a_malformed_query_is_an_error_not_a_traceback(minimal_root: Path) -> None:
    result = casec("--root", str(minimal_root), "query", "SELECT * WHERE { ?s ?p }")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "does not parse at line 1, column" in result.stderr


def test_stats_counts_classes_and_sources(minimal_root: Path) -> None:
    payload = json.loads(casec("--root", str(minimal_root), "stats", "--format", "json").stdout)
    counts = {c["label"]: c["count"] for c in payload["classes"]}
    assert counts["State"] == 2 and counts["Membership"] == 2
    assert payload["sources"][0]["statements"] == 4
