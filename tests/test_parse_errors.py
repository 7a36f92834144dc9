"""Input that does not parse gets one clear message and nothing more: a query's parse error names the line and
the column and puts a caret under the spot (never past the end of the query), from the server and from
``casec query``; a data file that does not parse stops ``casec validate`` at the parse error; a data file with
no triples is refused by ``casec serve`` rather than served as an empty graph."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

MALFORMED = [
    "SELECT * WHERE { ?s ?p }",  # the engine's error, reported one past the end
    "SELECT * WHERE { ?s ?p ?o ",
    "SELECT ?x WHERE { ?s ?p ?o } GROUP BY",
    "SELECT * WHERE { ?s ?p ?o . }\nLIMIT x",
    'SELECT * WHERE {\n  ?s ?p "ééé" . )\n}\n\n',
    "SELECT * WHERE { ?s ?p 'not closed }",  # the guard's error
    "PREFIX ex <http://e/> SELECT * {}",
    "SELECT * FROM",
]
SPOT = re.compile(r"does not parse at line (\d+), column (\d+)")


def check_message(query: str, message: str) -> None:
    """One sentence with the line and column, then that line of the query and a caret under the column."""
    first, shown, caret, *rest = message.rstrip("\n").split("\n")
    found = SPOT.search(first)
    assert found, message
    line, column = int(found[1]), int(found[2])
    text = query.split("\n")[line - 1]
    assert shown == text, message
    assert 1 <= column <= len(text.rstrip()), f"column {column} is past the end of {text!r}"
    assert caret == " " * (column - 1) + "^", message
    assert rest == [] and "[_]" not in first and "u{" not in first, message


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.parametrize("query", MALFORMED)
def test_the_server_says_where_a_query_stops_parsing(live_server, query: str) -> None:
    status, body = get(live_server.url + "/sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 400
    check_message(query, body.removeprefix("400 "))


def test_an_undeclared_prefix_names_itself(live_server) -> None:
    query = "SELECT * WHERE {\n  ?s foaf:name ?o }"
    status, body = get(live_server.url + "/sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 400 and "the prefix foaf: is not declared" in body
    check_message(query, body.removeprefix("400 "))


def casec(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "casec.cli", *args], capture_output=True, text=True, timeout=120)


def test_casec_query_says_where_a_query_stops_parsing(minimal_root: Path) -> None:
    query = "SELECT * WHERE { ?s ?p }"
    result = casec("--root", str(minimal_root), "query", query)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    check_message(query, result.stderr.removeprefix("casec: "))


def test_validate_stops_at_a_parse_error_and_reports_only_it(minimal_root: Path) -> None:
    entities = minimal_root / "data" / "entities" / "entities.ttl"
    lines = entities.read_text(encoding="utf-8").split("\n")
    broken = next(i for i, line in enumerate(lines) if line.startswith("state:freedonia"))
    lines[broken] = lines[broken].replace(" ;", " ;;; ,", 1)  # one typo: the file no longer parses
    entities.write_text("\n".join(lines), encoding="utf-8")
    result = casec("--root", str(minimal_root), "validate", "--format", "json")
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    assert [(f["file"], f["line"], f["rule"]) for f in findings] == [(str(entities), broken + 1, "syntax")]
    text = casec("--root", str(minimal_root), "validate").stdout
    assert "do not parse" in text and text.count("(syntax)") == 1


@pytest.mark.parametrize("content", ["", "@prefix ex: <http://example.org/> .\n# nothing else\n"])
def test_serve_refuses_a_data_file_without_triples(tmp_path: Path, content: str) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text(content, encoding="utf-8")
    result = casec("serve", "--port", "1", "--data", str(empty))
    assert result.returncode == 2
    assert f"{empty} holds no triples" in result.stderr
