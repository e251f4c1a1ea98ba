def test_openapi_schema_renders(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "综治中心信息平台 API"
    assert "/api/v1/cases" in schema["paths"]
    assert "/api/v1/public/reports" in schema["paths"]


def test_docs_page_is_served_locally(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn." not in response.content
