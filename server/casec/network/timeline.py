"""Memberships over time: one row per state, a line per organization; in it, first the lane of the time model (a
stretch per period, coloured by role, its kind the basis of its years: stated, inferred, open), then a lane per
source with a bar per membership statement asserted as fact, from the same model as the network.

A statement's bar spans that statement's own window (``casec:fromYear``–``casec:toYear``). Its kind says how much
of the window the text states: ``stated`` (start and end, or a point in time), ``open`` (a start only: the end is
the source's year) or ``as-of`` (no time: the source's year). The periods combine every source (docs/time-model.md).
Disagreements are the membership conflicts of ``queries/conflicts.rq`` (``casec conflicts``): two statements ending
the same membership in the same year in different ways (withdrawal against suspension); a period is flagged
disputed where the time model finds two exclusive statuses in one year. :func:`membership_conflicts` finds the
conflicts in the model, as that query does (a test holds the two together), so the page needs no extra query on an
external store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from casec.network.model import Link, NetworkModel, Statement, _window

COMBINED = ""  # the lane of the time model: its source is every source
COMBINED_LABEL = "all sources (time model)"


@dataclass
class Bar:
    statement: str
    role: str
    group: str
    first: int
    last: int
    kind: str  # stated, open (start only), end-only, as-of
    source: str
    source_label: str
    modality: str
    quotes: list[str]
    lines: list[int]
    end_type: str | None
    disputed: bool = False
    period: bool = False  # a stretch of the time model (kind: its basis), not one statement
    sources_behind: list[str] = field(default_factory=list)  # a stretch's: the sources of its statements

    @property
    def title(self) -> str:
        years = str(self.first) if self.first == self.last else f"{self.first}–{self.last}"
        if self.period:
            flag = "\n⚠ disputed: another source places it otherwise in these years" if self.disputed else ""
            behind = "; ".join(self.sources_behind)
            return f"{self.role} {years}: {self.kind} ({_BASIS_NOTE[self.kind]}), {self.source_label}: {behind}{flag}"
        how = {
            "stated": "",
            "open": " (start stated; end is the source's year)",
            "end-only": " (end stated; start not given)",
            "as-of": " (as of the source)",
        }
        ended = f", ended by {self.end_type}" if self.end_type else ""
        claim = "" if self.modality == "stated as fact" else f" [{self.modality}]"
        quote = " / ".join(f"“{q}”" for q in self.quotes[:2])
        where = f", line {self.lines[0]}" if self.lines else ""
        flag = "\n⚠ another source says this ended differently" if self.disputed else ""
        return f"{self.role} {years}{how[self.kind]}{ended}{claim}\n{self.source_label}{where}: {quote}{flag}"


_BASIS_NOTE = {
    "stated": "a source dates it or reports it that year",
    "inferred": "between two stated years, no recorded change",
    "open": "after the last stated year, no end known",
}


@dataclass
class Lane:
    source: str
    source_label: str
    bars: list[Bar] = field(default_factory=list)


@dataclass
class OrgRow:
    organization: str
    label: str
    url: str
    lanes: list[Lane] = field(default_factory=list)
    undated: list[Bar] = field(default_factory=list)
    periods: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @property
    def disputed(self) -> bool:
        return any(bar.disputed for lane in self.lanes for bar in lane.bars) or any(b.disputed for b in self.undated)

    @property
    def periods_text(self) -> str:
        return "; ".join(
            f"{group} " + ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
            for group, spans in self.periods.items()
        )


@dataclass
class StateRow:
    state: str
    label: str
    url: str
    organizations: list[OrgRow] = field(default_factory=list)


@dataclass
class Disagreement:
    """Statements that end one membership in the same year in different ways, grouped by how."""

    state: str
    organization: str
    state_label: str
    organization_label: str
    year: int | None
    sides: dict[str, list[Bar]]


@dataclass
class Timeline:
    first_year: int
    last_year: int
    states: list[StateRow]
    disagreements: list[Disagreement]
    roles: list[str]


def _group(model: NetworkModel, role: str | None) -> str:
    """The status a statement's role is held as (the ontology's: a founding member is a member)."""
    found = model.roles.get(role or "")
    return model.roles[found.status].label if found is not None and found.status in model.roles else "member"


def _kind(statement: Statement) -> str:
    if not statement.dated:
        return "as-of"
    if statement.at_year is not None or (statement.start_year is not None and statement.end_year is not None):
        return "stated"
    return "open" if statement.start_year is not None else "end-only"


def _bar(model: NetworkModel, statement: Statement, disputed: set[str]) -> Bar:
    first, last = _window(statement)
    return Bar(
        statement=statement.iri,
        role=model.label(statement.role or ""),
        group=_group(model, statement.role),
        first=first or 0,
        last=last or 0,
        kind=_kind(statement),
        source=statement.source or "",
        source_label=model.sources.get(statement.source or "", (statement.source or "", None))[0],
        modality=model.label(statement.modality) if statement.modality else "stated as fact",
        quotes=[q.text for q in sorted(statement.quotes, key=lambda q: q.line or 0)],
        lines=sorted(q.line for q in statement.quotes if q.line),
        end_type=model.label(statement.end_type).lower() if statement.end_type else None,
        disputed=statement.iri in disputed,
    )


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _stretch(model: NetworkModel, link: Link) -> Bar:
    """A period of the time model as a bar of the combined lane."""
    statements = [model.statements[s] for s in link.statements if s in model.statements]
    quotes = [q for s in statements for q in sorted(s.quotes, key=lambda q: q.line or 0)]
    return Bar(
        statement=" ".join(link.statements),
        role=link.qualifier,
        group=link.qualifier,
        first=link.first or 0,
        last=link.last or 0,
        kind=link.basis,
        source=COMBINED,
        source_label=COMBINED_LABEL,
        modality="stated as fact",
        quotes=[q.text for q in quotes],
        lines=[],
        end_type=None,
        disputed=link.disputed,
        period=True,
        sources_behind=sorted({model.sources.get(s, (s, None))[0] for s in link.sources}),
    )


def membership_conflicts(model: NetworkModel) -> set[tuple[str, str]]:
    """Pairs of membership statements with the same member, organization and end year but another end type."""
    ended: dict[tuple[str, str, int], list[Statement]] = defaultdict(list)
    for statement in model.statements.values():
        if statement.kind == "membership" and statement.end_year is not None and statement.end_type:
            ended[(statement.subject or "", statement.object or "", statement.end_year)].append(statement)
    return {
        (a.iri, b.iri) if a.iri < b.iri else (b.iri, a.iri)
        for group in ended.values()
        for a in group
        for b in group
        if a.end_type != b.end_type
    }


def build_timeline(
    model: NetworkModel,
    organizations: Iterable[str] = (),
    states: Iterable[str] = (),
) -> Timeline:
    only_orgs, only_states = set(organizations), set(states)
    pairs = membership_conflicts(model)
    disputed = {s for pair in pairs for s in pair}

    def shown(member: str, org: str) -> bool:
        node = model.nodes.get(member)
        return (
            node is not None
            and node.type == "state"
            and org in model.nodes
            and not (only_orgs and org not in only_orgs)
            and not (only_states and member not in only_states)
        )

    grouped: dict[str, dict[str, list[Statement]]] = defaultdict(lambda: defaultdict(list))
    for statement in model.statements.values():
        if (
            statement.kind == "membership"
            and statement.asserted
            and shown(statement.subject or "", statement.object or "")
        ):
            grouped[statement.subject or ""][statement.object or ""].append(statement)
    stretches: dict[tuple[str, str], list[Link]] = defaultdict(list)
    for link in model.links:
        if link.relation == "membership" and shown(link.source, link.target):
            stretches[(link.source, link.target)].append(link)
            grouped[link.source].setdefault(link.target, [])

    order = [role.label for role in model.roles.values() if role.status == role.iri]
    bars: dict[str, Bar] = {}
    rows = []
    years: list[int] = []
    roles: set[str] = set()
    for member in sorted(grouped, key=lambda iri: model.nodes[iri].label):
        row = StateRow(member, model.nodes[member].label, model.nodes[member].url)
        for org in sorted(grouped[member], key=lambda iri: model.nodes[iri].label):
            line = OrgRow(org, model.nodes[org].label, model.nodes[org].url)
            lanes: dict[str, Lane] = {}
            held: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for link in sorted(stretches[(member, org)], key=lambda f: (order.index(f.qualifier), f.first or 0)):
                bar = _stretch(model, link)
                lanes.setdefault(COMBINED, Lane(COMBINED, COMBINED_LABEL)).bars.append(bar)
                roles.add(bar.group)
                years += [bar.first, bar.last]
                held[bar.group].append((bar.first, bar.last))
            for statement in sorted(grouped[member][org], key=lambda s: (s.source or "", s.first or 0, s.iri)):
                bar = _bar(model, statement, disputed)
                bars[statement.iri] = bar
                roles.add(bar.group)
                if statement.first is None and statement.last is None:
                    line.undated.append(bar)
                    continue
                years += [bar.first, bar.last]
                lanes.setdefault(bar.source, Lane(bar.source, bar.source_label)).bars.append(bar)
            line.lanes = [lanes[s] for s in sorted(lanes)]
            line.periods = {group: _merge(held[group]) for group in sorted(held, key=order.index)}
            row.organizations.append(line)
        rows.append(row)

    sides: dict[tuple[str, str, int | None], dict[str, dict[str, Bar]]] = defaultdict(lambda: defaultdict(dict))
    for pair in sorted(pairs):
        if not all(s in bars for s in pair):
            continue
        for iri in pair:
            statement, bar = model.statements[iri], bars[iri]
            key = (statement.subject or "", statement.object or "", statement.end_year)
            sides[key][bar.end_type or bar.group][iri] = bar
    disagreements = [
        Disagreement(
            member,
            org,
            model.label(member),
            model.label(org),
            year,
            {how: [found[i] for i in sorted(found)] for how, found in sorted(by_how.items())},
        )
        for (member, org, year), by_how in sorted(sides.items(), key=lambda item: (str(item[0][:2]), item[0][2] or 0))
    ]
    latest = max((year for _, year in model.sources.values() if year), default=max(years, default=2000))
    first = min(years, default=latest)
    return Timeline(
        first_year=first,
        last_year=max(min(max(years, default=latest), latest), first),
        states=rows,
        disagreements=disagreements,
        roles=[r for r in order if r in roles],
    )
