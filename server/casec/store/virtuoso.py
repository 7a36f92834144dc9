"""What ``casec load`` does on Virtuoso so that its anonymous SPARQL endpoint answers as casec expects.

Virtuoso's default graph, for a query that names none, is every graph it holds, its own system graphs
included. Its graph-level security narrows that to what the anonymous user (``nobody``) may read: casec
load makes the graphs unreadable to ``nobody`` by default and grants it read on casec's graphs, so the
server's own default graph is the union of casec's graphs and ``GRAPH ?g`` sees casec's graphs, with no
list of graphs in each request. Measured on the bundled graph (bench/README.md, "Scale"): a graph group
as the default graph gives ``agreements.rq`` 0 rows instead of 60 (the ``rdfs:subClassOf*`` +
``OPTIONAL`` bug seen with a list of ``default-graph-uri``); a merged union graph gives the 60 rows in
29 ms but doubles the data and shows up in ``GRAPH ?g`` beside the sources; the permissions give the 60
rows in 52 ms (19.8 s while Virtuoso's system graphs were in the default graph).

The calls are Virtuoso's stored procedures, reached through its authenticated SPARQL endpoint
(``/sparql-auth``) as ``<sql:…>`` functions, so loading needs no SQL port.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

ANONYMOUS = "nobody"
READ = 1


def is_virtuoso(query_endpoint: str, timeout: float = 30) -> bool:
    """Whether the SPARQL endpoint is Virtuoso's (its Server header says so)."""
    request = urllib.request.Request(f"{query_endpoint}?{urllib.parse.urlencode({'query': 'ASK {}'})}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            server: str = response.headers.get("Server", "")
            return server.startswith("Virtuoso")
    except (urllib.error.URLError, OSError):
        return False


class VirtuosoAdmin:
    """Calls Virtuoso's graph-security procedures as an authenticated user (digest, as Virtuoso asks)."""

    def __init__(self, sparql_auth: str, user: str, password: str, timeout: float = 60) -> None:
        self.url = sparql_auth
        self.timeout = timeout
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, sparql_auth, user, password)
        self._opener = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))

    def only_granted_graphs_readable(self) -> None:
        """Graphs are unreadable to the anonymous user unless granted (Virtuoso's system graphs included)."""
        self._call("RDF_DEFAULT_USER_PERMS_SET", ANONYMOUS, 0)

    def grant_read(self, graph: str) -> None:
        self._call("RDF_GRAPH_USER_PERMS_SET", graph, ANONYMOUS, READ)

    def revoke(self, graph: str) -> None:
        self._call("RDF_GRAPH_USER_PERMS_DEL", graph, ANONYMOUS)

    def _call(self, procedure: str, *args: str | int) -> None:
        values = ", ".join(str(a) if isinstance(a, int) else "'" + a.replace("'", "''") + "'" for a in args)
        query = f"SELECT (<sql:{procedure}>({values}) AS ?done) WHERE {{}}"
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.url, data=data, headers={"Accept": "application/sparql-results+xml"})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:300]
            raise RuntimeError(f"{procedure} at {self.url} answered {error.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as error:
            raise RuntimeError(f"{procedure} could not reach {self.url}: {error}") from None
