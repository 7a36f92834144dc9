"""Decide, before any engine sees a query, whether it may run here.

Both engines follow ``SERVICE`` out onto the network, Virtuoso also runs
``LOAD`` and its own SQL functions, and behind ``--store`` this guard is the
only defence, so it has to read queries the way the engines do and refuse
what it cannot read (fail closed).

How it reads a query:

* a lexer that follows the terminals of the SPARQL 1.1 grammar (section 19.8:
  ``IRIREF``, ``PNAME_LN`` with ``PLX`` escapes, the four string forms with
  ``ECHAR``/``UCHAR``, comments, variables, numbers, ``LANGTAG``). A character
  it cannot place is a 400, never a pass;
* the prologue (``BASE``/``PREFIX``), the query form and the dataset clause
  (``FROM``/``FROM NAMED``, resolved against ``BASE`` and the prefixes) come
  from that token stream; a prefixed name whose prefix is not declared is a 400;
* ``SERVICE`` needs its keyword spelt out in the text. When the text holds the
  word anywhere (after Unicode case folding) and the lexer did not find it as a
  keyword — in a string, an IRI, a comment — rdflib's full SPARQL parser must
  agree that no SERVICE clause exists, else the query is refused. ``<`` is the
  one ambiguity a context-free lexer has (an IRI or "less than"); the parser
  settles it by context. That double reading costs milliseconds and happens
  only for queries that mention the word;
* nesting depth, ``UNION`` count and length are bounded: the engine's
  recursive parser crashes on 10,000 nested groups.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from urllib.parse import urljoin

from casec.errors import Refusal

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
# Virtuoso runs SQL from SPARQL through these namespaces (bif:http_get fetches a URL).
VIRTUOSO_NAMESPACES = ("bif:", "sql:", "openlinksw.com/schemas/bif", "openlinksw.com/schemas/sql")

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"\\[tbnrf\\\"']"
_PN_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_PN_LOCAL = rf"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"

_TOKEN = re.compile(
    rf"""
    (?P<ws>[\x20\t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*'''
             |\"\"\"(?:(?:"|"")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*\"\"\"
             |'(?:[^'\\\r\n]|{_ECHAR}|{_UCHAR})*'
             |"(?:[^"\\\r\n]|{_ECHAR}|{_UCHAR})*")
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
  | (?P<var>[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*)
  | (?P<bnode>_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
  | (?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)
  | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<number>[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+)
  | (?P<word>[A-Za-z][A-Za-z0-9_]*)
  | (?P<op>\^\^|<=|>=|!=|&&|\|\||[{{}}()\[\],;.*/|^!=<>+\-?])
    """,
    re.VERBOSE,
)
_OPEN, _CLOSE = "{([", "})]"
_ESCAPED_LOCAL = re.compile(r"\\(.)")
_UNICODE_ESCAPE = re.compile(_UCHAR)


class QueryRefused(Refusal):
    """The query may not run here."""


@dataclass(frozen=True)
class GuardLimits:
    """Bounds on what the engine is asked to parse; generous for any hand-written or generated query."""

    max_depth: int = 128
    max_unions: int = 2000
    max_tokens: int = 200_000
    max_double_check: int = 200_000  # characters the slower second reading accepts


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: str
    dataset_graphs: tuple[str, ...] = ()  # FROM and FROM NAMED, resolved
    has_dataset_clause: bool = False
    # SELECT *: the variables in order of first appearance, the column order users (and the W3C tests) expect
    star_variables: tuple[str, ...] | None = None
    prefixes: Mapping[str, str] = field(default_factory=dict)


def tokenize(sparql: str) -> list[Token]:
    """The query's tokens (no whitespace, no comments); 400 at the first character no terminal accepts."""
    return [token for token in _scan(sparql) if token.kind not in ("ws", "comment")]


def _scan(sparql: str) -> Iterator[Token]:
    position = 0
    while position < len(sparql):
        match = _TOKEN.match(sparql, position)
        if match is None or match.end() == position:
            raise QueryRefused(
                400, syntax_error(sparql, position, f"unexpected {sparql[position]!r}" + _hint(sparql, position))
            )
        yield Token(match.lastgroup or "op", match.group(), position)
        position = match.end()


def _hint(sparql: str, position: int) -> str:
    if sparql[position] in "\"'":
        return " (a string that is not closed on its line; use ''' or \"\"\" for text over several lines)"
    if sparql[position] == "\\":
        return " (\\u escapes are allowed only inside strings and IRIs)"
    return ""


def where(sparql: str, position: int) -> str:
    """'at line L, column C' for a character offset, as people count them (from 1); never past the end."""
    line, column, _ = _locate(sparql, position)
    return f"at line {line}, column {column}"


def syntax_error(sparql: str, position: int, problem: str) -> str:
    """What a parse error says: one sentence naming the line and column, then that line of the query with a
    caret under the spot. A position at or past the end (a query that stops too early, as parsers report it)
    is shown on the query's last character, never past it."""
    if not sparql.strip():
        return f"the query does not parse: it is empty ({problem})"
    line, column, text = _locate(sparql, position)
    ended = position >= len(sparql.rstrip())
    spot = f"at line {line}, column {column}" + (", where the query ends" if ended else "")
    caret = "".join(c if c == "\t" else " " for c in text[: column - 1]) + "^"
    return f"the query does not parse {spot}: {problem}\n{text}\n{caret}"


def _locate(sparql: str, position: int) -> tuple[int, int, str]:
    """Line and column (from 1) of a character offset, moved back onto the query's last visible character when it
    points past it; and the text of that line."""
    visible = sparql.rstrip()
    position = max(0, min(position, len(visible) - 1))
    start = sparql.rfind("\n", 0, position) + 1
    end = sparql.find("\n", position)
    text = sparql[start : len(sparql) if end == -1 else end].rstrip("\r")
    return sparql.count("\n", 0, position) + 1, position - start + 1, text


# Clients repeat the same queries (an application's few, the example queries); reading one costs ~0.2-0.5 ms.
# Only short texts are kept, so the cache stays under ~8 MB whatever is sent; refusals are never kept.
_CACHED_LENGTH = 16_384
_CACHE_SIZE = 512


def check_query(
    sparql: str,
    *,
    base_iri: str | None = None,
    default_prefixes: Mapping[str, str] | None = None,
    limits: GuardLimits = GuardLimits(),
) -> CheckedQuery:
    """Refuse (QueryRefused) what must not run; describe what may. Answers for recent texts are remembered."""
    prefixes = tuple(sorted(default_prefixes.items())) if default_prefixes else ()
    if len(sparql) > _CACHED_LENGTH:
        return _check(sparql, base_iri, prefixes, limits)
    return _cached_check(sparql, base_iri, prefixes, limits)


def _check(
    sparql: str, base_iri: str | None, default_prefixes: tuple[tuple[str, str], ...], limits: GuardLimits
) -> CheckedQuery:
    folded = _folded(sparql)
    if any(namespace in folded for namespace in VIRTUOSO_NAMESPACES):
        raise QueryRefused(400, "Virtuoso's SQL functions (bif:, sql:) are not SPARQL and are not allowed here")
    tokens = tokenize(sparql)
    if len(tokens) > limits.max_tokens:
        raise QueryRefused(400, f"the query is longer than {limits.max_tokens} tokens, the limit on this server")
    _check_shape(sparql, tokens, limits)
    prefixes, base, body_start = _prologue(sparql, tokens, dict(default_prefixes), base_iri)
    form = _form(sparql, tokens, body_start)
    for token in tokens[body_start:]:
        word = token.text.upper() if token.kind == "word" else ""
        if word == "SERVICE":
            raise _service_refusal()
        if word in UPDATE_WORDS:
            raise QueryRefused(403, f"SPARQL Update ({word}) is not allowed: this endpoint is read-only")
        if token.kind == "pname":
            _expand(sparql, token, prefixes)
    if "service" in folded:
        _double_check(sparql, limits)
    graphs = _dataset_graphs(sparql, tokens, prefixes, base)
    star = _star_variables(tokens, body_start) if form == "SELECT" else None
    return CheckedQuery(sparql, form, tuple(graphs), bool(graphs), star, MappingProxyType(prefixes))


_cached_check = lru_cache(maxsize=_CACHE_SIZE)(_check)


def _folded(sparql: str) -> str:
    """The text as any engine might read its keywords: \\u escapes decoded, compatibility forms and case folded."""
    decoded = _UNICODE_ESCAPE.sub(lambda m: _codepoint(m.group()), sparql)
    return unicodedata.normalize("NFKC", decoded).casefold()


def _codepoint(escape: str) -> str:
    value = int(escape[2:], 16)
    return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "\ufffd"


def _service_refusal() -> QueryRefused:
    return QueryRefused(
        403, "SERVICE (federated query) is not allowed: this server never makes requests to other servers"
    )


def _check_shape(sparql: str, tokens: list[Token], limits: GuardLimits) -> None:
    depth = unions = 0
    for token in tokens:
        if token.kind == "op" and token.text in _OPEN:
            depth += 1
            if depth > limits.max_depth:
                raise QueryRefused(
                    400,
                    f"the query nests groups deeper than {limits.max_depth} levels {where(sparql, token.start)}, "
                    "the limit on this server",
                )
        elif token.kind == "op" and token.text in _CLOSE:
            depth -= 1
        elif token.kind == "word" and token.text.upper() == "UNION":
            unions += 1
            if unions > limits.max_unions:
                raise QueryRefused(
                    400, f"the query has more than {limits.max_unions} UNIONs, the limit on this server: use VALUES"
                )


def _prologue(
    sparql: str, tokens: list[Token], prefixes: dict[str, str], base: str | None
) -> tuple[dict[str, str], str | None, int]:
    """Read BASE and PREFIX declarations; return the prefixes, the base and where the query proper starts."""
    i = 0
    while i < len(tokens) and tokens[i].kind == "word" and tokens[i].text.upper() in ("BASE", "PREFIX"):
        keyword = tokens[i].text.upper()
        if keyword == "BASE":
            if i + 1 >= len(tokens) or tokens[i + 1].kind != "iri":
                raise _syntax(sparql, tokens, i + 1, "an IRI in <> after BASE")
            base = _resolve(_iri_text(tokens[i + 1].text), base)
            i += 2
        else:
            if i + 2 >= len(tokens) or tokens[i + 1].kind != "pname" or not tokens[i + 1].text.endswith(":"):
                raise _syntax(sparql, tokens, i + 1, "a prefix name ending in ':' after PREFIX")
            if tokens[i + 2].kind != "iri":
                raise _syntax(sparql, tokens, i + 2, f"an IRI in <> for the prefix {tokens[i + 1].text}")
            prefixes[tokens[i + 1].text[:-1]] = _resolve(_iri_text(tokens[i + 2].text), base)
            i += 3
    return prefixes, base, i


def _form(sparql: str, tokens: list[Token], start: int) -> str:
    first = tokens[start] if start < len(tokens) else None
    word = first.text.upper() if first is not None and first.kind == "word" else ""
    if word in QUERY_FORMS:
        return word
    if word in UPDATE_WORDS:
        raise QueryRefused(
            403, f"SPARQL Update ({word}) is not allowed: this endpoint is read-only and serves queries only"
        )
    if word == "DEFINE":
        raise QueryRefused(400, "DEFINE pragmas are not SPARQL 1.1 (they are a Virtuoso extension) and are not allowed")
    if first is None:
        raise QueryRefused(400, "this is not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    raise _syntax(sparql, tokens, start, "SELECT, ASK, CONSTRUCT or DESCRIBE")


def _syntax(sparql: str, tokens: list[Token], index: int, expected: str) -> QueryRefused:
    if index >= len(tokens):
        return QueryRefused(400, syntax_error(sparql, len(sparql), f"{expected} was expected"))
    token = tokens[index]
    return QueryRefused(400, syntax_error(sparql, token.start, f"expected {expected}, found {token.text!r}"))


def _expand(sparql: str, token: Token, prefixes: Mapping[str, str]) -> str:
    prefix, _, local = token.text.partition(":")
    if prefix not in prefixes:
        raise QueryRefused(
            400,
            syntax_error(
                sparql, token.start, f"the prefix {prefix}: is not declared; add PREFIX {prefix}: <…> at the top"
            ),
        )
    return prefixes[prefix] + _ESCAPED_LOCAL.sub(r"\1", local)


def _iri_text(iriref: str) -> str:
    return _UNICODE_ESCAPE.sub(lambda m: _codepoint(m.group()), iriref[1:-1])


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri) else iri


def _dataset_graphs(sparql: str, tokens: list[Token], prefixes: Mapping[str, str], base: str | None) -> list[str]:
    graphs: list[str] = []
    for i, token in enumerate(tokens):
        if token.kind != "word" or token.text.upper() != "FROM":
            continue
        j = i + 2 if i + 1 < len(tokens) and tokens[i + 1].text.upper() == "NAMED" else i + 1
        if j >= len(tokens) or tokens[j].kind not in ("iri", "pname"):
            raise _syntax(sparql, tokens, j, "a graph IRI after FROM")
        named = tokens[j]
        graphs.append(
            _resolve(_iri_text(named.text), base) if named.kind == "iri" else _expand(sparql, named, prefixes)
        )
    return graphs


def _star_variables(tokens: list[Token], start: int) -> tuple[str, ...] | None:
    following = [token.text for token in tokens[start + 1 : start + 3]]
    if not following or ("*" not in following[:1] and following[1:2] != ["*"]):
        return None
    if following[0] != "*" and following[0].upper() not in ("DISTINCT", "REDUCED"):
        return None
    return tuple(dict.fromkeys(token.text[1:] for token in tokens if token.kind == "var"))


def _double_check(sparql: str, limits: GuardLimits) -> None:
    """The text mentions SERVICE where the lexer saw no keyword: a full parser must agree there is no SERVICE."""
    if len(sparql) > limits.max_double_check:
        raise QueryRefused(
            400, "the query mentions SERVICE and is too long for this server to check that it makes no request"
        )
    from rdflib.plugins.sparql.parser import parseQuery  # imported on first use: ~0.3 s, rarely needed

    try:
        parsed = parseQuery(sparql)
    except Exception:  # any failure to read it is a refusal: fail closed
        raise QueryRefused(
            400,
            "the query mentions SERVICE in a way this server cannot read for certain; "
            "it is refused rather than risk a request to another server",
        ) from None
    if _has_service(parsed):
        raise _service_refusal()


def _has_service(parsed: object) -> bool:
    """Walk rdflib's parse tree (lists of dict-like CompValues) for a SERVICE clause."""
    pending = [parsed]
    while pending:
        node = pending.pop()
        if getattr(node, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(node, dict):
            pending.extend(node.values())
        elif not isinstance(node, str | bytes) and hasattr(node, "__iter__"):
            pending.extend(node)
    return False


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, for a query that has passed :func:`check_query`."""
    tokens = tokenize(sparql)
    return _form(sparql, tokens, _prologue(sparql, tokens, {}, None)[2])


def check_graphs(requested: tuple[str, ...] | list[str], held: set[str], origin: str) -> None:
    """Graphs a query names must be graphs the dataset holds: nothing is ever fetched."""
    unknown = [g for g in requested if g not in held]
    if unknown:
        raise QueryRefused(
            400,
            f"{origin} names a graph this dataset does not hold: <{unknown[0]}>. Graphs are never fetched from "
            "elsewhere; the service description at /sparql lists the graphs held.",
        )
