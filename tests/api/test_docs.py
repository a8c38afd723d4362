import re

from tests.support.web import WebClient


def test_api_docs_are_served_from_local_assets(client: WebClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    scripts = re.findall(r"<script([^>]*)>", page.text)
    assert scripts, "the docs page loads Swagger UI"
    assert all('src="/static/' in attrs for attrs in scripts), "no inline or remote scripts (CSP, no CDN)"
    assert "http" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', page.text))
    for asset in ("/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/js/api-docs.js"):
        assert client.get(asset).status_code == 200


def test_openapi_schema_is_served(client: WebClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Framsteg API"
    assert "/api/v1/measures/{measure_id}/analysis" in schema["paths"]
    assert "/api/v1/health" in schema["paths"]
