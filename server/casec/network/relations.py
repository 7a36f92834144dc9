"""The kinds of node and of link the network draws, and which of them a view shows by default."""

from __future__ import annotations

from dataclasses import dataclass

from casec.vocab import CASEC

# The classes whose instances are nodes, and the node type each gives.
NODE_CLASSES = {
    CASEC + "State": "state",
    CASEC + "InternationalOrganization": "organization",
    CASEC + "NonStateGroup": "group",
    CASEC + "Body": "body",
    CASEC + "Person": "person",
    CASEC + "Event": "event",
}
NODE_TYPES = tuple(NODE_CLASSES.values())
ACTORS = frozenset({"state", "organization", "group", "body"})


@dataclass(frozen=True)
class Relation:
    name: str
    label: str
    directed: bool
    default: bool
    description: str
    sources: frozenset[str] = ACTORS
    targets: frozenset[str] = ACTORS


RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in (
        Relation(
            "membership",
            "member of",
            True,
            True,
            "a membership (org:Membership) of a state or organization in an organization; the role is on the edge",
            targets=frozenset({"organization", "group", "body"}),
        ),
        Relation(
            "body-of", "body of", True, True, "a body (council, secretariat, force) of an organization (org:unitOf)"
        ),
        Relation(
            "co-party",
            "party to the same agreement",
            False,
            True,
            "both are parties to the agreement named in 'via' (casec:party)",
        ),
        Relation(
            "co-participation",
            "took part in the same event",
            False,
            True,
            "both took part in the event named in 'via' (casec:participant)",
        ),
        Relation("borders", "borders", False, True, "the two share a border (casec:borders)"),
        Relation(
            "predecessor-of", "predecessor of", True, True, "transformed into or replaced by (casec:predecessorOf)"
        ),
        Relation("cooperates-with", "cooperates with", False, True, "said to cooperate (casec:cooperatesWith)"),
        Relation("rival-of", "rival of", False, True, "said to compete or be in tension (casec:rivalOf)"),
        Relation(
            "military-presence",
            "military presence in",
            True,
            True,
            "a base, troops or facility in the other (casec:militaryPresenceIn)",
        ),
        Relation(
            "leads",
            "holds a post in",
            True,
            False,
            "a person holds a post (the role) in an organization, body or state (casec:PostHolding); adds persons",
            sources=frozenset({"person"}),
        ),
        Relation(
            "participation",
            "took part in",
            True,
            False,
            "took part in an event (casec:participant); adds events as nodes",
            targets=frozenset({"event"}),
        ),
    )
}
DEFAULT_RELATIONS = frozenset(name for name, r in RELATIONS.items() if r.default)
