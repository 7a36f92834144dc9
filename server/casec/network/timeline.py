"""Memberships over time, grouped by organization: for each organization, one row per member with its status
stretches (the time model's periods: a role, years, a basis — stated, inferred or open — and whether the
sources disagree), and, behind each row, every membership statement of each source with its quotes.

The organizations come in the order of how much the sources discuss them; the core ones
(:func:`casec.facts.prominence.core`) are unfolded. A statement's own window is ``casec:fromYear``–
``casec:toYear``; its kind says how much of it the text states: ``stated`` (start and end, or a point in time),
``open`` (a start only: the end is the source's year), ``end-only`` or ``as-of`` (no time: the source's year).
Opinions and projections are left out, as in the network.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from casec.facts.prominence import core
from casec.facts.status_periods import Periods, StatusPeriod
from casec.facts.wording import years
from casec.network.model import NetworkModel, Statement, _window

ROLE_ORDER = ["founding member", "member", "suspended member", "observer", "dialogue partner", "partner", "applicant"]
MEMBER_TYPES = ("state", "organization")


@dataclass
class Bar:
    """One membership statement: what one source says, with its quotes."""

    statement: str
    role: str
    group: str
    first: int | None
    last: int | None
    kind: str  # stated, open (start only), end-only, as-of
    source: str
    source_label: str
    modality: str
    quotes: list[tuple[int | None, str]]  # (line, quote)
    end_type: str | None

    @property
    def years(self) -> str:
        if self.first is None or self.last is None:
            return ""
        return years(self.first, self.last)

    @property
    def how(self) -> str:
        if self.kind == "as-of" and self.first is None:  # an end without a date: no "as of" either
            return "no time stated"
        return {
            "stated": "",
            "open": "start stated; the end is the source's year",
            "end-only": "end stated; start not given",
            "as-of": "no time stated: as of the source's year",
        }[self.kind]


@dataclass
class Stretch:
    """A status period as drawn: a role, years, a basis; ``left`` and ``width`` in percent of the axis."""

    role: str
    group: str
    first: int
    last: int
    basis: str
    disputed: bool
    statements: tuple[str, ...]
    left: float = 0.0
    width: float = 0.0

    @property
    def years(self) -> str:
        return years(self.first, self.last)


@dataclass
class MemberRow:
    member: str
    label: str
    url: str
    stretches: list[Stretch] = field(default_factory=list)
    bars: dict[str, list[Bar]] = field(default_factory=dict)  # source label → its statements

    @property
    def disputed(self) -> bool:
        return any(s.disputed for s in self.stretches)

    @property
    def summary(self) -> str:
        """The stretches in words ("member 1994–1998 (stated); suspended member 1999–2005 (stated, disputed)")."""
        return "; ".join(f"{s.role} {s.years} ({s.basis}{', disputed' if s.disputed else ''})" for s in self.stretches)


@dataclass
class OrgSection:
    organization: str
    label: str
    url: str
    core: bool
    rows: list[MemberRow] = field(default_factory=list)


@dataclass
class Tick:
    year: int
    left: float


@dataclass
class Timeline:
    first_year: int
    last_year: int
    organizations: list[OrgSection]
    roles: list[str]
    ticks: list[Tick]

    @property
    def rows(self) -> int:
        return sum(len(section.rows) for section in self.organizations)


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


def _bar(model: NetworkModel, statement: Statement) -> Bar:
    first, last = _window(statement)
    return Bar(
        statement=statement.iri,
        role=model.label(statement.role or ""),
        group=_group(model, statement.role),
        first=first,
        last=last,
        kind=_kind(statement),
        source=statement.source or "",
        source_label=model.sources.get(statement.source or "", (statement.source or "", None))[0],
        modality=model.label(statement.modality) if statement.modality else "stated as fact",
        quotes=sorted({(q.line, q.text) for q in statement.quotes}, key=lambda q: (q[0] or 0, q[1])),
        end_type=model.label(statement.end_type).lower() if statement.end_type else None,
    )


def build_timeline(
    model: NetworkModel,
    periods: Periods,
    prominence: dict[str, int],
    organizations: Iterable[str] = (),
    states: Iterable[str] = (),
) -> Timeline:
    only_orgs, only_states = set(organizations), set(states)

    def shown(member: str, organization: str) -> bool:
        member_node, org_node = model.nodes.get(member), model.nodes.get(organization)
        return (
            member_node is not None
            and org_node is not None
            and member_node.type in MEMBER_TYPES
            and org_node.type == "organization"
            and (not only_orgs or organization in only_orgs)
            and (not only_states or member in only_states)
        )

    stretches: dict[str, dict[str, list[StatusPeriod]]] = defaultdict(lambda: defaultdict(list))
    for period in periods.periods:
        if period.role in model.roles and shown(period.member, period.organization):
            stretches[period.organization][period.member].append(period)
    statements: dict[str, dict[str, list[Statement]]] = defaultdict(lambda: defaultdict(list))
    for statement in model.statements.values():
        if statement.kind != "membership" or not statement.asserted:
            continue
        if shown(statement.subject or "", statement.object or ""):
            statements[statement.object or ""][statement.subject or ""].append(statement)

    drawn = [y for by_member in stretches.values() for ps in by_member.values() for p in ps for y in (p.first, p.last)]
    latest = max((year for _, year in model.sources.values() if year), default=max(drawn, default=2000))
    first_year = min(drawn, default=latest)
    last_year = max(min(max(drawn, default=latest), latest), first_year)
    span = last_year - first_year + 1

    def place(period: StatusPeriod) -> Stretch | None:
        a, b = max(period.first, first_year), min(period.last, last_year)
        if a > b:
            return None
        group = _group(model, period.role)
        return Stretch(
            model.label(period.role).lower(),
            group,
            period.first,
            period.last,
            period.basis,
            period.disputed,
            period.statements,
            left=round(100 * (a - first_year) / span, 3),
            width=round(100 * (b - a + 1) / span, 3),
        )

    roles: set[str] = set()
    orgs = set(stretches) | set(statements)
    core_orgs = set(core(prominence, orgs))
    sections = []
    for organization in sorted(orgs, key=lambda o: (-prominence.get(o, 0), model.label(o))):
        node = model.nodes[organization]
        section = OrgSection(organization, node.label, node.url, organization in core_orgs or bool(only_orgs))
        members = set(stretches[organization]) | set(statements[organization])
        for member in members:
            member_node = model.nodes[member]
            row = MemberRow(member, member_node.label, member_node.url)
            for period in sorted(stretches[organization][member], key=lambda p: (p.first, p.last, p.role)):
                stretch = place(period)
                if stretch is not None:
                    row.stretches.append(stretch)
                    roles.add(stretch.group)
            by_source: dict[str, list[Bar]] = defaultdict(list)
            for statement in sorted(statements[organization][member], key=lambda s: (s.first or 0, s.iri)):
                bar = _bar(model, statement)
                by_source[bar.source_label].append(bar)
            row.bars = {label: by_source[label] for label in sorted(by_source)}
            section.rows.append(row)
        section.rows.sort(key=lambda r: (_rank(r), min((s.first for s in r.stretches), default=9999), r.label))
        sections.append(section)
    ticks = [Tick(y, round(100 * (y - first_year) / span, 3)) for y in range(first_year, last_year + 1) if y % 5 == 0]
    return Timeline(
        first_year=first_year,
        last_year=last_year,
        organizations=sections,
        roles=[r for r in ROLE_ORDER if r in roles],
        ticks=ticks,
    )


def _rank(row: MemberRow) -> int:
    """Members before observers and partners; rows with no stretch (only undated statements) last."""
    groups = [ROLE_ORDER.index(s.group) for s in row.stretches if s.group in ROLE_ORDER]
    return min(groups, default=len(ROLE_ORDER))
