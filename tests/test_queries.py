"""The example queries in queries/ answer what the documents state."""

from __future__ import annotations

import re

import pytest

from casec.bundle import Bundle
from casec.store.embedded import EmbeddedStore

SIX_SCO_MEMBERS = {"China", "Russia", "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan"}


def run(store: EmbeddedStore, bundle: Bundle, name: str) -> list[dict[str, str]]:
    result = store.select((bundle.queries / f"{name}.rq").read_text(encoding="utf-8"))
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def test_every_query_states_its_question_and_runs(store: EmbeddedStore, bundle: Bundle) -> None:
    queries = sorted(bundle.queries.glob("*.rq"))
    assert len(queries) >= 6
    for path in queries:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and first.endswith("?"), path
        assert run(store, bundle, path.stem), f"{path.name} returns nothing"


def test_sco_members_in_2013(store: EmbeddedStore, bundle: Bundle) -> None:
    # 002 (2013) and 004 (2014) both name the six members the SCO had then: stated, with statements of both.
    rows = run(store, bundle, "members-in-year")
    assert {row["label"] for row in rows} == SIX_SCO_MEMBERS
    for row in rows:
        assert row["basis"] == "stated" and row["disputed"] == "false", row
        assert {"002", "004"} <= docs(row["statements"]), row


def test_members_in_a_year_for_every_year_from_1991_to_2024(store: EmbeddedStore, bundle: Bundle) -> None:
    # The SCO was founded by the six on 15 June 2001 (002 line 186, 004 lines 190-193); India and Pakistan became
    # members in 2017 (000 line 231); no text records any other change up to 2024.
    query = (bundle.queries / "members-in-year.rq").read_text(encoding="utf-8")
    for year in range(1991, 2025):
        result = store.select(query.replace("2013", str(year)))
        rows = [{v.value: row[v.value].value for v in result.variables} for row in result]
        expected = set() if year < 2001 else SIX_SCO_MEMBERS if year < 2017 else SIX_SCO_MEMBERS | {"India", "Pakistan"}
        assert {row["label"] for row in rows} == expected, year
        bases = {row["basis"] for row in rows}
        assert bases <= {"stated", "inferred", "open"}
        if year in (2001, 2013, 2014, 2017, 2020):  # the founding, and the years of sources that list the members
            assert "stated" in bases, year
        if year in (2015, 2016):  # between 004 (2014) and 001 (2017)
            assert bases == {"inferred"}, year


def test_members_of_both_organizations_in_2020(store: EmbeddedStore, bundle: Bundle) -> None:
    # 000, line 258: the common full members of the SCO and the CSTO. Uzbekistan, an SCO member, "is not" a CSTO
    # member "currently" (000 line 175): a negated statement, never a membership.
    rows = run(store, bundle, "members-of-both")
    assert {row["label"] for row in rows} == {"Russia", "Tajikistan", "Kazakhstan", "Kyrgyzstan"}
    assert all(row["scoBasis"] == row["cstoBasis"] == "stated" for row in rows)  # 000 is of 2020


def test_uzbekistan_csto_history_keeps_each_sources_words(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "uzbekistan-csto-history")
    sources = {row["source"].rsplit("/", 1)[-1][:3] for row in rows}
    assert {"000", "001", "002", "004"} <= sources
    ends = {(row.get("end", "")[:4], row.get("endType", "").rsplit("#", 1)[-1]) for row in rows}
    assert ("2012", "Withdrawal") in ends and ("2012", "Suspension") in ends


@pytest.mark.parametrize(
    ("organization", "threat"),
    [
        ("Shanghai Cooperation Organization", "terrorism"),
        ("Collective Security Treaty Organization", "drug trafficking"),
    ],
)
def test_threats_each_organization_addresses(
    store: EmbeddedStore, bundle: Bundle, organization: str, threat: str
) -> None:
    rows = run(store, bundle, "threats-by-organization")
    assert any(r["organization"] == organization and r["threat"] == threat for r in rows)


def test_exercises_have_dates_and_participants(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "exercises")
    assert any("Peace Mission" in r["label"] and r.get("participants") for r in rows)


# ---- Competency queries (issue 3, section 4): each asserts what the texts state. ----

