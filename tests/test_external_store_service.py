"""What the external stores themselves do with a SERVICE clause, asked directly (not through casec), as the
README says: behind ``--store`` casec's executors keep the network (they reach the store over it), so the guard
is the only defence, and a SERVICE it let through would be followed by Oxigraph's server (it has no switch to
turn federation off) but refused by Virtuoso to the anonymous user casec queries as."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request


def test_what_the_external_store_does_with_a_service_clause(external_backend, canary) -> None:
    """(The embedded store's executors cannot open a socket at all: tests/test_network_guard.py.)"""
    backend = external_backend
    endpoint = backend.server.store_url.replace("sparql+http", "http", 1)
    query = f"SELECT * WHERE {{ SERVICE <{canary.url}/sparql> {{ ?s ?p ?o }} }}"
    request = urllib.request.Request(
        endpoint + "?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode("utf-8", "replace")
    time.sleep(0.5)
    if backend.name == "virtuoso":
        assert status >= 400 and "SPARQL_SINV" in body, body  # the anonymous user lacks the federation view
        assert canary.requests == []
    else:
        assert canary.requests == ["/sparql"], (status, body)  # Oxigraph's server goes out: only the guard stops it
