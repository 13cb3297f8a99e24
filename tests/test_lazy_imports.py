"""A web or job worker loads SciPy and scikit-learn only where they are used (the analysis, the
similar-ideas index, theme suggestions), never to start or to serve ordinary pages: each costs
tens of megabytes in every process. Checked in a fresh interpreter, as a worker starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kil_consult.accounts.models import Role

from .analysis.test_results import two_camps
from .factories import PASSWORD, make_consultation, make_user

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sklearn", "scipy")

SERVE = """
import json, sys
from kil_consult import create_app
settings, paths, staff_email, password = json.loads(sys.argv[1])
app = create_app(settings)
loaded = {"start": sorted(m for m in sys.modules if m.split(".")[0] in ("sklearn", "scipy"))}
client = app.test_client()
statuses = {}
for path in paths:
    statuses[path] = client.get(path).status_code
client.post("/account/sign-in", data={"email": staff_email, "password": password})
for path in paths:
    statuses["staff " + path] = client.get(path).status_code
loaded["pages"] = sorted(m for m in sys.modules if m.split(".")[0] in ("sklearn", "scipy"))
print(json.dumps({"loaded": loaded, "statuses": statuses}))
"""


def _serve(app, database_url, tmp_path, paths, staff) -> dict:
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "KIL_JOBS_PATH": str(tmp_path / "jobs.sqlite3"),
    }
    argument = json.dumps([settings, paths, staff.email, PASSWORD])
    done = subprocess.run(  # noqa: S603 - a fixed local command
        [sys.executable, "-c", SERVE, argument],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_starting_and_serving_pages_loads_no_scipy_or_sklearn(
    app, database_url, council, db, tmp_path
):
    consultation = make_consultation()
    divided, _common = two_camps(consultation, per_camp=3)
    staff = make_user(Role.FACILITATOR)
    db.session.commit()
    paths = [
        "/",
        f"/consultations/{consultation.slug}",
        f"/consultations/{consultation.slug}?sort=divisive",
        f"/ideas/{divided[0].id}",
        f"/consultations/{consultation.slug}/results",
        f"/api/v1/consultations/{consultation.slug}/ideas",
    ]
    report = _serve(app, database_url, tmp_path, paths, staff)
    staff_codes = {path: code for path, code in report["statuses"].items() if "staff" in path}
    assert set(staff_codes.values()) == {200}, staff_codes  # the results page too
    assert report["loaded"]["start"] == []
    assert report["loaded"]["pages"] == [], report["loaded"]


def test_the_check_sees_a_heavy_import(app, database_url, council, db, tmp_path):
    """The same check fails when a page does use scikit-learn (similar ideas while writing)."""
    consultation = make_consultation()
    two_camps(consultation, per_camp=2)
    staff = make_user(Role.FACILITATOR)
    db.session.commit()
    path = f"/consultations/{consultation.slug}/similar-ideas?text=Divided+idea+please"
    report = _serve(app, database_url, tmp_path, [path], staff)
    assert report["statuses"][path] == 200
    assert "sklearn" in {m.split(".")[0] for m in report["loaded"]["pages"]}
