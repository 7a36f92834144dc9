"""How casec writes a time in words, the one rule the pages, the citations and the network views share:
``2006–2012``, ``2006`` (one year), ``from 2006``, ``until 2012``."""

from __future__ import annotations


def years(first: int | str, last: int | str) -> str:
    """A run of years: ``2006–2012``, or ``2006`` when it is one year."""
    return str(first) if first == last else f"{first}–{last}"


def time_span(start: str, end: str) -> str:
    """A statement's start and end as stated (years or dates): ``2006–2012``, ``from 2006``, ``until 2012``; ""
    for neither."""
    if start and end:
        return f"{start}–{end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    return ""
