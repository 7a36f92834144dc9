"""The row limit counts rows exactly in every result format, whatever the values hold.

Results are serialized once, in the format asked for, while their rows are counted from the bytes (a JSON
``,{"``, an XML ``<result>``, a TSV line); values that look like those marks, and rows with no bindings at
all, must neither hide a row nor invent one. Through the real server, with a limit of 6 rows.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import LiveServer

VALUES = ["a {} b", 'x",{"y', "<result>", "line1\nline2", "{}{}{}", "c,d\r\ne"]
LIMIT = len(VALUES)
SIX = "SELECT ?o WHERE { ?s <http://e/p> ?o }"
SEVEN = 'SELECT ?o WHERE { { ?s <http://e/p> ?o } UNION { BIND ("extra" AS ?o) } }'
SIX_EMPTY = "SELECT ?x WHERE { ?s <http://e/p> ?o }"  # six rows, none with a binding
SEVEN_EMPTY = "SELECT ?x WHERE { { ?s <http://e/p> ?o } UNION { BIND (1 AS ?o) } }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data = tmp_path_factory.mktemp("rows") / "tricky.nt"
    lines = [f"<http://e/s{i}> <http://e/p> {json.dumps(value)} ." for i, value in enumerate(VALUES)]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    running = LiveServer("--workers", "1", "--max-rows", str(LIMIT), "--data", str(Path(data)))
    yield running
    running.stop()


def ask(server: LiveServer, sparql: str, fmt: str) -> tuple[int, str]:
    url = server.url + "/sparql?" + urllib.parse.urlencode({"query": sparql, "format": fmt})
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def rows(fmt: str, body: str) -> list[str]:
    """The first column of each row, as the format gives it back."""
    if fmt == "json":
        return [
            binding.get("o", binding.get("x", {})).get("value", "")
            for binding in json.loads(body)["results"]["bindings"]
        ]
    if fmt == "xml":
        return ["" for _ in range(body.count("<result>"))]
    if fmt == "csv":
        return [row[0] if row else "" for row in list(csv.reader(io.StringIO(body, newline="")))[1:]]
    return body.split("\n")[1:-1]  # TSV: one line per row, line breaks in values escaped


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_rows_up_to_the_limit_come_back_whole(server: LiveServer, fmt: str) -> None:
    status, body = ask(server, SIX, fmt)
    assert status == 200, body
    found = rows(fmt, body)
    assert len(found) == LIMIT
    if fmt in ("json", "csv"):
        assert sorted(found) == sorted(VALUES)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_one_row_over_the_limit_is_refused(server: LiveServer, fmt: str) -> None:
    status, body = ask(server, SEVEN, fmt)
    assert status == 422, body
    assert f"more than {LIMIT} rows" in body


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_rows_without_bindings_are_counted_too(server: LiveServer, fmt: str) -> None:
    status, body = ask(server, SIX_EMPTY, fmt)
    assert status == 200, body
    assert len(rows(fmt, body)) == LIMIT
    status, body = ask(server, SEVEN_EMPTY, fmt)
    assert status == 422, body


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml"])
def test_construct_is_capped_on_triples(server: LiveServer, fmt: str) -> None:
    status, body = ask(server, "CONSTRUCT WHERE { ?s <http://e/p> ?o }", fmt)
    assert status == 200, body
    assert "line1" in body
    extra = (
        "CONSTRUCT { ?s <http://e/p> ?o } "
        "WHERE { { ?s <http://e/p> ?o } UNION { BIND (<http://e/x> AS ?s) BIND (1 AS ?o) } }"
    )
    status, body = ask(server, extra, fmt)
    assert status == 422, body
