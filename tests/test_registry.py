"""The knowledge files of the package and the registry loader. No spaCy model needed."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from readout.errors import RegistryError
from readout.registry import ENV_REGISTRY, LEVELS, get_registry, load_registry

# Channel ids that the sample corpus and other tests rely on.
CONTRACT_CHANNELS = {
    "chn-usa-chiefs-of-defense": ("chiefs_of_defense", ["CHN", "USA"]),
    "chn-usa-defense-ministers": ("ministerial", ["CHN", "USA"]),
    "chn-usa-dpct": ("working", ["CHN", "USA"]),
    "chn-usa-mmca": ("working", ["CHN", "USA"]),
    "chn-usa-theater-commanders": ("theater", ["CHN", "USA"]),
    "chn-usa-dtl": ("hotline", ["CHN", "USA"]),
    "chn-usa-crisis-communication-wg": ("working", ["CHN", "USA"]),
    "rus-usa-deconfliction-line": ("hotline", ["RUS", "USA"]),
    "rus-usa-chiefs-of-defense": ("chiefs_of_defense", ["RUS", "USA"]),
    "rus-usa-defense-ministers": ("ministerial", ["RUS", "USA"]),
    "rus-usa-strategic-stability-dialogue": ("senior", ["RUS", "USA"]),
    "chn-ind-corps-commander-talks": ("theater", ["CHN", "IND"]),
    "chn-ind-wmcc": ("working", ["CHN", "IND"]),
    "chn-ind-special-representatives": ("senior", ["CHN", "IND"]),
    "chn-jpn-maritime-air-communication": ("hotline", ["CHN", "JPN"]),
    "kor-prk-military-hotline": ("hotline", ["KOR", "PRK"]),
}


@pytest.fixture(scope="module")
def reg():
    """The package registry alone, whatever READOUT_REGISTRY says."""
    return load_registry(include_env=False)


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_REGISTRY, raising=False)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- the package's files
def test_registry_loads_every_package_file(reg) -> None:
    names = {Path(s).name for s in reg.sources}
    for f in (
        "countries.yaml",
        "countries_extra.yaml",
        "roles.yaml",
        "organizations.yaml",
        "people.yaml",
        "channels.yaml",
    ):
        assert f in names
    assert len(reg.countries) >= 240
    assert sum(1 for c in reg.countries.values() if c.demonyms) >= 200
    assert sum(1 for c in reg.countries.values() if c.capitals) >= 200
    assert len(reg.people) >= 100
    assert len(reg.channels) >= 20


def test_every_channel_has_names_and_a_dyad_or_is_generic(reg) -> None:
    for ch in reg.channels.values():
        # an umbrella may be named only by its generic wordings
        assert ch.names or ch.generic_names, f"{ch.id} has no names"
        assert all(ch.names.values()), f"{ch.id} has an empty list of names"
        assert ch.description, f"{ch.id} has no description"
        assert ch.level in LEVELS
        if ch.generic:
            assert ch.dyad is None, f"{ch.id} is generic but has a dyad"
        else:
            assert ch.dyad and len(ch.dyad) == 2, f"{ch.id} has no dyad"
            # a side's names are listed under a code of the dyad, or under press
            assert set(ch.names) <= {*ch.dyad, "PRESS"}, f"{ch.id}: names of a side outside its dyad"


@pytest.mark.parametrize("cid", sorted(CONTRACT_CHANNELS))
def test_contract_channel_ids_exist_with_their_dyad_and_level(reg, cid: str) -> None:
    level, dyad = CONTRACT_CHANNELS[cid]
    ch = reg.channels[cid]
    assert ch.level == level
    assert ch.dyad == dyad


def test_generic_channels_exist(reg) -> None:
    assert reg.channels["military-communication"].generic
    assert reg.channels["high-level-military-dialogue"].generic
    assert "leaders-summit" not in reg.channels
    assert "military-to-military communication" in reg.channels["military-communication"].all_names()


def test_every_dyad_has_its_umbrellas_declared_or_by_convention(reg) -> None:
    dyads = {tuple(c.dyad) for c in reg.channels.values() if c.dyad} | {("CHL", "NOR")}
    for dyad in dyads:
        top = reg.umbrella_for("military-communication", dyad)
        high = reg.umbrella_for("high-level-military-dialogue", dyad)
        a, b = (c.lower() for c in dyad)
        # the ids docs/annotating.md gives them
        assert (top.id, high.id) == (f"{a}-{b}-military-communication", f"{a}-{b}-high-level-military-dialogue")
        assert high.parent == top.id and top.parent is None and top.dyad == high.dyad == list(dyad)
        assert reg.channel(top.id) == top and reg.channel(high.id) == high
    # the dyads with military channels declare theirs, with the members under them
    for dyad in (("CHN", "USA"), ("RUS", "USA"), ("CHN", "IND"), ("CHN", "JPN"), ("KOR", "PRK"), ("IND", "PAK")):
        assert reg.umbrella("military-communication", dyad) is not None, dyad
    under = {c.id for c in reg.descendants("chn-usa-military-communication")}
    assert {"chn-usa-high-level-military-dialogue", "chn-usa-chiefs-of-defense", "chn-usa-defense-ministers", "chn-usa-dpct",
            "chn-usa-mmca", "chn-usa-theater-commanders", "chn-usa-dtl"} <= under
    assert [c.id for c in reg.ancestors("chn-usa-chiefs-of-defense")] == ["chn-usa-high-level-military-dialogue",
                                                                          "chn-usa-military-communication"]
    assert [c.id for c in reg.ancestors("chl-nor-high-level-military-dialogue")] == ["chl-nor-military-communication"]
    # diplomatic mechanisms are not military channels
    assert reg.channels["chn-ind-wmcc"].parent is None and reg.channels["rus-usa-strategic-stability-dialogue"].parent is None
    # every member shares its umbrella's dyad; ids that only look like umbrellas are none
    for c in reg.channels.values():
        if c.parent:
            assert reg.channels[c.parent].dyad == c.dyad
    for bogus in ("nor-chl-military-communication", "xxx-usa-military-communication", "chn-usa-dpct-talks"):
        assert reg.channel(bogus) is None


def test_a_user_file_adds_a_member_to_an_umbrella(tmp_path: Path, no_env: None) -> None:
    extra = write(tmp_path, "mine.yaml", (
        "channels:\n  - id: chn-usa-navy-staff-talks\n    name: Navy staff talks\n    dyad: [CHN, USA]\n    level: working\n"
        "    parent: chn-usa-military-communication\n"
    ))
    reg = load_registry([extra])
    assert "chn-usa-navy-staff-talks" in {c.id for c in reg.members("chn-usa-military-communication")}
    assert [c.id for c in reg.ancestors("chn-usa-navy-staff-talks")] == ["chn-usa-military-communication"]


def test_channels_of_a_dyad_in_either_order(reg) -> None:
    ids = {c.id for c in reg.channels_of(["USA", "CHN"])}
    assert {"chn-usa-dpct", "chn-usa-mmca", "chn-usa-dtl"} <= ids


def test_dpct_carries_the_chinese_names_for_it(reg) -> None:
    names = [n.lower() for n in reg.channels["chn-usa-dpct"].all_names()]
    assert "working meeting of the defense authorities" in names
    assert "china-us defense policy coordination talks" in names


@pytest.mark.parametrize(
    ("role", "country", "day", "expected"),
    [
        ("defense_minister", "USA", date(2024, 6, 1), "lloyd-austin"),
        ("defense_minister", "USA", date(2025, 6, 1), "pete-hegseth"),
        ("defense_minister", "USA", date(2020, 6, 1), "mark-esper"),
        ("defense_minister", "CHN", date(2023, 6, 1), "li-shangfu"),
        ("defense_minister", "CHN", date(2024, 6, 1), "dong-jun"),
        ("defense_minister", "CHN", date(2022, 6, 1), "wei-fenghe"),
        ("defense_minister", "RUS", date(2023, 6, 1), "sergei-shoigu"),
        ("defense_minister", "RUS", date(2024, 6, 1), "andrei-belousov"),
        ("foreign_minister", "USA", date(2023, 12, 21), "antony-blinken"),
        ("foreign_minister", "CHN", date(2023, 5, 1), "qin-gang"),
        ("foreign_minister", "CHN", date(2023, 8, 1), "wang-yi"),
        ("chief_of_defense", "USA", date(2023, 12, 21), "charles-q-brown"),
        ("chief_of_defense", "USA", date(2023, 6, 1), "mark-milley"),
        ("chief_of_defense", "CHN", date(2023, 12, 21), "liu-zhenli"),
        ("theater_commander", "USA", date(2023, 6, 1), "john-aquilino"),
        ("theater_commander", "USA", date(2024, 9, 9), "samuel-paparo"),
        ("theater_commander", "CHN", date(2024, 9, 9), "wu-yanan"),
        ("head_of_state", "USA", date(2023, 11, 15), "joe-biden"),
        ("head_of_state", "CHN", date(2023, 11, 15), "xi-jinping"),
        ("foreign_ministry_spokesperson", "CHN", date(2023, 12, 22), "wang-wenbin"),
        ("defense_ministry_spokesperson", "CHN", date(2024, 1, 25), "wu-qian"),
    ],
)
def test_holders_of_a_post_on_a_day(reg, role: str, country: str, day: date, expected: str) -> None:
    assert expected in [p.id for p in reg.holders(role, country, day)]


def test_holders_excludes_those_out_of_office(reg) -> None:
    assert [p.id for p in reg.holders("defense_minister", "USA", date(2024, 6, 1))] == ["lloyd-austin"]
    assert [p.id for p in reg.holders("defense_minister", "USA", date(2025, 6, 1))] == ["pete-hegseth"]
    assert reg.holders("defense_minister", "CHN", date(2023, 11, 15)) == []  # the post was vacant


def test_title_on_a_day_is_the_one_then_held(reg) -> None:
    hegseth = reg.people["pete-hegseth"]
    assert hegseth.title_on(date(2025, 6, 1)).title == "Secretary of Defense"
    assert hegseth.title_on(date(2025, 10, 1)).title == "Secretary of War"
    brown = reg.people["charles-q-brown"]
    assert brown.title_on(date(2022, 1, 1)).role == "service_chief"


def test_countries_have_demonyms_capitals_and_metonyms(reg) -> None:
    chn, usa, rus = reg.countries["CHN"], reg.countries["USA"], reg.countries["RUS"]
    assert "Chinese" in chn.demonyms and "Beijing" in chn.capitals and "Zhongnanhai" in chn.metonyms
    assert "the PRC" in chn.names and "mainland China" in chn.names
    assert "American" in usa.demonyms and "Washington" in usa.capitals
    assert "the White House" in usa.metonyms and "Foggy Bottom" in usa.metonyms
    assert {"US", "U.S.", "the United States", "America"} <= set(usa.names)
    assert "Russian" in rus.demonyms and "Moscow" in rus.capitals and "the Kremlin" in rus.metonyms
    assert rus.name == "Russia" and "Russian Federation" in rus.names


def test_taiwan_is_named_as_news_names_it(reg) -> None:
    twn = reg.countries["TWN"]
    assert twn.name == "Taiwan"
    assert {"Taiwan island", "the island of Taiwan"} <= set(twn.names)
    assert "Taipei" in twn.capitals


def test_a_demonym_belongs_to_one_country(reg) -> None:
    """A territory must not take its owner's demonym ("Indian" is India, not the BIOT)."""
    owners: dict[str, set[str]] = {}
    for c in reg.countries.values():
        for d in c.demonyms:
            owners.setdefault(d, set()).add(c.code)
    shared = {d: codes for d, codes in owners.items() if len(codes) > 1}
    assert shared == {}
    assert owners["Indian"] == {"IND"} and owners["American"] == {"USA"} and owners["Chinese"] == {"CHN"}


