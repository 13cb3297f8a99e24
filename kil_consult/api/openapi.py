"""The OpenAPI 3.1 document, built from the endpoints that ``routes.py`` registers and the
pydantic models in ``schemas.py`` that those endpoints validate and answer with.

Pydantic writes JSON Schema 2020-12, which is OpenAPI 3.1's own schema dialect, so the models'
schemas go into ``components/schemas`` as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from .schemas import Error, Query, Slug

MAX_ID = 2**31 - 1  # the largest id a database integer column holds

STATUS_TEXT = {
    400: "A parameter is missing, unknown or wrong; the message says which and why.",
    404: "There is no such published thing.",
    429: "Too many requests from one address: wait the number of seconds in Retry-After.",
}


@dataclass(frozen=True)
class Endpoint:
    """One GET operation of the API, as the views run it and the document describes it."""

    rule: str
    operation_id: str
    tag: str
    summary: str
    description: str
    response: type[BaseModel]
    query: type[Query]
    errors: tuple[int, ...]


_RULE_PART = re.compile(r"<(?:(\w+):)?(\w+)>")


def _path_and_parameters(rule: str) -> tuple[str, list[dict]]:
    """'/ideas/<int:idea_id>' -> '/ideas/{idea_id}' and a parameter for each variable part."""
    parameters = []
    for converter, name in _RULE_PART.findall(rule):
        if converter == "int":
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        else:
            schema = TypeAdapter(Slug).json_schema()
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return _RULE_PART.sub(r"{\2}", rule), parameters


def _without_null(schema: dict) -> dict:
    """A query parameter is absent rather than null: drop the null branch pydantic writes."""
    options = schema.get("anyOf")
    if options:
        kept = [option for option in options if option.get("type") != "null"]
        if len(kept) == 1:
            schema = {**{k: v for k, v in schema.items() if k != "anyOf"}, **kept[0]}
    return schema


def query_parameters(query: type[Query]) -> list[dict]:
    """The query-string parameters a ``Query`` model accepts, as OpenAPI parameters."""
    schema = query.model_json_schema()
    required = set(schema.get("required", []))
    parameters = []
    for name, prop in schema.get("properties", {}).items():
        prop = _without_null({k: v for k, v in prop.items() if k != "title"})
        if prop.get("default", "") is None:
            del prop["default"]
        description = prop.pop("description", "")
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": name in required,
                "description": description,
                "schema": prop,
            }
        )
    return parameters


def _json(ref: dict) -> dict:
    return {"application/json": {"schema": ref}}


def _ok_headers() -> dict:
    string = {"schema": {"type": "string"}}
    return {
        "ETag": {"description": "Send it back in If-None-Match to get 304.", **string},
        "Last-Modified": {
            "description": "Send it back in If-Modified-Since to get 304 (when known).",
            **string,
        },
        "Cache-Control": {"description": "Answers may be cached for a minute.", **string},
        "Access-Control-Allow-Origin": {"description": "Always '*'.", **string},
    }


def openapi_document(endpoints: list[Endpoint], title: str, description: str) -> dict:
    """The OpenAPI 3.1 document for these endpoints."""
    models = list(dict.fromkeys([endpoint.response for endpoint in endpoints] + [Error]))
    refs, top = models_json_schema(
        [(model, "serialization") for model in models],
        ref_template="#/components/schemas/{model}",
    )
    error = {
        status: {"description": text, "content": _json(refs[(Error, "serialization")])}
        for status, text in STATUS_TEXT.items()
    }
    error[429] = {
        **error[429],
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "schema": {"type": "string"},
            }
        },
    }
    paths: dict[str, dict] = {}
    for endpoint in endpoints:
        path, parameters = _path_and_parameters(endpoint.rule)
        responses = {
            "200": {
                "description": endpoint.response.__doc__.strip().splitlines()[0],
                "headers": _ok_headers(),
                "content": _json(refs[(endpoint.response, "serialization")]),
            },
            "304": {"description": "Not modified since the ETag or date you sent."},
        }
        for status in sorted({400, 429, *endpoint.errors}):
            responses[str(status)] = error[status]
        paths[path] = {
            "get": {
                "operationId": endpoint.operation_id,
                "tags": [endpoint.tag],
                "summary": endpoint.summary,
                "description": endpoint.description,
                "parameters": parameters + query_parameters(endpoint.query),
                "responses": responses,
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1.0.0", "description": description},
        "paths": paths,
        "components": {"schemas": top.get("$defs", {})},
    }
