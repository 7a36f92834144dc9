"""Render a validation report for people (text) and for CI (json, junit, github)."""

from __future__ import annotations

import json
from itertools import groupby
from xml.etree import ElementTree as ET

from casec.curation.validate import Report

FORMATS = ("text", "json", "junit", "github")


def render(report: Report, fmt: str) -> str:
    return {"text": _text, "json": _json, "junit": _junit, "github": _github}[fmt](report)


def _summary(report: Report) -> str:
    quotes = f", {report.quotes_checked} quotes checked" if report.quotes_checked is not None else ""
    if any(f.rule == "syntax" for f in report.findings):
        broken = len({f.file for f in report.findings})
        return f"{report.files} files, {broken} of them do not parse: fix them first, the other checks run then"
    verdict = "valid" if report.valid else f"{len(report.findings)} problem(s)"
    return f"{report.files} files, {report.triples} triples{quotes}: {verdict}"


def _text(report: Report) -> str:
    lines: list[str] = []
    for file, in_file in groupby(report.findings, key=lambda f: f.file):
        lines.append(file)
        for focus, group in groupby(in_file, key=lambda f: f.focus):
            about = list(group)
            where = f":{about[0].line}" if about[0].line else ""
            lines.append(f"  {focus or '(file)'}{where}")
            for finding in about:
                column = f" (line {finding.line}, column {finding.column})" if finding.column else ""
                value = f" [value: {finding.value}]" if finding.value and finding.value not in finding.message else ""
                lines.append(f"    - {finding.message}{value}{column}  ({finding.rule})")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _json(report: Report) -> str:
    return (
        json.dumps(
            {
                "valid": report.valid,
                "files": report.files,
                "triples": report.triples,
                "quotes_checked": report.quotes_checked,
                "findings": [f.as_dict() for f in report.findings],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def _junit(report: Report) -> str:
    suite = ET.Element(
        "testsuite", name="casec validate", tests=str(max(len(report.findings), 1)), failures=str(len(report.findings))
    )
    if report.valid:
        ET.SubElement(suite, "testcase", classname="casec", name="data is valid")
    for finding in report.findings:
        case = ET.SubElement(suite, "testcase", classname=finding.file, name=f"{finding.focus} {finding.rule}")
        failure = ET.SubElement(case, "failure", message=finding.message)
        failure.text = f"{finding.file}:{finding.line or 0}: {finding.message}"
    return ET.tostring(suite, encoding="unicode") + "\n"


def _github(report: Report) -> str:
    lines = []
    for f in report.findings:
        line = f",line={f.line}" if f.line else ""
        column = f",col={f.column}" if f.column else ""
        message = f"{f.focus}: {f.message}".replace("%", "%25").replace("\n", "%0A")
        lines.append(f"::error file={f.file}{line}{column},title=casec {f.rule}::{message}")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"