def test_organization_metonyms_are_aliases_of_the_organization(reg) -> None:
    assert "the Pentagon" in reg.organizations["usa-dod"].aliases
    assert "Department of War" in reg.organizations["usa-dod"].aliases
    assert "MND" in reg.organizations["chn-mnd"].aliases
    assert reg.organizations["chn-eastern-theater"].parent == "chn-pla"
    assert reg.organizations["usa-house"].sector == "LEG"
    assert reg.organizations["chn-xinhua"].sector == "MED"
    assert reg.organizations["igo-nato"].country == "IGO"


def test_people_ids_are_slugs_and_aliases_are_not_bare_surnames(reg) -> None:
    for p in reg.people.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p.id), p.id
        last = p.name.replace(" Jr.", "").replace(" III", "").split()[-1]
        for alias in p.aliases:
            assert alias != last, f"{p.id}: bare surname {alias!r} as an alias"
        for t in p.titles:
            assert t.start, f"{p.id}: title {t.title!r} has no start date"


def test_registry_leaves_quoted_experts_to_the_rules(reg) -> None:
    """The experts and spokesman of the reference article must be found by general rules."""
    names = {p.name for p in reg.people.values()} | {a for p in reg.people.values() for a in p.aliases}
    for name in ("Zhuo Hua", "Xin Qiang", "Li Haidong", "Jereal Dorsey", "Andrew Hunter"):
        assert name not in names


