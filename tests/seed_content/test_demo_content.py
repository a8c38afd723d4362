"""Consistency checks of the demo content (pure data; no database)."""

from __future__ import annotations

import dataclasses
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from seed.content.builders import person, span_weeks
from seed.content.demo import DEMO_ACCOUNTS, INITIATIVES, PEOPLE, PROGRAM
from seed.content.library import LIBRARY
from seed.content.series import generate_measure_series, generate_series
from seed.content.timeline import (
    WEEKS_PER_MONTH,
    convert_ago,
    convert_index,
    format_date_sv,
    periods_ago,
    render_aim,
    start_date,
)
from seed.content.types import (
    AIM_DATE_PLACEHOLDER,
    TEAM_ROLE_LABELS_SV,
    TEAM_ROLES,
    InitiativeSpec,
    LevelSpec,
    MeasureSpec,
    OrganisationSpec,
    SeriesSpec,
)

PERSONNUMMER = re.compile(r"\d{6}[-+]?\d{4}")
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
EMAIL = re.compile(r"^[a-z]+(?:-[a-z]+)*\.[a-z]+(?:-[a-z]+)*@[a-z0-9-]+\.example\.se$")

MEASURES = [(initiative, measure) for initiative in INITIATIVES for measure in initiative.measures]
PERSON_KEYS = {p.key for p in PEOPLE}


def _ids(items: list[tuple[InitiativeSpec, MeasureSpec]]) -> list[str]:
    return [measure.key for _, measure in items]


