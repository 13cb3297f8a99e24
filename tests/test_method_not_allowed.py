"""RFC 9110: every 405 names the methods the resource takes in an ``Allow`` header, for pages
and for the open-data API alike."""

from __future__ import annotations

from werkzeug.routing import AnyConverter, IntegerConverter

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _path(app, rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = 1
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "x"
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def test_every_405_says_which_methods_are_allowed(app, client, council):
    checked = 0
    for rule in app.url_map.iter_rules():
        path = _path(app, rule)
        allowed = {m for r in app.url_map.iter_rules() if _path(app, r) == path for m in r.methods}
        for method in METHODS:
            if method in allowed:
                continue
            response = client.open(path, method=method)
            assert response.status_code == 405, (method, path)
            header = {m.strip() for m in response.headers.get("Allow", "").split(",")}
            assert "OPTIONS" in header and allowed <= header, (method, path, header)
            checked += 1
    assert checked > 100


def test_a_405_from_the_api_is_json_with_allow(client, council):
    response = client.post("/api/v1/process")
    assert response.status_code == 405
    assert response.is_json and response.json["status"] == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
