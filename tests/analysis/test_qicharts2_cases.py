"""The engine against 37 reference cases computed with qicharts2 0.8.1 (shared/fixtures)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from app.analysis import QicResult, qic

TOLERANCE = 1e-9
CASES_FILE = "fixtures/qicharts2-cases.json"


def _cases_path() -> Path | None:
    beside_repo = Path(__file__).resolve().parents[3] / "shared" / CASES_FILE
    if beside_repo.is_file():
        return beside_repo
    configured = os.environ.get("FRAMSTEG_SHARED_DIR")
    if configured and (Path(configured) / CASES_FILE).is_file():
        return Path(configured) / CASES_FILE
    return None


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
    if _cases_path() is None:
        pytest.skip("reference cases not available")
    assert len(CASES) == 37


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