def test_role_phrases_are_lower_case(reg) -> None:
    for role in reg.roles.values():
        assert role.level in LEVELS
        for phrase in role.phrases:
            assert phrase == phrase.lower(), f"{role.id}: {phrase!r}"


# ---------------------------------------------------------------- user files
def test_user_file_extends_a_person_and_adds_a_channel(tmp_path: Path, no_env: None) -> None:
    user = write(
        tmp_path,
        "mine.yaml",
        "people:\n"
        "  - id: liu-zhenli\n"
        "    aliases: [General Liu]\n"
        "channels:\n"
        "  - id: chn-usa-test-channel\n"
        "    name: Test Channel\n"
        "    dyad: [USA, CHN]\n"
        "    level: working\n"
        "    names: {USA: [test talks], CHN: [test meeting]}\n",
    )
    reg = load_registry([user])
    liu = reg.people["liu-zhenli"]
    assert "General Liu" in liu.aliases and "Gen. Liu Zhenli" in liu.aliases  # merged, not replaced
    assert liu.name == "Liu Zhenli" and liu.titles  # the rest is kept
    ch = reg.channels["chn-usa-test-channel"]
    assert ch.dyad == ["CHN", "USA"]
    assert ch.names == {"USA": ["test talks"], "CHN": ["test meeting"]}
    assert str(user) in reg.sources