SIX_SCO_FOUNDERS = SIX_SCO_MEMBERS
SIX_CSTO_MEMBERS = {"Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan"}


def doc(iri: str) -> str:
    """The three-digit number of a source document from its IRI (…/source/002_b3e1… -> "002")."""
    return iri.rsplit("/", 1)[-1][:3]


def docs(iris: str) -> set[str]:
    return {doc(iri) for iri in iris.split()}


def local(iri: str) -> str:
    """The last segment of an IRI: …/org/sco -> "sco", …/ontology#eventPlace -> "eventPlace"."""
    return re.split(r"[/#]", iri)[-1]


def test_there_are_at_least_thirty_competency_queries(bundle: Bundle) -> None:
    assert len(list(bundle.queries.glob("*.rq"))) >= 30


def test_sco_observers_and_dialogue_partners_with_the_year_each_began(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "sco-observers-and-dialogue-partners")
    since = {(r["label"], r["status"]): r.get("since") for r in rows}
    # 004, lines 638-647 (the SCO's milestones): Mongolia observer 2004; Iran, India,
    # Pakistan 2005; Belarus and Sri Lanka dialogue partners 2009; Afghanistan
    # observer and Turkey dialogue partner 2012.
    assert since[("Mongolia", "observer")] == "2004"
    assert since[("India", "observer")] == since[("Iran", "observer")] == since[("Pakistan", "observer")] == "2005"
    assert since[("Afghanistan", "observer")] == "2012"
    assert since[("Belarus", "dialogue partner")] == since[("Sri Lanka", "dialogue partner")] == "2009"
    assert since[("Turkey", "dialogue partner")] == "2012"
    # 002 line 186, 000 line 259, 001 line 257 (Belarus "raised from dialogue partner to observer").
    observers = {label for label, status in since if status == "observer"}
    assert observers == {"Afghanistan", "Belarus", "India", "Iran", "Mongolia", "Pakistan"}
    # 000 line 260: Armenia, Azerbaijan, Cambodia, Nepal, Sri Lanka and Turkey; 002 and 004 add Belarus.
    partners = {label for label, status in since if status == "dialogue partner"}
    assert partners == {"Armenia", "Azerbaijan", "Belarus", "Cambodia", "Nepal", "Sri Lanka", "Turkey"}
    by_key = {(r["label"], r["status"]): docs(r["sources"]) for r in rows}
    assert {"000", "002", "004"} <= by_key[("Afghanistan", "observer")]


def test_agreements_between_the_sco_and_the_csto(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "sco-csto-agreements")
    # The memorandum between the two secretariats: "in 2007" (000 line 270, 003 line 68),
    # "signed in October 2007" (002).
    assert [local(r["agreement"]) for r in rows] == ["sco-csto-secretariats-memorandum-2007"]
    assert set(rows[0]["signed"].split()) == {"2007", "2007-10"}
    assert {"000", "002", "003"} <= docs(rows[0]["sources"])


def test_bodies_of_each_organization_and_their_seats(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "bodies-and-seats")
    bodies: dict[str, set[str]] = {}
    seats: dict[str, str] = {}
    for r in rows:
        bodies.setdefault(r["organizationLabel"], set()).add(r["bodyLabel"])
        seats[r["bodyLabel"]] = r.get("seats", "")
    # 004 lines 614-624, "Structure of SCO": nine organs.
    assert {
        "SCO Council of Heads of State",
        "SCO Council of Heads of Government",
        "SCO Council of Foreign Ministers",
        "SCO Meetings of heads of Ministries and Departments",
        "SCO Council of National Coordinators",
        "SCO Regional Anti-Terrorist Structure",
        "SCO Secretariat",
        "SCO Interbank Consortium",
        "SCO Business Council",
    } <= bodies["Shanghai Cooperation Organization"]
    assert {
        "CSTO Collective Security Council",
        "CSTO Secretariat",
        "Collective Rapid Reaction Forces",
        "Collective Rapid Deployment Forces",
        "CSTO Collective Peacekeeping Forces",
    } <= bodies["Collective Security Treaty Organization"]
    # 002 line 194: "the Secretariat in Beijing and the Regional Anti-Terrorist Structure (RATS) in Tashkent";
    # 004 lines 821-822: RATS "was based in Bishkek ... but in 2003 it moved to Tashkent".
    assert "Beijing" in seats["SCO Secretariat"]
    assert {"Bishkek until 2003", "Tashkent from 2003"} <= set(
        seats["SCO Regional Anti-Terrorist Structure"].split("; ")
    )