def _strings(obj: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside a (nested) dataclass/tuple structure, with its path."""
    if isinstance(obj, str):
        yield path, obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for field in dataclasses.fields(obj):
            yield from _strings(getattr(obj, field.name), f"{path}.{field.name}")
    elif isinstance(obj, tuple | list):
        for i, item in enumerate(obj):
            yield from _strings(item, f"{path}[{i}]")


def _sentences(text: str) -> int:
    return len(SENTENCE_END.findall(text))


# --- keys and references ---------------------------------------------------------------------------------


def test_keys_are_unique() -> None:
    for name, keys in {
        "person": [p.key for p in PEOPLE],
        "email": [p.email for p in PEOPLE],
        "initiative": [i.key for i in INITIATIVES],
        "measure": [m.key for _, m in MEASURES],
        "pdsa": [c.key for i in INITIATIVES for c in i.pdsa_cycles],
    }.items():
        duplicates = {k for k in keys if keys.count(k) > 1}
        assert not duplicates, f"duplicate {name} keys: {duplicates}"
    organisations: dict[str, OrganisationSpec] = {}
    for initiative in INITIATIVES:
        org = initiative.organisation
        assert organisations.setdefault(org.key, org) == org, f"organisation key {org.key} reused"
    names = [o.name for o in organisations.values()]
    assert len(names) == len(set(names))


def test_person_references_exist() -> None:
    referenced = set(PROGRAM.coordinators) | {a.person for a in DEMO_ACCOUNTS}
    for initiative in INITIATIVES:
        referenced |= {m.person for m in initiative.team}
        referenced |= {lesson.author for lesson in initiative.lessons}
        referenced |= {review.reviewer for review in initiative.reviews}
    assert referenced <= PERSON_KEYS, referenced - PERSON_KEYS


def test_every_person_is_used() -> None:
    used = set(PROGRAM.coordinators) | {a.person for a in DEMO_ACCOUNTS}
    for initiative in INITIATIVES:
        used |= {m.person for m in initiative.team} | {r.reviewer for r in initiative.reviews}
        used |= {lesson.author for lesson in initiative.lessons}
    assert used >= PERSON_KEYS, PERSON_KEYS - used


def test_pdsa_references_exist_and_ramps_are_acyclic() -> None:
    for initiative in INITIATIVES:
        measure_keys = {m.key for m in initiative.measures}
        cycles = {c.key: c for c in initiative.pdsa_cycles}
        for cycle in initiative.pdsa_cycles:
            assert cycle.linked_measures, cycle.key
            assert set(cycle.linked_measures) <= measure_keys, cycle.key
            assert len(set(cycle.linked_measures)) == len(cycle.linked_measures), cycle.key
            seen = {cycle.key}
            previous = cycle.previous
            while previous is not None:
                assert previous in cycles, f"{cycle.key}: unknown previous {previous}"
                assert previous not in seen, f"{cycle.key}: cyclic ramp"
                assert cycles[previous].start_period_index <= cycle.start_period_index
                seen.add(previous)
                previous = cycles[previous].previous


def test_demo_accounts() -> None:
    roles = {a.person: (a.role, a.scope) for a in DEMO_ACCOUNTS}
    organisation_keys = {i.organisation.key for i in INITIATIVES}
    initiative_keys = {i.key for i in INITIATIVES}
    for key in ("admin", "coordinator", "leader_falkenberg", "member_falkenberg", "viewer_falkenberg"):
        assert key in roles
    assert {"leader_uppsala", "member_uppsala"} <= set(roles)
    for account in DEMO_ACCOUNTS:
        if account.role == "admin":
            assert account.scope is None
        elif account.role == "coordinator":
            assert account.scope == PROGRAM.key
        elif account.role in ("leader", "viewer"):
            assert account.scope in organisation_keys
        else:
            assert account.scope in initiative_keys
    by_key = {i.key: i for i in INITIATIVES}
    for member in ("member_falkenberg", "member_uppsala"):
        scope = roles[member][1]
        assert scope is not None
        assert member in {m.person for m in by_key[scope].team}
    for leader in ("leader_falkenberg", "leader_uppsala"):
        scope = roles[leader][1]
        reviewed = [i for i in INITIATIVES if i.organisation.key == scope and i.reviews]
        assert reviewed
        assert all(r.reviewer == leader for i in reviewed for r in i.reviews)


def test_people_have_example_addresses() -> None:
    for p in PEOPLE:
        assert EMAIL.match(p.email), p.email
        assert p.email.isascii()
        assert len(p.name.split()) >= 2, p.name


# --- programme shape -----------------------------------------------------------------------------------


def test_programme_size_and_variety() -> None:
    assert len(INITIATIVES) >= 12
    statuses = [i.status for i in INITIATIVES]
    assert statuses.count("active") > len(INITIATIVES) / 2
    for status in ("sustaining", "completed", "draft"):
        assert status in statuses
    assert {"green", "amber", "red", None} <= {i.rag for i in INITIATIVES}
    assert {m.data_type for _, m in MEASURES} == {"value", "proportion", "rate", "count"}
    assert {m.frequency for _, m in MEASURES} == {"week", "month"}
    assert {m.kind for _, m in MEASURES} == {"outcome", "process", "balancing"}
    assert any(m.series.ends_periods_ago >= 2 for _, m in MEASURES), "no stale series"
    roles = {m.role for i in INITIATIVES for m in i.team}
    assert {"brukarrepresentant", "anhorig", "brukarutvecklare"} <= roles


def test_initiative_shape() -> None:
    for initiative in INITIATIVES:
        key = initiative.key
        assert 3 <= len(initiative.team) <= 6, key
        assert len({m.person for m in initiative.team}) == len(initiative.team), key
        assert len({m.role for m in initiative.team}) >= 3, key
        assert 2 <= len(initiative.measures) <= 4, key
        kinds = {m.kind for m in initiative.measures}
        assert {"outcome", "process"} <= kinds, key
        assert 2 <= len(initiative.pdsa_cycles) <= 5, key
        assert 2 <= len(initiative.lessons) <= 4, key
        assert len(initiative.reviews) <= 3, key
        assert 0 < initiative.started_weeks_ago <= PROGRAM.started_weeks_ago, key
        if initiative.status in ("completed", "stopped"):
            assert initiative.ended_weeks_ago is not None, key
            assert 0 <= initiative.ended_weeks_ago < initiative.started_weeks_ago, key
        else:
            assert initiative.ended_weeks_ago is None, key
        if initiative.rag is None:
            assert not initiative.reviews or initiative.status == "draft", key
        elif initiative.reviews:
            latest = min(initiative.reviews, key=lambda r: r.weeks_ago)
            assert latest.rag == initiative.rag, key


def test_team_roles() -> None:
    assert set(TEAM_ROLE_LABELS_SV) == set(TEAM_ROLES)
    assert all(role.isascii() for role in TEAM_ROLES)
    for initiative in INITIATIVES:
        for member in initiative.team:
            assert member.role in TEAM_ROLES


def test_pdsa_ramp_exists() -> None:
    ramps = [
        (i.key, c.key)
        for i in INITIATIVES
        for c in i.pdsa_cycles
        if c.previous is not None and next(p for p in i.pdsa_cycles if p.key == c.previous).act == "adapt"
    ]
    assert len(ramps) >= 3


def test_pdsa_status_and_act_agree() -> None:
    for initiative in INITIATIVES:
        for cycle in initiative.pdsa_cycles:
            if cycle.status in ("planned", "running"):
                assert cycle.act is None, cycle.key
            else:
                assert cycle.act is not None, cycle.key
                assert cycle.end_period_index is not None, cycle.key
            if cycle.end_period_index is not None:
                assert cycle.end_period_index >= cycle.start_period_index, cycle.key
            if cycle.new_phase:
                assert cycle.status != "planned", cycle.key
        if initiative.status == "draft":
            assert all(c.status == "planned" for c in initiative.pdsa_cycles)
        else:
            assert any(c.new_phase for c in initiative.pdsa_cycles), initiative.key


def test_time_references_are_in_range() -> None:
    for initiative in INITIATIVES:
        primary = initiative.primary_measure
        frame_end = primary.series.n_periods + primary.series.ends_periods_ago
        per_week = 1.0 if primary.frequency == "week" else 1 / WEEKS_PER_MONTH
        for cycle in initiative.pdsa_cycles:
            assert 0 <= cycle.start_period_index <= frame_end + 12, cycle.key
            if cycle.status != "planned":
                assert cycle.start_period_index <= frame_end, cycle.key
            if cycle.status == "done" and cycle.end_period_index is not None:
                assert cycle.end_period_index < frame_end, cycle.key
        for lesson in initiative.lessons:
            assert 0 <= lesson.period_index <= frame_end, initiative.key
        for review in initiative.reviews:
            assert 0 <= review.weeks_ago <= initiative.started_weeks_ago, initiative.key
            assert review.next_review_in_weeks > 0
        # Nothing happens long before the initiative started.
        earliest = min(
            [c.start_period_index for c in initiative.pdsa_cycles]
            + [lesson.period_index for lesson in initiative.lessons]
        )
        assert periods_ago(primary, earliest) <= initiative.started_weeks_ago * per_week + 1, initiative.key


def test_aims_have_a_date_placeholder() -> None:
    today = date(2026, 3, 12)
    for initiative in INITIATIVES:
        assert initiative.aim.count(AIM_DATE_PLACEHOLDER) == 1, initiative.key
        assert initiative.primary_measure.target_weeks_from_start is not None, initiative.key
        rendered = render_aim(initiative, today)
        assert "{" not in rendered
        assert "}" not in rendered
        assert re.search(r"den \d{1,2} [a-zé]+ 20\d\d", rendered), rendered
        assert re.search(r"\d", rendered.replace(AIM_DATE_PLACEHOLDER, "")), "SMART aim needs a number"


# --- measures ----------------------------------------------------------------------------------------------


def test_shared_library_measures_are_identical_across_organisations() -> None:
    by_library: dict[str, list[tuple[InitiativeSpec, MeasureSpec]]] = defaultdict(list)
    for initiative, measure in MEASURES:
        if measure.library_key is not None:
            by_library[measure.library_key].append((initiative, measure))
    library = {lib.library_key: lib for lib in LIBRARY}
    widely_shared = 0
    for library_key, uses in by_library.items():
        lib = library[library_key]
        for _, measure in uses:
            assert (measure.name, measure.definition, measure.unit) == (lib.name, lib.definition, lib.unit)
            assert (measure.chart, measure.rate_multiplier) == (lib.chart, lib.rate_multiplier)
            assert (measure.kind, measure.data_type, measure.direction, measure.frequency) == (
                lib.kind,
                lib.data_type,
                lib.direction,
                lib.frequency,
            )
        organisations = {initiative.organisation.key for initiative, _ in uses}
        assert len(organisations) == len(uses), f"{library_key} used twice in one organisation"
        if len(organisations) >= 5:
            widely_shared += 1
    assert widely_shared >= 2


def test_same_measure_name_means_same_definition() -> None:
    definitions: dict[str, set[str]] = defaultdict(set)
    for _, measure in MEASURES:
        definitions[measure.name].add(measure.definition)
    assert all(len(d) == 1 for d in definitions.values())
    names = [m.name for _, m in MEASURES if m.library_key is None]
    assert len(names) == len(set(names)), "a non-library measure name is reused"


@pytest.mark.parametrize(("initiative", "measure"), MEASURES, ids=_ids(MEASURES))
def test_measure_spec(initiative: InitiativeSpec, measure: MeasureSpec) -> None:
    series = measure.series
    assert 2 <= _sentences(measure.definition) <= 5, measure.key
    assert len(measure.name) <= 200
    assert len(measure.unit) <= 50
    if measure.frequency == "week":
        assert 20 <= series.n_periods <= 60
    else:
        assert 8 <= series.n_periods <= 24
    assert 0 <= series.ends_periods_ago <= 4
    froms = [level.from_period for level in series.levels]
    assert froms[0] == 0
    assert froms == sorted(set(froms))
    assert froms[-1] < series.n_periods
    assert all(level.sd >= 0 for level in series.levels)
    assert all(0 < gap < series.n_periods - 1 for gap in series.gaps)
    assert all(0 <= index < series.n_periods for index, _ in series.comments)
    if measure.data_type in ("proportion", "rate"):
        assert series.denominator_mean is not None
        assert series.denominator_mean > 0
    else:
        assert series.denominator_mean is None
    if measure.data_type == "proportion":
        assert measure.unit == "%"
        assert all(0 <= level.mean <= 100 for level in series.levels)
        for bound in (measure.baseline, measure.target):
            assert bound is None or 0 <= bound <= 100
    if measure.data_type == "rate":
        assert measure.rate_multiplier > 1
    else:
        assert measure.rate_multiplier == 1.0
    if measure.freeze is not None:
        assert 2 <= measure.freeze <= series.n_periods
    # Baseline sits at the first level, the target on the desired side of it.
    first = series.levels[0].mean
    if measure.baseline is not None:
        assert abs(measure.baseline - first) <= max(1.0, 0.1 * abs(first)), measure.key
    if measure.baseline is not None and measure.target is not None:
        if measure.direction == "increase":
            assert measure.target > measure.baseline, measure.key
        else:
            assert measure.target < measure.baseline, measure.key
    assert (measure.target is None) == (measure.target_weeks_from_start is None), measure.key


@pytest.mark.parametrize(("initiative", "measure"), MEASURES, ids=_ids(MEASURES))
def test_generated_points(initiative: InitiativeSpec, measure: MeasureSpec) -> None:
    points = generate_measure_series(measure)
    assert points == generate_measure_series(measure), "series must be deterministic"
    if measure.frequency == "week":
        assert 20 <= len(points) <= 60, measure.key
    else:
        assert 8 <= len(points) <= 24, measure.key
    indices = [p.index for p in points]
    assert indices == sorted(indices)
    assert not set(indices) & set(measure.series.gaps)
    assert len(points) == measure.series.n_periods - len(set(measure.series.gaps))
    for point in points:
        assert point.value is not None
        assert math.isfinite(point.value)
        if measure.data_type == "proportion":
            assert point.numerator is not None
            assert point.denominator is not None
            assert point.numerator == int(point.numerator)
            assert point.denominator == int(point.denominator)
            assert 0 <= point.numerator <= point.denominator
            assert point.denominator > 0
            assert point.value == pytest.approx(100 * point.numerator / point.denominator)
        elif measure.data_type == "rate":
            assert point.numerator is not None
            assert point.denominator is not None
            assert point.numerator == int(point.numerator)
            assert point.numerator >= 0
            assert point.denominator == int(point.denominator)
            assert point.denominator > 0
            expected = point.numerator / point.denominator * measure.rate_multiplier
            assert point.value == pytest.approx(expected)
        elif measure.data_type == "count":
            assert point.numerator is None
            assert point.denominator is None
            assert point.value >= 0
            assert point.value == int(point.value)
        else:
            assert point.numerator is None
            assert point.denominator is None
        if measure.series.clip_min is not None and measure.data_type == "value":
            assert point.value >= measure.series.clip_min


def test_series_is_deterministic_and_seed_dependent() -> None:
    spec = SeriesSpec(n_periods=30, levels=(LevelSpec(0, 40.0, 3.0),), denominator_mean=50.0, seed=7)
    first = generate_series(spec, "proportion")
    assert first == generate_series(spec, "proportion")
    assert first != generate_series(dataclasses.replace(spec, seed=8), "proportion")


def test_gaps_do_not_shift_other_points() -> None:
    spec = SeriesSpec(n_periods=20, levels=(LevelSpec(0, 10.0, 1.0),), seed=3)
    full = generate_series(spec, "value")
    gapped = generate_series(dataclasses.replace(spec, gaps=(5,)), "value")
    assert gapped == [p for p in full if p.index != 5]


def test_new_phase_cycles_coincide_with_level_changes() -> None:
    for initiative in INITIATIVES:
        primary = initiative.primary_measure
        measures = {m.key: m for m in initiative.measures}
        for cycle in (c for c in initiative.pdsa_cycles if c.new_phase):
            for key in cycle.linked_measures:
                measure = measures[key]
                if measure.kind == "balancing":
                    continue  # balancing measures are watched for unwanted change, usually none
                index = convert_index(cycle.start_period_index, source=primary, target=measure)
                if index <= 0 or index >= measure.series.n_periods:
                    continue  # the cycle lies outside this series
                froms = {level.from_period for level in measure.series.levels}
                if measure.frequency == primary.frequency:
                    assert index in froms, f"{cycle.key}: no level change in {key} at {index}"
                else:
                    window = range(index - 1, index + 2)
                    assert froms & set(window), f"{cycle.key}: no level change in {key} near {index}"


# --- texts ---------------------------------------------------------------------------------------------


def test_no_empty_texts_and_no_personnummer() -> None:
    for root in (PROGRAM, PEOPLE, INITIATIVES, DEMO_ACCOUNTS):
        for path, text in _strings(root):
            assert text, f"empty text at {path}"
            assert text.strip() == text, f"padded text at {path}"
            assert not PERSONNUMMER.search(text), f"personnummer-like string at {path}"


def test_narrative_texts_have_three_to_six_sentences() -> None:
    for initiative in INITIATIVES:
        for field in ("problem", "rationale", "what_we_did", "results"):
            count = _sentences(getattr(initiative, field))
            assert 3 <= count <= 6, f"{initiative.key}.{field}: {count} sentences"
        assert len(initiative.title) <= 200
        assert len(initiative.target_group) <= 300
        for lesson in initiative.lessons:
            assert 1 <= _sentences(lesson.text) <= 4, initiative.key
            assert lesson.tags, initiative.key


def test_no_text_is_copied_between_initiatives() -> None:
    """Apart from library measures, no sentence of 40+ characters appears in two initiatives."""
    owner: dict[str, str] = {}
    library_texts = {lib.definition for lib in LIBRARY} | {lib.name for lib in LIBRARY}
    for initiative in INITIATIVES:
        sentences: set[str] = set()
        for path, text in _strings(initiative):
            if text in library_texts or ".organisation" in path:
                continue
            sentences |= {s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) >= 40}
        for sentence in sentences:
            assert owner.setdefault(sentence, initiative.key) == initiative.key, sentence


# --- helpers and fixed points ----------------------------------------------------------------------------


def test_organisation_names_contain_the_municipality() -> None:
    for initiative in INITIATIVES:
        org = initiative.organisation
        assert org.name.startswith(org.municipality), org.name
        assert " kommun, " in org.name, org.name


def test_person_builder_folds_swedish_letters() -> None:
    assert person("x", "Åsa Öberg-Näslund", "Ånge").email == "asa.oberg-naslund@ange.example.se"


def test_time_helpers() -> None:
    assert span_weeks(40, "week", 3) == 43
    assert span_weeks(12, "month") == 52
    assert convert_ago(5, "week", "week") == 5
    assert convert_ago(3, "month", "week") == 12  # at or after the start of the month
    assert convert_ago(9, "week", "month") == 2
    assert format_date_sv(date(2027, 3, 3)) == "den 3 mars 2027"
    falkenberg = next(i for i in INITIATIVES if i.key == "falkenberg_aktivitet")
    today = date(2026, 11, 25)  # a Wednesday
    start = start_date(falkenberg, today)
    assert start.weekday() == 0
    assert (date(2026, 11, 23) - start).days == 7 * falkenberg.started_weeks_ago


def test_ange_matches_the_design_example() -> None:
    """DESIGN.md §3: baseline 21, now 16, target 14, direction decrease -> progress about 71 %."""
    ange = next(i for i in INITIATIVES if i.key == "ange_kontinuitet")
    measure = ange.primary_measure
    current = statistics.median(p.value or 0.0 for p in generate_measure_series(measure)[-3:])
    assert (measure.baseline, measure.target, measure.direction) == (21.0, 14.0, "decrease")
    assert current == pytest.approx(16.0, abs=0.3)
    assert 100 * (current - 21.0) / (14.0 - 21.0) == pytest.approx(71.4, abs=5)


def _source_texts() -> str | None:
    """The booklet and other sources, when shared/ lies beside the work tree (as locally and in CI)."""
    root = Path(__file__).resolve().parents[2]
    for candidate in (root.parent / "shared" / "sources", root / "shared" / "sources"):
        if candidate.is_dir():
            return "\n".join(p.read_text(encoding="utf-8") for p in sorted(candidate.glob("*.txt")))
    return None


def test_texts_are_not_copied_from_the_sources() -> None:
    """All prose is our own: no run of six words is taken from the source texts."""
    source = _source_texts()
    if source is None:
        pytest.skip("shared/sources not available")
    n = 6
    words = re.findall(r"\w+", source.lower())
    source_grams = {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
    for root in (PROGRAM, INITIATIVES):
        for path, text in _strings(root):
            own = re.findall(r"\w+", text.lower())
            copied = [
                " ".join(own[i : i + n]) for i in range(len(own) - n + 1) if tuple(own[i : i + n]) in source_grams
            ]
            assert not copied, f"{path}: {copied[0]!r}"
