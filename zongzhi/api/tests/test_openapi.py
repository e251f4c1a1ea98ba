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


def test_no_public_operation_takes_a_query_code_or_phone_digits_in_the_url(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/public/cases/lookup"]) == {"post"}
    assert set(paths["/api/v1/public/cases/timeline"]) == {"post"}
    assert "requestBody" in paths["/api/v1/public/cases/lookup"]["post"]
    for path, operations in paths.items():
        if not path.startswith("/api/v1/public/"):
            continue
        for operation in operations.values():
            in_url = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            assert not in_url & {"phone_last4", "code"}, (path, in_url)