def test_readout_registry_env_var_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = write(tmp_path, "one.yaml", "people:\n  - id: dong-jun\n    aliases: [Admiral Dong]\n")
    two = write(tmp_path, "two.yaml", "countries:\n  - code: CHN\n    metonyms: [Bayi Building]\n")
    monkeypatch.setenv(ENV_REGISTRY, f"{one}{os.pathsep}{two}")
    reg = load_registry()
    assert "Admiral Dong" in reg.people["dong-jun"].aliases
    assert "Bayi Building" in reg.countries["CHN"].metonyms
    assert "Admiral Dong" in get_registry().people["dong-jun"].aliases
    monkeypatch.delenv(ENV_REGISTRY)
    assert "Admiral Dong" not in load_registry().people["dong-jun"].aliases


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (  # bad date
            (
                "people:\n  - id: someone-new\n    name: Someone New\n    country: USA\n    titles:\n"
                "      - {title: Envoy, from: '2024-06'}\n      - {title: Envoy, from: 'June 2024'}\n"
            ),
            7,
            "not a date",
        ),
        (  # a date of the right shape that is no date
            (
                "people:\n  - id: someone-new\n    name: Someone New\n    country: USA\n    titles:\n"
                "      - {title: Envoy, from: '2024-13'}\n"
            ),
            6,
            "out of range",
        ),
        (  # unknown country code
            (
                "organizations:\n  - id: xx-ministry\n    name: Ministry\n    country: USA\n"
                "  - id: xx-other\n    name: Other Ministry\n    country: XYZ\n"
            ),
            5,
            "unknown country code 'XYZ'",
        ),
        (  # unknown section
            "people: []\n\nchanels:\n  - id: x\n",
            3,
            "unknown section 'chanels'",
        ),
        (  # invalid YAML
            "people:\n  - id: a\n    aliases: [one, two\n  - id: b\n",
            4,
            "invalid YAML",
        ),
        (  # unknown role
            (
                "people:\n  - id: someone-new\n    name: Someone New\n    country: USA\n    titles:\n"
                "      - {title: Grand Vizier, role: grand_vizier, from: '2024'}\n"
            ),
            6,
            "unknown role 'grand_vizier'",
        ),
        (  # unknown organization
            (
                "people:\n  - id: someone-new\n    name: Someone New\n    country: USA\n    titles:\n"
                "      - {title: Minister, role: defense_minister, org: usa-nowhere, from: '2024'}\n"
            ),
            6,
            "unknown organization 'usa-nowhere'",
        ),
        (  # unknown level of a channel
            "channels:\n  - id: chn-usa-x\n    name: X\n    dyad: [CHN, USA]\n    level: cosmic\n",
            2,
            "unknown level 'cosmic'",
        ),
        (  # an umbrella that does not exist
            "channels:\n  - id: chn-usa-x\n    name: X\n    dyad: [CHN, USA]\n    level: working\n    parent: chn-usa-nothing\n",
            2,
            "parent 'chn-usa-nothing' is not a known channel",
        ),
        (  # an umbrella of another dyad
            "channels:\n\n  - id: chn-usa-x\n    name: X\n    dyad: [CHN, USA]\n    level: working\n    parent: rus-usa-military-communication\n",
            3,
            "not a channel of the same dyad",
        ),
        (  # umbrellas in a loop (the package's umbrella made a member of its own member)
            "channels:\n  - id: chn-usa-military-communication\n    parent: chn-usa-dpct\n",
            2,
            "loop back",
        ),
        (  # generic names taken from a channel that is not generic
            "channels:\n  - id: chn-usa-x\n    name: X\n    dyad: [CHN, USA]\n    level: working\n    generic_names: chn-usa-dpct\n",
            2,
            "is not a generic channel",
        ),
        (  # a second channel of the dyad for the same generic wordings
            "channels:\n  - id: chn-usa-x\n    name: X\n    dyad: [CHN, USA]\n    level: generic\n    generic_names: military-communication\n",
            2,
            "already takes the generic names",
        ),
    ],
    ids=[
        "bad-date",
        "impossible-date",
        "unknown-country",
        "unknown-section",
        "invalid-yaml",
        "unknown-role",
        "unknown-org",
        "unknown-level",
        "unknown-parent",
        "parent-of-another-dyad",
        "parent-loop",
        "generic-names-not-generic",
        "generic-names-twice",
    ],
)
def test_invalid_user_file_names_file_and_line(tmp_path: Path, no_env: None, text: str, line: int, words: str) -> None:
    bad = write(tmp_path, "bad.yaml", text)
    with pytest.raises(RegistryError) as err:
        load_registry([bad])
    message = str(err.value)
    assert f"{bad}:{line}:" in message, message
    assert words in message, message


