"""The engine against 37 reference cases computed with qicharts2 0.8.1 (shared/fixtures)."""

from __future__ import annotations

import json
import math
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.analysis import Observation, QicResult, analyse, period_from_index, period_index, qic

TOLERANCE = 1e-9
CASES_FILE = "fixtures/qicharts2-cases.json"


def _cases_path() -> Path | None:
    """shared/fixtures beside the repository or under $FRAMSTEG_SHARED_DIR when present (the source), else
    the copy in tests/analysis/reference, so the cases also run in a clone on its own."""
    beside_repo = Path(__file__).resolve().parents[3] / "shared" / CASES_FILE
    if beside_repo.is_file():
        return beside_repo
    configured = os.environ.get("FRAMSTEG_SHARED_DIR")
    if configured and (Path(configured) / CASES_FILE).is_file():
        return Path(configured) / CASES_FILE
    copy = Path(__file__).resolve().parent / "reference" / Path(CASES_FILE).name
    return copy if copy.is_file() else None


def _load_cases() -> list[Any]:
    path = _cases_path()
    if path is None:
        reason = f"{CASES_FILE} not found beside the repository nor under $FRAMSTEG_SHARED_DIR"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-fixtures")]
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    return [pytest.param(case, id=case["name"]) for case in cases]


CASES = _load_cases()


def _close(actual: float | None, expected: float | None) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    return math.isclose(actual, expected, rel_tol=TOLERANCE, abs_tol=0.0)


def _run(case: dict[str, Any]) -> QicResult:
    given = case["input"]
    after = given.get("phase_starts_after")
    return qic(
        given["chart"],
        values=given.get("values"),
        numerators=given.get("numerators"),
        denominators=given.get("denominators"),
        freeze=given.get("freeze"),
        phase_starts_after=[after] if after is not None else (),
    )


def test_all_reference_cases_are_present() -> None:
    assert _cases_path() is not None
    assert len(CASES) == 37


def test_the_copy_matches_the_shared_fixtures() -> None:
    shared = _cases_path()
    copy = Path(__file__).resolve().parent / "reference" / Path(CASES_FILE).name
    if shared == copy or shared is None:
        pytest.skip("shared/fixtures not beside the repository: the copy is all there is")
    assert json.loads(copy.read_text(encoding="utf-8")) == json.loads(shared.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES)
def test_points_match_qicharts2(case: dict[str, Any]) -> None:
    result = _run(case)
    expected = case["expected"]["points"]
    assert len(result.points) == len(expected)
    for index, (got, want) in enumerate(zip(result.points, expected, strict=True)):
        for field in ("y", "cl", "lcl", "ucl"):
            assert _close(getattr(got, field), want[field]), (index, field, getattr(got, field), want[field])
        assert got.phase == want["phase"], index
        assert got.outside_limits == want["outside_limits"], index


@pytest.mark.parametrize("case", CASES)
def test_runs_analysis_matches_qicharts2(case: dict[str, Any]) -> None:
    result = _run(case)
    got = [
        {
            "phase": phase.phase,
            "n_obs": phase.runs.n_obs,
            "n_useful": phase.runs.n_useful,
            "longest_run": phase.runs.longest_run,
            "longest_run_max": phase.runs.longest_run_max,
            "crossings": phase.runs.crossings,
            "crossings_min": phase.runs.crossings_min,
            "runs_signal": phase.runs.signal,
        }
        for phase in result.phases
    ]
    assert got == case["expected"]["phases"]


DATA_TYPES = {"run": "value", "i": "value", "p": "proportion", "u": "rate", "c": "count"}


@pytest.mark.parametrize("case", CASES)
def test_analyse_agrees_with_qicharts2(case: dict[str, Any]) -> None:
    """The public entry, fed the same series as monthly observations, gives the same chart."""
    given, expected = case["input"], case["expected"]
    chart = given["chart"]
    scale = 100.0 if chart == "p" else 1.0
    if chart in ("p", "u"):
        pairs = list(zip(given["numerators"], given["denominators"], strict=True))
        raw = [(num / den * scale, num, den) if num is not None else (None, None, None) for num, den in pairs]
    else:
        raw = [(v, None, None) for v in given["values"]]
    start = period_index("2020-01")
    observations = [
        Observation(period_from_index(start + k, "month"), value, num, den) for k, (value, num, den) in enumerate(raw)
    ]
    # qicharts2 counts frozen periods, gaps included; analyse counts measurements.
    freeze = given.get("freeze")
    after = given.get("phase_starts_after")
    result = analyse(
        observations,
        data_type=DATA_TYPES[chart],  # type: ignore[arg-type]
        chart=chart,
        freeze=sum(v is not None for v, _, _ in raw[:freeze]) if freeze else None,
        phase_starts=[period_from_index(start + after, "month")] if after else (),
        direction="increase",
        frequency="month",
        as_of=date(2030, 1, 1),
    )
    measured = [p for p in expected["points"] if p["y"] is not None]
    assert result.n == len(measured)
    for got, want in zip(result.points, measured, strict=True):
        for field, wanted in (("value", want["y"]), ("cl", want["cl"]), ("lcl", want["lcl"]), ("ucl", want["ucl"])):
            scaled = wanted * scale if wanted is not None else None
            assert _close(getattr(got, field), scaled), (got.period, field)
        assert got.phase == want["phase"]
    assert [k for k, p in enumerate(measured) if p["outside_limits"]] == list(result.outside_limits)
    last_phase = expected["phases"][-1]
    assert (result.runs.n_useful, result.runs.longest_run, result.runs.crossings, result.runs.signal) == (
        last_phase["n_useful"],
        last_phase["longest_run"],
        last_phase["crossings"],
        last_phase["runs_signal"],
    )
