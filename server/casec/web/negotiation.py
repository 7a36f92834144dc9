"""Content negotiation by the Accept header (RFC 9110 §12.5.1), q-values honoured.

Each offered type gets the quality of the most specific range in the header that matches it
(``text/turtle`` beats ``text/*`` beats ``*/*``), so ``text/html;q=0, */*`` never yields HTML,
which a first-match rule would get wrong. Among equal qualities the server's order decides.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    type: str
    subtype: str
    quality: float

    def specificity(self, media_type: str) -> int:
        """-1 when the range does not cover ``media_type``; else 0 (``*/*``), 1 (``type/*``) or 2 (exact)."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != kind:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[Range]:
    ranges = []
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        kind, _, sub = media.partition("/")
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(1.0, max(0.0, float(value.strip())))
                except ValueError:
                    quality = 0.0
        ranges.append(Range(kind, sub, quality))
    return ranges


def quality(ranges: list[Range], media_type: str) -> float:
    best_specificity, best_quality = -1, 0.0
    for candidate in ranges:
        specificity = candidate.specificity(media_type)
        if specificity > best_specificity or (specificity == best_specificity and candidate.quality > best_quality):
            best_specificity, best_quality = specificity, candidate.quality
    return best_quality if best_specificity >= 0 else 0.0


def negotiate(header: str | None, offered: list[str]) -> str | None:
    """The offered media type the client prefers; the first offered when there is no Accept header;
    None when the client accepts none of them."""
    if not header or not header.strip():
        return offered[0]
    ranges = parse_accept(header)
    if not ranges:
        return offered[0]
    best, best_quality = None, 0.0
    for media_type in offered:
        q = quality(ranges, media_type)
        if q > best_quality:
            best, best_quality = media_type, q
    return best