def test_missing_user_file_says_what_to_check(tmp_path: Path, no_env: None) -> None:
    with pytest.raises(RegistryError, match="not found"):
        load_registry([tmp_path / "absent.yaml"])



# ---------------------------------------------------------------- people of 2008-2025
# The states whose leaders, foreign and defense ministers and chiefs of defense people.yaml
# follows from 2008: (state, post) -> the years in which nobody is listed as holding it on July 1.
# Each gap is left on purpose (a vacancy or an acting holder, chiefs who change yearly, a person
# who cannot be placed under one country, dates not known well enough). A new gap, or a gap
# filled, fails the test: then update this table.
TRACKED_STATES = "USA CHN RUS IND JPN KOR PRK GBR FRA DEU AUS NZL PHL VNM IDN SGP MYS THA TWN UKR TUR PAK CAN ITA ISR IRN SAU".split()
ALL_YEARS = list(range(2008, 2026))
KNOWN_GAPS = {
    ("DEU", "defense_minister"): list(range(2014, 2020)),  # Ursula von der Leyen: see people.yaml
    ("IND", "chief_of_defense"): [*range(2008, 2020), 2022],  # the post exists from 2020; vacant in 2022
    ("ITA", "chief_of_defense"): ALL_YEARS,
    ("MYS", "chief_of_defense"): ALL_YEARS,
    ("NZL", "chief_of_defense"): ALL_YEARS,
    ("PAK", "chief_of_defense"): ALL_YEARS,  # the army chief (service_chief) is listed instead
    ("PAK", "defense_minister"): [2008, 2009, 2010, 2011, 2012, 2018],
    ("PAK", "foreign_minister"): [2018],
    ("PHL", "chief_of_defense"): list(range(2008, 2022)),  # chiefs of staff change yearly: recent ones only
    ("PRK", "chief_of_defense"): ALL_YEARS,
    ("PRK", "defense_minister"): ALL_YEARS,
    ("SAU", "chief_of_defense"): ALL_YEARS,
    ("SGP", "chief_of_defense"): ALL_YEARS,
    ("THA", "chief_of_defense"): ALL_YEARS,
    ("THA", "defense_minister"): [2008, 2012, 2013, 2014, 2025],
    ("THA", "foreign_minister"): [2008, 2014],
    ("TWN", "chief_of_defense"): ALL_YEARS,
    ("UKR", "chief_of_defense"): list(range(2008, 2014)),
    ("UKR", "defense_minister"): [2009, 2014],  # acting ministers
    ("UKR", "foreign_minister"): [2009],  # an acting minister
    ("VNM", "chief_of_defense"): ALL_YEARS,
}
LEADER_ROLES = ("head_of_state", "head_of_government", "supreme_leader")


