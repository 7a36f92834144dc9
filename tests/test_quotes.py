"""Quotes are found in PDF-extracted text despite its artefacts, and only there."""

from __future__ import annotations

import pytest

from casec.curation.quotes import SourceText

TEXT = SourceText(
    "Intro line.\n"
    "The Collective Rapid Reaction Forces were cre-\n"
    "ated in 2009 to \ufffdght tra\ufffdcking.<sup>12</sup> **Bold** claim\u00b3 here.\n"
    "\ufffd e SCO\u2019s anti-\n"
    "terrorist structure sits in Tashkent.\n"
)


@pytest.mark.parametrize(
    ("quote", "lines"),
    [
        ("The Collective Rapid Reaction Forces were created in 2009", (2, 3)),
        ("created in 2009 to fight trafficking.", (2, 3)),
        ("trafficking. Bold claim here.", (3, 3)),
        ("The SCO's anti-terrorist structure sits in Tashkent.", (4, 5)),
        ("the sco's anti-", (4, 4)),
    ],
)
def test_quote_is_found_on_its_lines(quote: str, lines: tuple[int, int]) -> None:
    match = TEXT.find(quote)
    assert match is not None
    assert (match.first_line, match.last_line) == lines


@pytest.mark.parametrize(
    "quote",
    ["were created in 2010", "The SCO's antiterrorist unit", "", "Forces were cre ated"],
)
def test_text_the_source_does_not_contain_is_not_found(quote: str) -> None:
    assert TEXT.find(quote) is None
