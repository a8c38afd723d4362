"""Measures, measurements, import, analysis and chart endpoints of the JSON API (DESIGN §4)."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.models import Initiative, Measure, User
from app.models.enums import Role
from tests.support.web import WebClient

MEASURE = {
    "name": "Handläggningstid",
    "kind": "outcome",
    "data_type": "value",
    "unit": "dagar",
    "definition": "Dagar från ansökan till beslut, median per vecka.",
    "direction": "decrease",
    "frequency": "week",
    "baseline": 21,
    "target": 14,
}


class Api:
    """A client acting with a Bearer token, as scripts and other systems do."""

    def __init__(self, client: WebClient, db: Session, user: User) -> None:
        self.client = client
        _, token = create_api_token(db, user, "test")
        # Like a login, make the test data outlive a request that fails and rolls back.
        db.commit()
        self.headers = {"Authorization": f"Bearer {token}"}

    def __getattr__(self, method: str) -> Any:
        def call(url: str, **kwargs: Any) -> Any:
            headers = {**self.headers, **kwargs.pop("headers", {})}
            return self.client.request(method.upper(), "/api/v1" + url, headers=headers, **kwargs)

        return call


@pytest.fixture
def initiative(make: Any) -> Initiative:
    return make.initiative()  # type: ignore[no-any-return]


@pytest.fixture
def member(client: WebClient, db: Session, make: Any, initiative: Initiative) -> Api:
    return Api(client, db, make.user(Role.MEMBER, initiative))


@pytest.fixture
def viewer(client: WebClient, db: Session, make: Any, initiative: Initiative) -> Api:
    return Api(client, db, make.user(Role.VIEWER, initiative.organisation))


@pytest.fixture
def stranger(client: WebClient, db: Session, make: Any) -> Api:
    return Api(client, db, make.user(Role.MEMBER, make.initiative()))


@pytest.fixture
def measure(db: Session, make: Any, initiative: Initiative) -> Measure:
    created: Measure = make.measure(initiative, baseline=21.0, target=14.0)
    db.commit()
    return created


def test_create_list_read_update_delete_measure(member: Api, initiative: Initiative) -> None:
    created = member.post(f"/initiatives/{initiative.id}/measures", json=MEASURE)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["version"] == 1
    assert body["chart"] == "auto"
    listed = member.get(f"/initiatives/{initiative.id}/measures").json()
    assert (listed["total"], listed["limit"], listed["offset"]) == (1, 50, 0)
    assert listed["items"][0]["id"] == body["id"]
    assert member.get(f"/measures/{body['id']}").json()["name"] == "Handläggningstid"

    patched = member.patch(f"/measures/{body['id']}", json={"version": 1, "target": 12, "baseline": None})
    assert patched.status_code == 200, patched.text
    assert (patched.json()["target"], patched.json()["baseline"], patched.json()["version"]) == (12, None, 2)
    stale = member.patch(f"/measures/{body['id']}", json={"version": 1, "target": 10})
    assert stale.status_code == 409
    assert isinstance(stale.json()["detail"], str)

    assert member.delete(f"/measures/{body['id']}").status_code == 204
    assert member.get(f"/measures/{body['id']}").status_code == 404
    assert member.get(f"/initiatives/{initiative.id}/measures").json()["total"] == 0


@pytest.mark.parametrize(
    "change",
    [
        {"definition": ""},
        {"definition": None},
        {"name": "x" * 201},
        {"kind": "secret"},
        {"freeze": 1},
        {"freeze": 2**40},
        {"rate_multiplier": 0},
        {"baseline": 1e13},
        {"target_date": "not a date"},
        {"chart": "p"},
        {"unexpected": 1},
        {"name": "Mått\x1f med styrtecken"},
        {"unit": "st\x07"},
    ],
)
def test_create_measure_rejects_bad_input(member: Api, initiative: Initiative, change: dict[str, Any]) -> None:
    response = member.post(f"/initiatives/{initiative.id}/measures", json={**MEASURE, **change})
    assert response.status_code == 422, response.text
    assert {"loc", "msg", "type"} <= set(response.json()["detail"][0])


@pytest.mark.parametrize("number", ["1e999", "NaN", "-Infinity"])
def test_non_finite_numbers_are_422(member: Api, initiative: Initiative, measure: Measure, number: str) -> None:
    headers = {**member.headers, "Content-Type": "application/json"}
    body = '{"period": "2024-W01", "value": ' + number + "}"
    assert member.post(f"/measures/{measure.id}/measurements", content=body, headers=headers).status_code == 422
    raw = '{"name": "x", "kind": "outcome", "data_type": "value", "definition": "d", "direction": "increase", '
    raw += '"frequency": "week", "target": ' + number + "}"
    assert member.post(f"/initiatives/{initiative.id}/measures", content=raw, headers=headers).status_code == 422


def test_missing_definition_is_refused(member: Api, initiative: Initiative) -> None:
    body = {k: v for k, v in MEASURE.items() if k != "definition"}
    assert member.post(f"/initiatives/{initiative.id}/measures", json=body).status_code == 422


def test_patch_null_for_required_field_is_422(member: Api, measure: Measure) -> None:
    response = member.patch(f"/measures/{measure.id}", json={"version": measure.version, "name": None})
    assert response.status_code == 422
    assert member.patch(f"/measures/{measure.id}", json={"target": 3}).status_code == 422  # no version


def test_access_403_for_readers_404_for_strangers(
    viewer: Api, stranger: Api, initiative: Initiative, measure: Measure
) -> None:
    assert viewer.get(f"/measures/{measure.id}").status_code == 200
    assert viewer.get(f"/measures/{measure.id}/analysis").status_code == 200
    assert viewer.post(f"/initiatives/{initiative.id}/measures", json=MEASURE).status_code == 403
    assert viewer.patch(f"/measures/{measure.id}", json={"version": 1, "target": 3}).status_code == 403
    assert viewer.delete(f"/measures/{measure.id}").status_code == 403
    assert (
        viewer.post(f"/measures/{measure.id}/measurements", json={"period": "2024-W01", "value": 1}).status_code == 403
    )
    for url in (
        f"/measures/{measure.id}",
        f"/measures/{measure.id}/measurements",
        f"/measures/{measure.id}/analysis",
        f"/measures/{measure.id}/chart.svg",
        f"/initiatives/{initiative.id}/measures",
    ):
        assert stranger.get(url).status_code == 404, url
    assert (
        stranger.post(f"/measures/{measure.id}/measurements", json={"period": "2024-W01", "value": 1}).status_code
        == 404
    )
    assert stranger.delete(f"/measures/{measure.id}").status_code == 404


def test_unauthenticated_is_401(client: WebClient, measure: Measure) -> None:
    assert client.get(f"/api/v1/measures/{measure.id}").status_code == 401
    bad = client.get(f"/api/v1/measures/{measure.id}", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_measurements_post_put_delete(member: Api, measure: Measure) -> None:
    url = f"/measures/{measure.id}/measurements"
    created = member.post(url, json={"period": "2024-W07", "value": 16, "comment": "Ny rutin"})
    assert created.status_code == 201, created.text
    row = created.json()
    assert (row["period"], row["value"], row["comment"], row["version"]) == ("2024-W07", 16, "Ny rutin", 1)
    assert member.post(url, json={"period": "2024-W07", "value": 17}).status_code == 409

    assert member.put(f"{url}/2024-W07", json={"value": 15}).status_code == 409  # replacing needs the version
    replaced = member.put(f"{url}/2024-W07", json={"value": 15, "version": 1})
    assert replaced.status_code == 200, replaced.text
    assert (replaced.json()["value"], replaced.json()["version"]) == (15, 2)
    assert member.put(f"{url}/2024-W07", json={"value": 14, "version": 1}).status_code == 409
    assert member.put(f"{url}/2024-W06", json={"value": 18}).status_code == 200  # creates

    listed = member.get(url).json()
    assert [i["period"] for i in listed["items"]] == ["2024-W06", "2024-W07"]
    assert member.get(url, params={"limit": 1, "offset": 1}).json()["items"][0]["period"] == "2024-W07"

    assert member.delete(f"{url}/2024-W07").status_code == 204
    assert member.delete(f"{url}/2024-W07").status_code == 404
    assert member.get(url).json()["total"] == 1
    # Logging the period again restores it.
    assert member.post(url, json={"period": "2024-W07", "value": 13}).status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {"period": "2024-03", "value": 1},
        {"period": "2024-W54", "value": 1},
        {"period": "abc", "value": 1},
        {"period": "2024-W07"},
        {"period": "2024-W07", "value": "abc"},
        {"period": "2024-W07", "value": 1e13},
        {"period": "2024-W07", "numerator": 1, "denominator": 2},
        {"period": "2024-W07", "value": 1, "extra": True},
        {"period": "x" * 100, "value": 1},
        {"period": "2024-W07", "value": 1, "comment": "x" * 2001},
    ],
)
def test_measurement_bad_input_is_422(member: Api, measure: Measure, body: dict[str, Any]) -> None:
    response = member.post(f"/measures/{measure.id}/measurements", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["msg"]


def test_proportion_numerator_above_denominator(member: Api, db: Session, make: Any, initiative: Initiative) -> None:
    measure = make.measure(initiative, data_type="proportion", unit="%")
    db.commit()
    url = f"/measures/{measure.id}/measurements"
    bad = member.post(url, json={"period": "2024-W07", "numerator": 5, "denominator": 4})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["numerator"]
    good = member.post(url, json={"period": "2024-W07", "numerator": 3, "denominator": 4})
    assert good.json()["value"] == 75


def test_bad_period_in_path_is_422(member: Api, measure: Measure) -> None:
    assert member.put(f"/measures/{measure.id}/measurements/2024-13", json={"value": 1}).status_code == 422
    assert member.delete(f"/measures/{measure.id}/measurements/nonsense").status_code == 422


def test_huge_ids_are_422_not_500(member: Api) -> None:
    assert member.get("/measures/99999999999999999999").status_code == 422
    assert member.get("/measures/0").status_code == 422


def test_import_all_or_nothing(member: Api, measure: Measure) -> None:
    url = f"/measures/{measure.id}/measurements/import"
    bad = "period;value\n2024-W01;21\n2024-W02;abc\n2024-W03;20\n2024-13;1\n"
    response = member.post(url, content=bad.encode(), headers={"Content-Type": "text/csv"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [d["row"] for d in detail] == [3, 5]
    assert all(d["msg"] for d in detail)
    assert member.get(f"/measures/{measure.id}/measurements").json()["total"] == 0

    good = "period;value\n2024-W01;21\n2024-W02;19,5\n"
    ok = member.post(url, content=good.encode(), headers={"Content-Type": "text/csv"})
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"created": 2, "updated": 0, "unchanged": 0}
    again = member.post(url, content=b"2024-W01,21\n2024-W02,18\n", headers={"Content-Type": "text/csv"})
    assert again.json() == {"created": 0, "updated": 1, "unchanged": 1}
    values = [i["value"] for i in member.get(f"/measures/{measure.id}/measurements").json()["items"]]
    assert values == [21, 18]


def test_import_empty_body_is_422(member: Api, measure: Measure) -> None:
    response = member.post(
        f"/measures/{measure.id}/measurements/import", content=b"", headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 422


def test_analysis_has_exactly_the_design_shape(member: Api, make: Any, measure: Measure) -> None:
    for k, value in enumerate([21, 20, 22, 19, 18, 17, 16, 16, 15, 16, 15, 14], start=1):
        make.measurement(measure, f"2024-W{k:02d}", value)
    response = member.get(f"/measures/{measure.id}/analysis")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "measure_id",
        "chart",
        "rules",
        "n",
        "points",
        "runs",
        "ihi",
        "outside_limits",
        "progress",
        "variation",
        "assurance",
        "suggested_rag",
    }
    assert (body["measure_id"], body["chart"], body["rules"], body["n"]) == (measure.id, "run", "anhoej", 12)
    assert set(body["points"][0]) == {"period", "value", "cl", "lcl", "ucl", "phase", "signal"}
    assert set(body["runs"]) == {"n_useful", "longest_run", "longest_run_max", "crossings", "crossings_min", "signal"}
    assert set(body["ihi"]) == {"shifts", "trends", "runs", "runs_range"}
    assert set(body["progress"]) == {
        "baseline",
        "target",
        "current",
        "progress_pct",
        "target_met",
        "improving",
        "stale",
    }
    i_chart = member.get(f"/measures/{measure.id}/analysis", params={"rules": "mdc", "chart": "i"}).json()
    assert i_chart["chart"] == "i"
    assert i_chart["rules"] == "mdc"
    assert i_chart["points"][0]["ucl"] is not None


@pytest.mark.parametrize("params", [{"rules": "nelson"}, {"chart": "xbar"}, {"chart": "p"}])
def test_analysis_bad_options_are_422(member: Api, measure: Measure, params: dict[str, str]) -> None:
    assert member.get(f"/measures/{measure.id}/analysis", params=params).status_code == 422


def test_chart_svg(member: Api, make: Any, measure: Measure) -> None:
    make.measurement(measure, "2024-W01", 20)
    make.measurement(measure, "2024-W02", 18)
    response = member.get(f"/measures/{measure.id}/chart.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.startswith("<svg")
    assert measure.name in response.text


def test_openapi_documents_the_endpoints(client: WebClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/initiatives/{initiative_id}/measures"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/measures/{measure_id}"])
    assert {"put", "delete"} <= set(paths["/api/v1/measures/{measure_id}/measurements/{period}"])
    body = paths["/api/v1/measures/{measure_id}/measurements/import"]["post"]["requestBody"]
    assert "text/csv" in body["content"]
    assert paths["/api/v1/measures/{measure_id}/analysis"]["get"]["summary"]