def test_tracked_states_have_their_leaders_and_ministers_every_year_since_2008(reg) -> None:
    gaps: dict[tuple[str, str], list[int]] = {}
    for code in TRACKED_STATES:
        for year in ALL_YEARS:
            day = date(year, 7, 1)
            if not any(reg.holders(role, code, day) for role in LEADER_ROLES):
                gaps.setdefault((code, "leader"), []).append(year)
            for role in ("foreign_minister", "defense_minister", "chief_of_defense"):
                if not reg.holders(role, code, day):
                    gaps.setdefault((code, role), []).append(year)
    assert gaps == KNOWN_GAPS


@pytest.mark.parametrize(
    ("role", "country", "day", "expected"),
    [
        ("foreign_minister", "JPN", date(2016, 5, 10), "fumio-kishida"),
        ("foreign_minister", "JPN", date(2018, 5, 10), "taro-kono"),
        ("defense_minister", "JPN", date(2015, 6, 1), "gen-nakatani"),
        ("defense_minister", "JPN", date(2025, 6, 1), "gen-nakatani"),
        ("head_of_government", "JPN", date(2010, 1, 1), "yukio-hatoyama"),
        ("chief_of_defense", "JPN", date(2020, 1, 1), "koji-yamazaki"),
        ("foreign_minister", "KOR", date(2015, 1, 1), "yun-byung-se"),
        ("defense_minister", "KOR", date(2011, 6, 1), "kim-kwan-jin"),
        ("head_of_state", "KOR", date(2014, 6, 1), "park-geun-hye"),
        ("head_of_state", "KOR", date(2017, 6, 1), "moon-jae-in"),
        ("head_of_government", "KOR", date(2016, 6, 1), "hwang-kyo-ahn"),
        ("foreign_minister", "PRK", date(2018, 6, 12), "ri-yong-ho"),
        ("head_of_state", "PRK", date(2010, 1, 1), "kim-jong-il"),
        ("head_of_state", "CHN", date(2010, 1, 1), "hu-jintao"),
        ("defense_minister", "CHN", date(2015, 1, 1), "chang-wanquan"),
        ("foreign_minister", "CHN", date(2010, 1, 1), "yang-jiechi"),
        ("chief_of_defense", "CHN", date(2014, 1, 1), "fang-fenghui"),
        ("head_of_state", "RUS", date(2010, 1, 1), "dmitry-medvedev"),
        ("head_of_government", "RUS", date(2010, 1, 1), "vladimir-putin"),
        ("chief_of_defense", "RUS", date(2010, 1, 1), "nikolai-makarov"),
        ("defense_minister", "USA", date(2012, 1, 1), "leon-panetta"),
        ("foreign_minister", "USA", date(2014, 1, 1), "john-kerry"),
        ("chief_of_defense", "USA", date(2017, 1, 1), "joseph-dunford"),
        ("head_of_government", "IND", date(2010, 1, 1), "manmohan-singh"),
        ("foreign_minister", "IND", date(2016, 1, 1), "sushma-swaraj"),
        ("defense_minister", "IND", date(2018, 1, 1), "nirmala-sitharaman"),
        ("defense_minister", "GBR", date(2015, 6, 1), "michael-fallon"),
        ("foreign_minister", "GBR", date(2017, 6, 1), "boris-johnson"),
        ("foreign_minister", "GBR", date(2024, 3, 1), "david-cameron"),
        ("head_of_government", "GBR", date(2022, 10, 1), "liz-truss"),
        ("head_of_state", "GBR", date(2023, 1, 1), "charles-iii"),
        ("chief_of_defense", "AUS", date(2020, 1, 1), "angus-campbell"),
        ("chief_of_defense", "AUS", date(2025, 1, 1), "david-johnston-admiral"),
        ("defense_minister", "AUS", date(2014, 1, 1), "david-johnston-senator"),
        ("foreign_minister", "AUS", date(2023, 1, 1), "penny-wong"),
        ("head_of_government", "SGP", date(2025, 1, 1), "lawrence-wong"),
        ("defense_minister", "PHL", date(2014, 1, 1), "voltaire-gazmin"),
        ("head_of_state", "PHL", date(2014, 1, 1), "benigno-aquino-iii"),
        ("defense_minister", "TWN", date(2018, 6, 1), "yen-de-fa"),  # from 2018-02-26, not 2019
        ("head_of_government", "TWN", date(2018, 6, 1), "lai-ching-te"),
        ("head_of_state", "VNM", date(2019, 1, 1), "nguyen-phu-trong"),
        ("foreign_minister", "IDN", date(2020, 1, 1), "retno-marsudi"),
        ("defense_minister", "SGP", date(2020, 1, 1), "ng-eng-hen"),
        ("head_of_government", "MYS", date(2019, 1, 1), "mahathir-mohamad"),
        ("head_of_government", "THA", date(2020, 1, 1), "prayut-chan-o-cha"),
        ("foreign_minister", "UKR", date(2022, 6, 1), "dmytro-kuleba"),
        ("chief_of_defense", "UKR", date(2023, 1, 1), "valerii-zaluzhnyi"),
        ("foreign_minister", "TUR", date(2020, 1, 1), "mevlut-cavusoglu"),
        ("chief_of_defense", "TUR", date(2020, 1, 1), "yasar-guler"),
        ("head_of_government", "PAK", date(2020, 1, 1), "imran-khan"),
        ("foreign_minister", "CAN", date(2018, 1, 1), "chrystia-freeland"),
        ("head_of_government", "ITA", date(2020, 1, 1), "giuseppe-conte"),
        ("defense_minister", "ISR", date(2021, 1, 1), "benny-gantz"),
        ("chief_of_defense", "ISR", date(2020, 1, 1), "aviv-kochavi"),
        ("head_of_state", "IRN", date(2019, 1, 1), "hassan-rouhani"),
        ("supreme_leader", "IRN", date(2019, 1, 1), "ali-khamenei"),
        ("foreign_minister", "SAU", date(2021, 1, 1), "faisal-bin-farhan"),
        ("head_of_state", "FRA", date(2015, 1, 1), "francois-hollande"),
        ("defense_minister", "FRA", date(2015, 1, 1), "jean-yves-le-drian"),
        ("head_of_government", "DEU", date(2023, 1, 1), "olaf-scholz"),
        ("chief_of_defense", "DEU", date(2024, 1, 1), "carsten-breuer"),
        ("head_of_government", "NZL", date(2020, 1, 1), "jacinda-ardern"),
    ],
)
def test_holder_of_a_post_in_2008_2025(reg, role: str, country: str, day: date, expected: str) -> None:
    assert [p.id for p in reg.holders(role, country, day)] == [expected]


