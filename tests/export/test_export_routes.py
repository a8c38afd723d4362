"""Export endpoints: API formats, access, the export page and the prepared download."""

import csv
import io
import json

from app.export import files
from tests.export.conftest import Programme
from tests.support.web import WebClient


def test_api_export_formats(client: WebClient, programme: Programme, coordinator) -> None:
    client.login(coordinator.email)
    url = f"/api/v1/programs/{programme.program.id}/export"
    default = client.get(url)
    assert default.status_code == 200
    assert default.headers["content-type"].startswith("application/json")
    assert len(default.json()["initiatives"]) == 2
    for fmt, media, magic in (
        ("csv", "text/csv", b"program,"),
        ("csv-excel", "text/csv", b"\xef\xbb\xbf"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
        ("html", "text/html", b"<!doctype html>"),
    ):
        response = client.get(url, params={"format": fmt})
        assert response.status_code == 200, fmt
        assert response.headers["content-type"].startswith(media)
        assert response.content.lstrip().startswith(magic), fmt
        assert "filename=" in response.headers["content-disposition"]
    assert client.get(url, params={"format": "exe"}).status_code == 422


def test_api_export_only_what_the_user_may_see(
    client: WebClient, programme: Programme, falkenberg_viewer, make
) -> None:
    client.login(falkenberg_viewer.email)
    url = f"/api/v1/programs/{programme.program.id}/export"
    data = client.get(url).json()
    assert [i["organisation"] for i in data["initiatives"]] == ["Falkenbergs kommun, Socialförvaltningen"]
    rows = list(csv.DictReader(io.StringIO(client.get(url, params={"format": "csv"}).text)))
    assert {r["organisation"] for r in rows} == {"Falkenbergs kommun, Socialförvaltningen"}
    assert client.get(f"/api/v1/programs/{make.program().id}/export").status_code == 404
    client.cookies.clear()
    assert client.get(url).status_code == 401


def test_export_page_and_direct_download(client: WebClient, programme: Programme, coordinator) -> None:
    client.login(coordinator.email)
    page = client.get(f"/programs/{programme.program.id}/export")
    assert page.status_code == 200
    assert 'name="format" value="pdf"' in page.text
    assert f'hx-get="/programs/{programme.program.id}/export/prepare"' in page.text
    direct = client.get(f"/programs/{programme.program.id}/export?format=json")
    assert direct.status_code == 200
    assert json.loads(direct.content)["program"]["name"] == "Leda för Resultat IV"
    org_page = client.get(f"/organisations/{programme.ange.id}/export")
    assert org_page.status_code == 200
    assert "Ånge kommun" in org_page.text
    assert client.get(f"/programs/{programme.program.id}/export?format=bad").status_code == 422


def test_prepared_download_belongs_to_its_user(
    client: WebClient, programme: Programme, coordinator, make, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(files, "EXPORT_DIR", tmp_path)
    client.login(coordinator.email)
    prepared = client.htmx("GET", f"/organisations/{programme.falkenberg.id}/export/prepare?format=xlsx")
    assert prepared.status_code == 200
    target = prepared.headers["HX-Redirect"]
    assert target.startswith("/exports/")
    download = client.get(target)
    assert download.status_code == 200
    assert download.content.startswith(b"PK")
    assert "attachment" in download.headers["content-disposition"]
    plain = client.get(f"/programs/{programme.program.id}/export/prepare?format=json")
    assert plain.status_code == 303
    other = make.user(admin=True)
    client.login(other.email)
    assert client.get(target).status_code == 404
    assert client.get("/exports/not-a-token").status_code == 404
