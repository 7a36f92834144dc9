"""``/query``: the SPARQL editor (YASGUI) with casec's example queries, and ``/labels``, the names it shows
for the IRIs in a result.

The editor's text declares every casec prefix, folded out of view, so a query may use ``state:`` or ``orgn:``
without typing a PREFIX line, and the query sent is still complete. An example keeps its opening comment
lines as its title. ``/query?example=NAME`` opens an example and runs it; ``/query?question=members-in-year
&organization=sco&year=2015`` opens and runs one of the questions the home page asks with its parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from casec.bundle import Bundle
from casec.vocab import ID, LOCAL_PATHS, MINTED, PREFIXES
from casec.web.errors import ProtocolError
from casec.web.read_cache import labels
from casec.web.representations import answer_store_failures
from casec.web.services import services

blueprint = Blueprint("editor", __name__)
answer_store_failures(blueprint)

MOST_LABELS = 5000  # IRIs in one /labels request
_DECLARED = re.compile(r"^\s*PREFIX\s+([\w.-]*):", re.IGNORECASE | re.MULTILINE)
_SECTION = re.compile(r"^##\s+(.+)$")
_LISTED = re.compile(r"^\|\s*`([\w-]+)\.rq`")


@dataclass(frozen=True)
class Example:
    name: str
    question: str  # the first comment line
    section: str  # the heading it is listed under in queries/README.md
    text: str  # as the editor shows it: comments first, then every casec prefix, then the query


def editor_text(query: str) -> str:
    """``query`` with its opening comment lines first, then a PREFIX line for each casec prefix it does not
    declare itself (the editor folds PREFIX lines), then the rest as written."""
    lines = query.splitlines()
    head = 0
    while head < len(lines) and lines[head].lstrip().startswith("#"):
        head += 1
    declared = set(_DECLARED.findall(query))
    missing = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name not in declared]
    return "\n".join([*lines[:head], *missing, *lines[head:]]) + "\n"


def examples(bundle: Bundle) -> list[Example]:
    """The bundled ``queries/*.rq``, in the order and sections of ``queries/README.md`` (others last)."""
    sections = _readme_sections(bundle.queries / "README.md")
    found = []
    for path in bundle.queries.glob("*.rq"):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        question = first.lstrip("# ").strip() if first.startswith("#") else path.stem
        section, order = sections.get(path.stem, ("Other questions", len(sections)))
        found.append((order, Example(path.stem, question, section, editor_text(text))))
    return [example for _, example in sorted(found, key=lambda item: (item[0], item[1].name))]


def _readme_sections(readme: Path) -> dict[str, tuple[str, int]]:
    if not readme.is_file():
        return {}
    sections: dict[str, tuple[str, int]] = {}
    heading = ""
    for line in readme.read_text(encoding="utf-8").splitlines():
        if match := _SECTION.match(line):
            heading = match.group(1).strip()
        elif (match := _LISTED.match(line)) and heading:
            sections.setdefault(match.group(1), (heading, len(sections)))
    return sections


MEMBERS_IN_YEAR = (
    "# Which states were members of {label} in {year}, on what basis, and which sources say so, in which words?\n"
    """# The periods of the time model: the basis says how the year is known (stated, inferred, open); the quotes are
# those of the statements behind the period.
SELECT ?state ?basis ?source ?line ?quote WHERE {{
  VALUES (?organization ?year) {{ (<{organization}> {year}) }}
  ?period a casec:StatusPeriod ; org:organization ?organization ; org:member ?state ; org:role casec:Member ;
          casec:fromYear ?from ; casec:toYear ?to ; casec:basis/rdfs:label ?basis ; casec:derivedFrom ?statement .
  FILTER (?from <= ?year && ?year <= ?to)
  ?state a casec:State .
  ?statement casec:evidence ?evidence .
  ?evidence oa:hasSource ?source ; casec:line ?line ; oa:hasSelector/oa:exact ?quote .
}}
ORDER BY ?state ?source ?line
"""
)


def members_in_year(organization: str, label: str, year: int) -> str:
    """The query behind the home page's "members of an organization in a year"."""
    return editor_text(MEMBERS_IN_YEAR.format(organization=organization, label=label, year=year))


def _question() -> tuple[str, str] | None:
    """The (title, query text) asked for by ``?question=…``, or None."""
    name = request.args.get("question")
    if not name:
        return None
    if name != "members-in-year":
        raise ProtocolError(404, f"no question {name!r}; the editor answers question=members-in-year")
    slug = request.args.get("organization", "")
    organization = ID + "org/" + slug
    if not re.fullmatch(r"[a-z0-9-]+", slug) or organization not in labels():
        raise ProtocolError(400, f"organization must name an organization, such as sco or csto, not {slug!r}")
    try:
        year = int(request.args.get("year", ""))
    except ValueError:
        raise ProtocolError(400, "year must be a year, such as 2015") from None
    if not 1000 <= year <= 2999:
        raise ProtocolError(400, "year must be a year, such as 2015")
    label = labels()[organization]
    return f"Members of the {label} in {year}", members_in_year(organization, label, year)


@blueprint.route("/query")
def editor() -> str:
    app = services()
    listed = examples(app.bundle)
    by_name = {example.name: example for example in listed}
    start: dict[str, object] = {}
    if (asked := _question()) is not None:
        start = {"title": asked[0], "query": asked[1], "run": True}
    elif name := request.args.get("example"):
        if name not in by_name:
            raise ProtocolError(404, f"no example query {name!r}")
        start = {"title": by_name[name].question, "query": by_name[name].text, "run": True, "example": name}
    default_query = editor_text(
        "# Which international organizations does the graph know?\n"
        "SELECT ?organization ?name WHERE {\n  ?organization a casec:InternationalOrganization ; rdfs:label ?name .\n"
        "}\nORDER BY ?name\n"
    )
    endpoint = url_for("sparql.endpoint", _external=True)
    config = {
        "endpoint": endpoint,
        "labels": url_for("editor.label_lookup"),
        "defaultQuery": default_query,
        "examples": {e.name: {"title": e.question, "query": e.text} for e in listed},
        "start": start,
        "local": LOCAL_PATHS,
        "namespace": MINTED,
    }
    sections: dict[str, list[Example]] = {}
    for example in listed:
        sections.setdefault(example.section, []).append(example)
    return render_template(
        "editor.html", endpoint=endpoint, sections=sections, config=config, default_query=default_query, start=start
    )


@blueprint.route("/labels", methods=["GET", "POST"])
def label_lookup() -> Response:
    """``{"IRI": "label", …}`` for the IRIs given as ``iri`` parameters (query string or form), those that have
    an English or untagged label; one request for a whole result table."""
    wanted = request.args.getlist("iri") + request.form.getlist("iri")
    if len(wanted) > MOST_LABELS:
        raise ProtocolError(400, f"at most {MOST_LABELS} IRIs per request, got {len(wanted)}")
    known = labels()
    return jsonify({iri: known[iri] for iri in dict.fromkeys(wanted) if iri in known})
