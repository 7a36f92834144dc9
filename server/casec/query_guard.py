"""Decide, before any engine sees a query, whether it may run here.

Both engines would follow ``SERVICE`` and ``LOAD`` out onto the network (see
``../shared/PLATFORM.md``), and this endpoint is read-only, so those are refused
up front. A lexer is enough for that and costs microseconds on every query:
keywords are only looked for outside strings, IRIs, comments, variables and
prefixed names. The rare query with a ``FROM`` clause is parsed fully by
rdflib's SPARQL parser, which resolves prefixes and ``BASE``, to learn which
graphs it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from .failures import Refusal

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<long_string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<pname>[\w.-]*:[\w.:%\\-]*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


class QueryRefused(Refusal):
    """The query may not run here."""


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: str
    has_dataset_clause: bool
    # SELECT *: the variables in order of first appearance, the column order users (and the W3C tests) expect
    star_variables: tuple[str, ...] | None = None


def _tokens(sparql: str) -> list[tuple[str | None, str]]:
    return [(m.lastgroup, m.group()) for m in _TOKEN.finditer(sparql) if m.lastgroup != "comment"]


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of them outside strings, IRIs and comments."""
    words = (text.upper() for kind, text in _tokens(sparql) if kind == "word")
    return next((word for word in words if word in QUERY_FORMS), None)


def check_query(sparql: str) -> CheckedQuery:
    tokens = _tokens(sparql)
    words = [text.upper() for kind, text in tokens if kind == "word"]
    significant = [w for w in words if w not in ("BASE", "PREFIX")]
    if significant and significant[0] in UPDATE_WORDS:
        raise QueryRefused(
            403, f"SPARQL Update ({significant[0]}) is not allowed: this endpoint is read-only and serves queries only"
        )
    if "SERVICE" in words:
        raise QueryRefused(
            403, "SERVICE (federated query) is not allowed: this server never makes requests to other servers"
        )
    if "DEFINE" in words:
        raise QueryRefused(400, "DEFINE pragmas are not SPARQL 1.1 (they are a Virtuoso extension) and are not allowed")
    form = next((w for w in words if w in QUERY_FORMS), None)
    if form is None:
        raise QueryRefused(400, "this is not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return CheckedQuery(sparql, form, "FROM" in words, _star_variables(tokens) if form == "SELECT" else None)


def _star_variables(tokens: list[tuple[str | None, str]]) -> tuple[str, ...] | None:
    start = next(i for i, (kind, text) in enumerate(tokens) if kind == "word" and text.upper() == "SELECT")
    following = [text for _, text in tokens[start + 1 : start + 3]]
    if not following or ("*" not in following[:1] and following[1:2] != ["*"]):
        return None
    if following[0] != "*" and following[0].upper() not in ("DISTINCT", "REDUCED"):
        return None
    names = dict.fromkeys(text[1:] for kind, text in tokens if kind == "var")
    return tuple(names)


def dataset_clause_graphs(sparql: str) -> list[str]:
    """The IRIs named by ``FROM`` and ``FROM NAMED`` (prefixes and BASE resolved)."""
    try:
        algebra = translateQuery(parseQuery(sparql)).algebra
    except Exception:
        return []
    graphs: list[str] = []
    for clause in algebra.get("datasetClause") or []:
        graphs += [str(clause[key]) for key in ("default", "named") if key in clause]
    return graphs


def check_graphs(requested: list[str], held: set[str], origin: str) -> None:
    """Graphs a query names must be graphs the dataset holds: nothing is ever fetched."""
    unknown = [g for g in requested if g not in held]
    if unknown:
        raise QueryRefused(
            400,
            f"{origin} names a graph this dataset does not hold: <{unknown[0]}>. Graphs are never fetched from "
            "elsewhere; the service description at /sparql lists the graphs held.",
        )