def test_what_one_source_says_that_no_other_source_says(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "said-by-one-source-only")
    facts = {(local(r["subject"]), local(r["relation"]), local(r["object"])) for r in rows}
    # Only 003 (2024) reports the 2023 Minsk meeting, the first joint SCO-CSTO summit
    # (Dushanbe, 2021), Peace Mission 2010 at Matybulak and Tokayev as president.
    assert ("csto-collective-security-council-minsk-2023", "eventPlace", "minsk") in facts
    assert ("sco-csto-joint-summit-2021-dushanbe", "eventPlace", "dushanbe") in facts
    assert ("peace-mission-2010", "eventPlace", "matybulak-training-ground") in facts
    assert ("tokayev", "president", "kazakhstan") in facts
    # Stated by other sources as well: the SCO fights terrorism (all five), the 2007
    # memorandum (000), Xi Jinping is China's president (004), SCO-CSTO cooperation
    # (000, 002, 004; either way round).
    assert ("sco", "addresses", "terrorism") not in facts
    assert ("sco-csto-secretariats-memorandum-2007", "signingDate", "2007") not in facts
    assert ("xi-jinping", "president", "china") not in facts
    assert ("sco", "cooperatesWith", "csto") not in facts
    assert all(r["quote"] for r in rows)


def test_posts_held_by_named_officials(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "posts-of-officials")
    posts = {(r["name"], r["postLabel"], r["inLabel"]) for r in rows}
    assert {
        # 000 line 237: "Secretary-General of CSTO Yuri Khachaturov".
        ("Yuri Khachaturov", "Secretary General", "Collective Security Treaty Organization"),
        # 001 line 157: "Russia's Foreign Minister, Sergey Lavrov".
        ("Sergey Lavrov", "Foreign Minister", "Russia"),
        # 001 line 85: "Kazakhstan's Prime-Minister Karim Massimov received China's State Councillor Guo Shengkun".
        ("Karim Massimov", "Prime Minister", "Kazakhstan"),
        ("Guo Shengkun", "State Councillor", "China"),
        # 001 line 87: "Kazakhstan's foreign minister, Erlan Idrissov".
        ("Erlan Idrissov", "Foreign Minister", "Kazakhstan"),
        # 004 line 2466: "national coordinator for the SCO, Kirill Barsky".
        ("Kirill Barsky", "National Coordinator for the SCO", "Russia"),
        ("Vladimir Putin", "President", "Russia"),
        ("Islam Karimov", "President", "Uzbekistan"),
    } <= posts
    putin = next(r for r in rows if r["name"] == "Vladimir Putin" and r["postLabel"] == "President")
    assert docs(putin["sources"]) == {"000", "001", "002", "003", "004"}


