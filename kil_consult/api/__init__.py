"""The read-only open-data API under ``/api/v1/`` and its OpenAPI 3.1 document.

``schemas.py`` describes every request and response once (pydantic models); the views in
``routes.py`` validate with them and serialise through them, and ``openapi.py`` builds the
OpenAPI document from the same models, so the document cannot drift from what is served.
``services.py`` holds the queries: what is public, pseudonyms, cursors and change times.
"""
