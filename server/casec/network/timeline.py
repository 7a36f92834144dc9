"""Memberships over time: one row per state, a line per organization, a lane per source, a bar per
membership statement (coloured by role), from the same model as the network.

A bar spans the statement's window (``casec:fromYear``–``casec:toYear``). Its kind says how much of the
window the text states: ``stated`` (start and end, or a point in time), ``open`` (a start only: the end is
the source's year) or ``as-of`` (no time: the source's year). Opinions and projections are left out, as in the
network. Disagreements are the membership conflicts of ``queries/conflicts.rq`` (``casec conflicts``): two
statements ending the same membership in the same year in different ways (withdrawal against suspension).
:func:`membership_conflicts` finds them in the model, as that query does (a test holds the two together), so the
page needs no extra query on an external store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from casec.network.model import NOT_EDGES, ROLE_GROUPS, NetworkModel, Statement, _window
from casec.vocab import CASEC

ROLE_ORDER = ["founding member", "member", "suspended member", "observer", "dialogue partner", "partner", "applicant"]


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

    @property
    def title(self) -> str:
        years = str(self.first) if self.first == self.last else f"{self.first}–{self.last}"
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


def _group(role: str | None) -> str:
    if role == CASEC + "FoundingMember":
        return "founding member"
    return ROLE_GROUPS.get(role or "", "member")


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
        group=_group(statement.role),
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
    grouped: dict[str, dict[str, list[Statement]]] = defaultdict(lambda: defaultdict(list))
    for statement in model.statements.values():
        if statement.kind != "membership" or statement.modality in NOT_EDGES:
            continue
        member, org = statement.subject or "", statement.object or ""
        if model.nodes.get(member) is None or model.nodes[member].type != "state" or org not in model.nodes:
            continue
        if (only_orgs and org not in only_orgs) or (only_states and member not in only_states):
            continue
        grouped[member][org].append(statement)

    bars: dict[str, Bar] = {}
    rows = []
    years: list[int] = []
    roles: set[str] = set()
    for member in sorted(grouped, key=lambda iri: model.nodes[iri].label):
        row = StateRow(member, model.nodes[member].label, model.nodes[member].url)
        for org in sorted(grouped[member], key=lambda iri: model.nodes[iri].label):
            line = OrgRow(org, model.nodes[org].label, model.nodes[org].url)
            lanes: dict[str, Lane] = {}
            stated: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for statement in sorted(grouped[member][org], key=lambda s: (s.source or "", s.first or 0, s.iri)):
                bar = _bar(model, statement, disputed)
                bars[statement.iri] = bar
                roles.add(bar.group)
                if statement.first is None and statement.last is None:
                    line.undated.append(bar)
                    continue
                years += [bar.first, bar.last]
                lane = lanes.setdefault(bar.source, Lane(bar.source, bar.source_label))
                lane.bars.append(bar)
                if bar.kind == "stated":
                    stated[bar.group].append((bar.first, bar.last))
            line.lanes = [lanes[s] for s in sorted(lanes)]
            line.periods = {group: _merge(stated[group]) for group in sorted(stated, key=lambda g: ROLE_ORDER.index(g))}
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
        roles=[r for r in ROLE_ORDER if r in roles],
    )