def test_a_post_held_twice_is_two_titles_and_the_gap_between_is_empty(reg) -> None:
    nakatani = reg.people["gen-nakatani"]
    assert [t.held_on(date(2020, 1, 1)) for t in nakatani.titles if t.role == "defense_minister"] == [False, False]
    assert nakatani.title_on(date(2015, 6, 1)).role == "defense_minister"
    assert reg.holders("defense_minister", "JPN", date(2020, 1, 1))[0].id == "taro-kono"


# --- resolution in short texts written for these tests (spaCy's blank English pipeline: no
# model, so no parse and no named entities; the registry's phrases and the dates do the work)
@pytest.fixture(scope="module")
def people_in(reg):
    """text, publication date -> {mention text: (actor id, country)} for the people the actors
    extractor finds in it."""
    import spacy

    from readout.extract.actors import extract_actors

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")

    def run(text: str, published: date) -> dict[str, tuple[str, str | None]]:
        index = extract_actors(nlp(text), reg, published, None)
        return {m.text: (a.id, a.country) for a in index.actors if a.kind == "person" for m in a.mentions}

    return run


@pytest.mark.parametrize(
    ("published", "expected"),
    [(date(2016, 5, 10), "fumio-kishida"), (date(2018, 5, 10), "taro-kono"), (date(2022, 5, 10), "yoshimasa-hayashi")],
)
def test_a_post_named_without_a_name_is_its_holder_on_the_documents_date(people_in, published: date, expected: str) -> None:
    found = people_in("The Japanese foreign minister arrived in Manila on Monday.", published)
    assert found == {"foreign minister": (expected, "JPN")}