def test_parties_date_and_place_of_agreements(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = {local(r["agreement"]): r for r in run(store, bundle, "agreements")}
    # 002 line 182: in April 1996 in Shanghai the leaders of Russia, China, Kazakhstan,
    # Kyrgyzstan and Tajikistan signed the Treaty on Deepening Military Trust in Border Regions.
    treaty = rows["treaty-deepening-military-trust-border-regions"]
    assert set(treaty["parties"].split(", ")) == {"Russia", "China", "Kazakhstan", "Kyrgyzstan", "Tajikistan"}
    assert (treaty["signed"], treaty["where"]) == ("1996-04", "Shanghai")
    # 002 line 186: the Declaration signed on 15 June 2001 by the leaders of the six.
    declaration = rows["sco-founding-declaration"]
    assert set(declaration["parties"].split(", ")) == SIX_SCO_FOUNDERS
    assert declaration["signed"] == "2001-06-15"
    # 002 lines 134-150: the CSTO Charter of 7 October 2002 and the agreements signed in Moscow.
    assert rows["csto-charter"]["signed"] == "2002-10-07"
    assert (rows["agreement-csto-crrf-2009"]["signed"], rows["agreement-csto-crrf-2009"]["where"]) == (
        "2009-06-14",
        "Moscow",
    )
    assert rows["agreement-operational-equipment-military-infrastructure-2004"]["where"] == "Astana"
    assert rows["collective-security-treaty"]["signed"] == "1992-05-15"


def test_states_bordering_afghanistan(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "afghanistan-neighbours")
    # 000 line 253: "Three Central Asian states viz. Tajikistan, Uzbekistan and Turkmenistan bordered with Afghanistan".
    assert {r["label"] for r in rows} == {"Tajikistan", "Uzbekistan", "Turkmenistan"}
    tajikistan = next(r for r in rows if r["label"] == "Tajikistan")
    assert {"000", "001", "002", "004"} <= docs(tajikistan["sources"])


def test_events_in_a_given_year(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = {r["label"]: r for r in run(store, bundle, "events-in-year")}
    # 002 line 208 and 004 lines 806-807: Peace Mission 2012 in Tajikistan, East-Antiterror 2012 in Uzbekistan;
    # 001 line 107: the first CSTO peacekeeping exercise, Kazakhstan, October 2012;
    # 004 lines 1886-1888: the first India-Central Asia dialogue, Bishkek, June 2012; 004 line 2421: the Beijing summit.
    assert "Tajikistan" in rows["Peace Mission 2012"]["where"]
    assert "Uzbekistan" in rows["East-Antiterror 2012"]["where"]
    assert rows["First CSTO peacekeeping exercise (Kazakhstan, October 2012)"]["dates"] == "2012-10"
    dialogue = rows["First meeting of the India-Central Asia dialogue (Bishkek, June 2012)"]
    assert (dialogue["dates"], dialogue["where"]) == ("2012-06", "Bishkek")
    assert rows["SCO summit (2012)"]["where"] == "Beijing"
    assert all(r["dates"].startswith("2012") for r in rows.values())
    assert "Peace Mission 2010" not in rows and "Tien Shan-2/2011" not in rows


def test_force_sizes_with_their_source(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "force-sizes")
    sizes = {(r["label"], float(r["size"]), doc(r["source"]), local(r["modality"])) for r in rows}
    # 000 line 145 (quoting Avedissian): a 4,000-head CRDF and a 20,000-head CRRF; line 155:
    # about 3,500 peacekeepers. 001 line 107: "KSOR has currently 20,000 military";
    # 001 line 155: the base stations 7,000 troops, to grow to 9,000 (a plan).
    assert ("Collective Rapid Deployment Forces", 4000, "000", "ReportedClaim") in sizes
    assert ("Collective Rapid Reaction Forces", 20000, "000", "ReportedClaim") in sizes
    assert ("Collective Rapid Reaction Forces", 20000, "001", "Stated") in sizes
    assert ("CSTO Collective Peacekeeping Forces", 3500, "000", "ReportedClaim") in sizes
    assert ("Russian 201st military base", 7000, "001", "Stated") in sizes
    assert ("Russian 201st military base", 9000, "001", "Projection") in sizes
    # 004 lines 906-1119 (IISS, Military Balance 2013): armed forces in thousands.
    assert ("Russia", 845, "004", "Stated") in sizes and ("China", 2285, "004", "Stated") in sizes


def test_defence_budgets_by_year(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "defence-budgets")
    budget = {(r["label"], r["year"]): float(r["amount"]) for r in rows}
    # 004 lines 906-1117, defence spending in current US$ m, 2010 / 2011 / 2012.
    assert [budget[("Russia", y)] for y in ("2010", "2011", "2012")] == [41949, 51594, 59851]
    assert [budget[("China", y)] for y in ("2010", "2011", "2012")] == [76361, 90221, 102436]
    assert [budget[("Kyrgyzstan", y)] for y in ("2010", "2011", "2012")] == [23, 104, 106]
    assert budget[("Afghanistan", "2012")] == 2092 and budget[("India", "2012")] == 38538
    # Uzbekistan: 1 422 for 2010, "н/д" (no data) for 2011 and 2012.
    assert {y for (label, y) in budget if label == "Uzbekistan"} == {"2010"}
    assert budget[("Uzbekistan", "2010")] == 1422
    assert {doc(r["source"]) for r in rows} == {"004"}


def test_who_founded_the_sco(store: EmbeddedStore, bundle: Bundle) -> None:
    founders: dict[str, set[str]] = {}
    for r in run(store, bundle, "sco-founders"):
        founders.setdefault(doc(r["source"]), set()).add(r["label"])
    # 002 line 186; 004 lines 190-193 ("founded on June 15, 2001, by Russia, China and four
    # Central Asian states"); 000 line 75 ("Beijing successfully formed an organization ...
    # meant to engage Russia, Kazakhstan, Uzbekistan, Tajikistan and Kyrgyzstan").
    assert founders["002"] == founders["004"] == founders["000"] == SIX_SCO_FOUNDERS


def test_predecessor_organizations(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = {
        (r["predecessorLabel"], r["successorLabel"]): docs(r["sources"]) for r in run(store, bundle, "predecessors")
    }
    # 002 and 004: the Shanghai Five became the SCO; 000 line 65: the CST became the CSTO (002 line 132 says the
    # parties to the Treaty set the CSTO up "to adapt the treaty": no transformation, so not 002);
    # 004 line 1225: the CACO merged into the Eurasian Economic Community.
    assert {"002", "004"} <= rows[("Shanghai Five", "Shanghai Cooperation Organization")]
    assert "000" in rows[("Collective Security Treaty", "Collective Security Treaty Organization")]
    assert "002" not in rows[("Collective Security Treaty", "Collective Security Treaty Organization")]
    assert "004" in rows[("Central Asian Cooperation Organization", "Eurasian Economic Community")]
    assert ("201st Motorized Rifle Division", "Russian 201st military base") in rows


def test_russian_military_presence(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "russia-military-presence")
    stated = {(r["label"], doc(r["source"])) for r in rows if r["modality"].endswith("#Stated")}
    # 001 line 135 ("Russia has an airbase at Kant"), 004 line 3082 (the 2013 united base:
    # Kant, Lake Issyk Kul), 001 line 155 and 004 lines 1806, 3097 (the 201st base in Tajikistan).
    assert {("Kant airbase", "001"), ("Kant airbase", "004"), ("Lake Issyk Kul", "004")} <= stated
    assert {("Tajikistan", "001"), ("Tajikistan", "004"), ("Kyrgyzstan", "004")} <= stated
    # 001 line 135: Russia "is allegedly mulling over the establishment of a second similar base in Osh ... by
    # 2017": a plan (a projection), not a fact.
    osh = [r for r in rows if r["label"] == "Osh"]
    assert osh and all(r["modality"].endswith("#Projection") for r in osh)


def test_threats_each_state_faces(store: EmbeddedStore, bundle: Bundle) -> None:
    faced = {(r["stateLabel"], r["threatLabel"]) for r in run(store, bundle, "threats-faced-by-states")}
    # 001 line 245: "Kyrgyzstan and Tajikistan depend on Russia for their survival against internal and
    # external (mostly extreme-Islamic) threats"; 004 lines 2521-2538: border incidents
    # between Kyrgyzstan and Tajikistan.
    assert {("Kyrgyzstan", "Islamic extremism"), ("Tajikistan", "Islamic extremism")} <= faced
    assert {("Kyrgyzstan", "border disputes"), ("Tajikistan", "border disputes")} <= faced
    assert ("Russia", "drug trafficking") in faced


def test_statements_reported_as_claims_with_their_claimant(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "reported-claims")
    claims = {(local(r["statement"]), r.get("claimantLabel")) for r in rows}
    # 001 line 167: "threats that are allegedly posed by IS, Taliban, and other militants",
    # stressed by "the Russian and Tajik governments".
    assert {("001-militancy-from-is", "Russia"), ("001-militancy-from-is", "Tajikistan")} <= claims
    # 000 line 155: the peacekeeping force of about 3,500 is quoted from another author.
    assert "000-csto-peacekeeping-force-soldiers" in {s for s, _ in claims}
    assert {doc(r["source"]) for r in rows} == {"000", "001", "002", "003", "004"}


def test_statement_counts_per_source_match_the_data_files(store: EmbeddedStore, bundle: Bundle) -> None:
    import rdflib

    evidence = rdflib.URIRef("https://w3id.org/casec/ontology#evidence")
    expected: dict[str, tuple[set, set]] = {}
    for path in sorted((bundle.data / "sources").glob("*.ttl")):
        graph = rdflib.Graph().parse(path, format="turtle")
        statements, quotes = expected.setdefault(path.name[:3], (set(), set()))
        statements.update(graph.subjects(evidence, None))
        quotes.update((s, o) for s, o in graph.subject_objects(evidence))
    assert set(expected) == {"000", "001", "002", "003", "004"}
    rows = {doc(r["source"]): r for r in run(store, bundle, "statements-per-source")}
    assert set(rows) == {"000", "001", "002", "003", "004"}
    for number, (statements, quotes) in expected.items():
        row = rows[number]
        assert int(row["statements"]) == len(statements), number
        assert int(row["quotes"]) == len(quotes), number
        parts = ("statedAsFact", "reportedClaims", "opinions", "projections")
        assert sum(int(row[p]) for p in parts) == len(statements), number
    assert int(rows["001"]["projections"]) > 0 and int(rows["000"]["reportedClaims"]) > 0


def test_csto_members_according_to_each_source(store: EmbeddedStore, bundle: Bundle) -> None:
    members: dict[str, set[str]] = {}
    for r in run(store, bundle, "csto-members-by-source"):
        members.setdefault(doc(r["source"]), set()).add(r["label"])
    # 000 line 258 (2020), 002 line 134 (2013), 004 lines 1227-1230 (2014): the six, Uzbekistan
    # having left or suspended in 2012; 001 line 65 (2017) names the same six.
    assert members["000"] == members["002"] == members["004"] == SIX_CSTO_MEMBERS
    assert members["001"] == SIX_CSTO_MEMBERS


def test_summits_with_date_and_place(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = {local(r["summit"]): r for r in run(store, bundle, "summits")}
    # 002 line 182: the first meeting of the Five, April 1996, Shanghai.
    assert (
        rows["shanghai-five-shanghai-summit-1996"]["dates"],
        rows["shanghai-five-shanghai-summit-1996"]["where"],
    ) == (
        "1996-04",
        "Shanghai",
    )
    # 002 line 200: the July 2005 Summit in Astana; 003 line 72: Qingdao, June 2018; Samarkand, 2022.
    assert (rows["sco-astana-summit-2005"]["dates"], rows["sco-astana-summit-2005"]["where"]) == ("2005-07", "Astana")
    assert rows["sco-summit-2018-qingdao"]["where"] == "Qingdao"
    assert rows["sco-summit-2022-samarkand"]["where"] == "Samarkand"
    # Two CSTO summits in Moscow in 2009: 4 February (002 line 158) and, "subsequently", 14 June (001 line 207).
    assert (rows["csto-moscow-summit-2009-02"]["dates"], rows["csto-moscow-summit-2009-02"]["where"]) == (
        "2009-02-04",
        "Moscow",
    )
    assert (rows["csto-moscow-summit-2009-06"]["dates"], rows["csto-moscow-summit-2009-06"]["where"]) == (
        "2009-06-14",
        "Moscow",
    )
    # 001 line 87 and 003 line 72: the 2014 SCO summit, "September 2014" and "2014".
    assert set(rows["sco-summit-2014"]["dates"].split()) == {"2014", "2014-09"}


def test_founding_dates_keep_each_sources_date(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "founding-dates")
    founded = {(r["label"], r["date"], doc(r["source"])) for r in rows if r["event"] == "founded"}
    # The CSTO: "founding in 2002" (001 line 241); "created in 2002" (004 line 255). 002 line 132 dates the
    # Collective Security Treaty (1992), not the organization: no founding date of the CSTO from 002.
    csto = "Collective Security Treaty Organization"
    assert {(csto, "2002", "001"), (csto, "2002", "004")} <= founded
    assert not any(label == csto and source == "002" for label, _, source in founded)
    # The CIS: "created in 1991" (004 line 254), "formed CIS in 1992" (000 line 143).
    cis = "Commonwealth of Independent States"
    assert {(cis, "1991", "004"), (cis, "1992", "000")} <= founded
    assert ("Shanghai Cooperation Organization", "2001-06-15", "004") in founded
    dissolved = {(r["label"], r["date"]) for r in rows if r["event"] == "dissolved"}
    assert ("Central Asian Cooperation Organization", "2005") in dissolved


def test_the_two_definitions_of_the_three_evils(store: EmbeddedStore, bundle: Bundle) -> None:
    by_quote: dict[tuple[str, str], set[str]] = {}
    for r in run(store, bundle, "three-evils"):
        by_quote.setdefault((doc(r["source"]), r["line"]), set()).add(r["label"])
    classic = {"terrorism", "extremism", "separatism"}
    # 000 line 316; 002 line 42; 004 lines 243 and 1728: terrorism, extremism, separatism.
    assert by_quote[("000", "316")] == by_quote[("002", "42")] == classic
    assert by_quote[("004", "243")] == by_quote[("004", "1728")] == classic
    # 002 line 218: the "three evils" (drugs, terrorism, and separatism).
    assert by_quote[("002", "218")] == {"drug trafficking", "terrorism", "separatism"}


def test_threats_coming_from_afghanistan(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = {r["label"]: r for r in run(store, bundle, "threats-from-afghanistan")}
    # e.g. 003 line 80 ("Islamic extremists emanating from Afghanistan"), 002 line 160
    # ("illicit traffic in Afghan narcotic drugs"), 004 line 393 (terrorist threats after 2014).
    assert {"terrorism", "drug trafficking", "Islamic extremism"} <= set(rows)
    # Terrorism from Afghanistan: stated by 000 and 001; foreseen by 002 and 004 ("after 2014"), projections.
    assert {"000", "001"} <= docs(rows["terrorism"]["statingSources"])
    assert {"002", "004"} <= docs(rows["terrorism"]["projectingSources"])
    assert "Northern Afghanistan" in rows["Islamic extremism"]["from"]


def test_entities_that_may_be_the_same(store: EmbeddedStore, bundle: Bundle) -> None:
    pairs = {(local(r["a"]), local(r["b"])) for r in run(store, bundle, "possibly-same")}
    assert {
        ("csto-crdf", "csto-crrf"),  # 001 line 155 calls KSOR "collective rapid deployment forces"
        ("afghanistan-coalition-forces", "isaf"),  # 002 lines 70, 76 against 004's ISAF drawdown
        ("silk-road-economic-belt", "belt-and-road"),  # 004 line 3282 against 003 line 70
        ("central-asian-economic-cooperation", "central-asian-cooperation-organization"),  # 004
    } <= pairs


def test_whom_the_sco_cooperates_with(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = {r["label"]: docs(r["sources"]) for r in run(store, bundle, "sco-cooperation")}
    # 002 lines 162, 196; 004; 000 line 237; 003: the CSTO, ASEAN, the CIS and the UN.
    assert {"000", "002", "003", "004"} <= rows["Collective Security Treaty Organization"]
    assert "002" in rows["Association of Southeast Asian Nations"] and "002" in rows["United Nations"]
    assert "Commonwealth of Independent States" in rows


def test_operations_and_the_threats_they_address(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = {r["label"]: r for r in run(store, bundle, "operations")}
    # 000 line 177: "operation Kanal designed to curb drug trafficking, operation Нелегал (nelegal)
    # intended to stop illegal migration"; 002 line 160: operations "Channel" since 2003.
    assert "drug trafficking" in rows["Operation Kanal"]["against"]
    assert rows["Operation Kanal"]["dates"] == "2003"
    assert {"000", "002"} <= docs(rows["Operation Kanal"]["sources"])
    assert rows["Operation Nelegal"]["against"] == "illegal migration"
    assert "Collective Security Treaty Organization" in rows["Operation Proxy"]["organizers"]


def test_populations(store: EmbeddedStore, bundle: Bundle) -> None:
    population = {r["label"]: float(r["population"]) for r in run(store, bundle, "populations")}
    # 004 lines 1395-1430 (World Bank 2014, million people).
    assert population["China"] == 1357.5 and population["India"] == 1252.1
    assert population["Russia"] == 143.5 and population["Kyrgyzstan"] == 5.7
    assert population["Turkey"] == 74.93 and population["Mongolia"] == 2.8
    assert len(population) == 14


def test_organizations_a_given_state_belongs_to(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "state-memberships")
    roles = {(r["label"], r["roleLabel"]) for r in rows}
    assert {
        ("Shanghai Cooperation Organization", "founding member"),
        ("Collective Security Treaty Organization", "member"),
        ("Commonwealth of Independent States", "member"),  # 004 line 1498
        ("Customs Union of Belarus, Kazakhstan and Russia", "member"),  # 004 line 2998
        ("Central Asian Cooperation Organization", "member"),  # 004 line 1222
    } <= roles
    # 004 line 2645: "In 2012, Russia, Kazakhstan and Belarus formed the Common Economic Space."
    assert any(r["label"] == "Common Economic Space" and r.get("start") == "2012" for r in rows)


def test_india_and_pakistan_from_observer_to_member(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "sco-membership-history")
    for state in ("India", "Pakistan"):
        mine = [r for r in rows if r["label"] == state]
        # 004 line 641: observers since 2005; 000 line 231: membership granted, 2017;
        # 001 line 257: "will soon be promoted ... to full membership" (a projection).
        assert any(
            r["roleLabel"] == "observer" and r.get("start") == "2005" and doc(r["source"]) == "004" for r in mine
        )
        assert any(r["roleLabel"] == "member" and r.get("start") == "2017" and doc(r["source"]) == "000" for r in mine)
        assert any(
            r["roleLabel"] == "member" and r["modality"].endswith("#Projection") and doc(r["source"]) == "001"
            for r in mine
        )
        assert any(r["roleLabel"] == "applicant" for r in mine)


def test_rivalries(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = {(r["aLabel"], r["bLabel"]): int(r["sources"]) for r in run(store, bundle, "rivalries")}
    # India and Pakistan: all four of 000, 001, 002, 004; 001 line 227: "Kazakhstan and Uzbekistan
    # are each other's rivals for regional primacy".
    assert rows[("India", "Pakistan")] == 4
    assert ("Kazakhstan", "Uzbekistan") in rows


def test_posts_held_in_2016(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "posts-in-year")
    held = {(r["name"], r["postLabel"], r["inLabel"]): r for r in rows}
    # 001: Karimov president of Uzbekistan (August 2015), dead on 2 September 2016: his last year, ended by his death.
    karimov = held[("Islam Karimov", "President", "Uzbekistan")]
    assert karimov["basis"] == "stated" and local(karimov["endedBy"]) == "001-karimov-death-date"
    # Putin is Russia's president in 2015 (001) and 2019 (000): 2016 between them. Medvedev (president in 2010,
    # 001) is not: Putin is named after him.
    assert held[("Vladimir Putin", "President", "Russia")]["basis"] == "inferred"
    assert ("Dmitry Medvedev", "President", "Russia") not in held
    assert ("Shavkat Mirziyoyev", "President", "Uzbekistan") not in held  # first named as president in 2017 (001)


def test_uzbekistans_csto_periods_keep_the_dispute(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = run(store, bundle, "uzbekistan-csto-periods")
    member = {(int(r["from"]), int(r["to"])) for r in rows if r["status"] == "member"}
    # 000 line 175, 001 and 004: 1994-1999 and 2006-2012.
    assert member == {(1994, 1999), (2006, 2012)}
    # 1994-1999 lies before the CSTO's founding (2002 in 001 and 004): the Collective Security Treaty's time.
    assert {r["beforeOrganization"] for r in rows if r["status"] == "member" and r["from"] == "1994"} == {"true"}
    # After 2012: left (000) or suspended (001, 002, 004); both kept, flagged, up to 000's "not its member
    # currently" (2020) and 003's "left" (2024).
    in_2014 = {r["status"]: r for r in rows if int(r["from"]) <= 2014 <= int(r["to"])}
    assert set(in_2014) == {"outside", "suspended member"}
    assert all(r["disputed"] == "true" for r in in_2014.values())
    assert {r["status"] for r in rows if int(r["from"]) <= 2024 <= int(r["to"])} == {"outside"}


def test_observers_and_dialogue_partners_until_when(store: EmbeddedStore, bundle: Bundle) -> None:
    rows = {(r["label"], r["status"]): r for r in run(store, bundle, "sco-observers-and-dialogue-partners")}
    # India and Pakistan: observers until they became members in 2017 (000 line 231).
    assert rows[("India", "observer")]["until"] == rows[("Pakistan", "observer")]["until"] == "2017"
    # Belarus: a dialogue partner "raised ... to observer" (001 line 257, of 2017): before 2017, not after.
    assert int(rows[("Belarus", "dialogue partner")]["until"]) < 2017
