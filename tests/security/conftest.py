"""Security tests see each request as a real server does.

The autouse ``db`` fixture keeps an app context pushed for the whole test, and Flask reuses
it for every request the test client makes; Flask-Login caches the signed-in person on that
context's ``g``. A real server starts each request afresh, so these tests forget the cached
person before every request: what a request may do then depends on its cookies alone.
"""

from __future__ import annotations

import pytest
from flask import g
from flask.testing import FlaskClient


@pytest.fixture(autouse=True)
def _fresh_user_per_request(monkeypatch):
    original = FlaskClient.open

    def open_afresh(self, *args, **kwargs):
        g.pop("_login_user", None)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FlaskClient, "open", open_afresh)