def test_japanese_names_family_name_first_resolve(people_in) -> None:
    found = people_in("Foreign Minister HAYASHI Yoshimasa held talks with Mr. KISHI Nobuo, Minister of Defense.", date(2022, 4, 9))
    assert found["HAYASHI Yoshimasa"] == ("yoshimasa-hayashi", "JPN")
    assert found["KISHI Nobuo"] == ("nobuo-kishi", "JPN")
    # the same people, given name first
    found = people_in("Yoshimasa Hayashi met Nobuo Kishi.", date(2022, 4, 9))
    assert set(found.values()) == {("yoshimasa-hayashi", "JPN"), ("nobuo-kishi", "JPN")}


def test_korean_names_with_and_without_the_hyphen_resolve(people_in) -> None:
    found = people_in("Yun Byung Se met Kang Kyung-wha. Cho Tae Yul later met Park Jin.", date(2024, 2, 1))
    assert {k: v[0] for k, v in found.items()} == {
        "Yun Byung Se": "yun-byung-se",
        "Kang Kyung-wha": "kang-kyung-wha",
        "Cho Tae Yul": "cho-tae-yul",
        "Park Jin": "park-jin",
    }


def test_russian_and_indian_name_forms_resolve(people_in) -> None:
    found = people_in("Sergey Viktorovich Lavrov spoke to S. Jaishankar. Later Sergei Lavrov met Subrahmanyam Jaishankar.", date(2023, 3, 2))
    assert {k: v[0] for k, v in found.items()} == {
        "Sergey Viktorovich Lavrov": "sergey-lavrov",
        "Sergei Lavrov": "sergey-lavrov",
        "S. Jaishankar": "s-jaishankar",
        "Subrahmanyam Jaishankar": "s-jaishankar",
    }


def test_one_surname_in_two_countries_stays_two_people(people_in) -> None:
    found = people_in("Penny Wong met Lawrence Wong in Singapore.", date(2024, 6, 1))
    assert found["Penny Wong"] == ("penny-wong", "AUS")
    assert found["Lawrence Wong"] == ("lawrence-wong", "SGP")


def test_one_name_two_people_goes_to_the_one_in_office(people_in) -> None:
    assert people_in("David Johnston visited Tokyo.", date(2014, 6, 1)) == {"David Johnston": ("david-johnston-senator", "AUS")}
    assert people_in("David Johnston visited Tokyo.", date(2025, 6, 1)) == {"David Johnston": ("david-johnston-admiral", "AUS")}


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Britain's Secretary of State for Foreign, Commonwealth and Development Affairs arrived.", date(2023, 6, 1), "james-cleverly"),
        ("Britain's Secretary of State for Foreign and Commonwealth Affairs arrived.", date(2015, 6, 1), "philip-hammond"),
        ("The British Defence Secretary arrived.", date(2022, 6, 1), "ben-wallace"),
        ("The Philippine Secretary of National Defense arrived.", date(2012, 6, 1), "voltaire-gazmin"),
        ("South Korea's Minister of National Defense arrived.", date(2016, 6, 1), "han-min-koo"),
        ("Australia's Minister for Foreign Affairs arrived.", date(2016, 6, 1), "julie-bishop"),
        ("France's Minister for Europe and Foreign Affairs arrived.", date(2019, 6, 1), "jean-yves-le-drian"),
        ("India's Raksha Mantri arrived.", date(2016, 6, 1), "manohar-parrikar"),
        ("The Australian deputy prime minister arrived.", date(2023, 6, 1), "richard-marles"),
        ("Iran's supreme leader received the visitors.", date(2023, 6, 1), "ali-khamenei"),
        ("The Iranian president received the visitors.", date(2023, 6, 1), "ebrahim-raisi"),
    ],
)
def test_role_phrases_resolve_to_the_holder(people_in, text: str, published: date, expected: str) -> None:
    assert [v[0] for v in people_in(text, published).values()] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Britain's Secretary of State for Business and Trade arrived.",  # not the foreign secretary
        "The former Japanese prime minister arrived.",  # not today's prime minister
        "The then US defense secretary arrived.",
        "The British shadow defence secretary arrived.",
        "The Japanese State Minister of Defense arrived.",  # a junior minister, not the minister
        "The Chinese vice premier arrived.",  # not the premier
        "The British Chancellor of the Exchequer arrived.",  # not a head of government
        "The US president-elect arrived.",
    ],
)
def test_role_phrases_that_name_another_post_or_time_stay_unresolved(people_in, text: str) -> None:
    assert people_in(text, date(2023, 6, 1)) == {}
