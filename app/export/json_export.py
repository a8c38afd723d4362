"""The programme export as JSON (DESIGN §4): one entry per visible initiative."""

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from app.export.summary import InitiativeSummary, MeasureSummary, ProgramSummary


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def measure_dict(m: MeasureSummary) -> dict[str, Any]:
    return {
        "id": m.id,
        "name": m.name,
        "kind": m.kind,
        "data_type": m.data_type,
        "unit": m.unit,
        "definition": m.definition,
        "direction": m.direction,
        "frequency": m.frequency,
        "baseline": m.baseline,
        "target": m.target,
        "target_date": _plain(m.target_date),
        "current": m.current,
        "progress_pct": m.progress_pct,
        "target_met": m.target_met,
        "improving": m.improving,
        "stale": m.stale,
        "suggested_rag": m.suggested_rag,
        "variation": m.variation,
        "assurance": m.assurance,
        "chart": m.chart,
        "signals": m.signals,
        "n": len(m.points),
        "last_period": m.last_period,
    }


def initiative_dict(i: InitiativeSummary) -> dict[str, Any]:
    return {
        "id": i.id,
        "title": i.title,
        "organisation": i.organisation,
        "organisation_id": i.organisation_id,
        "municipality": i.municipality,
        "program": i.program,
        "status": i.status,
        "rag": i.rag,
        "started_on": _plain(i.started_on),
        "ends_on": _plain(i.ends_on),
        "team": [{"name": t.name, "role": t.role, "role_code": t.role_code} for t in i.team],
        "problem": i.problem,
        "rationale": i.rationale,
        "target_group": i.target_group,
        "aim": i.aim,
        "what_we_did": i.what_we_did,
        "results": i.results,
        "lessons": [{**asdict(x), "date": x.date.isoformat()} for x in i.lessons],
        "measures": [measure_dict(m) for m in i.measures],
    }


def summary_dict(summary: ProgramSummary) -> dict[str, Any]:
    program = summary.program
    return {
        "program": None
        if program is None
        else {
            "id": program.id,
            "name": program.name,
            "description": program.description,
            "starts_on": _plain(program.starts_on),
            "ends_on": _plain(program.ends_on),
        },
        "organisation": summary.organisation_name,
        "title": summary.title,
        "generated_at": summary.generated_at.isoformat(),
        "language": summary.language,
        "initiatives": [initiative_dict(i) for i in summary.initiatives],
    }


def render_json(summary: ProgramSummary) -> bytes:
    return json.dumps(summary_dict(summary), ensure_ascii=False, indent=2).encode("utf-8")
