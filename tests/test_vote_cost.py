"""What a vote costs: the statements of one vote through the route, and the per-address limit
counting residents behind the council's proxy (KIL_PROXY_COUNT) one by one."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

from sqlalchemy import text

from .factories import make_idea
from .test_query_counts import counting


def test_a_vote_makes_only_the_statements_it_needs(app, client, db, council, login_as):
    idea = make_idea()
    db.session.commit()
    login_as("resident")
    idea_id = idea.id
    runs = []
    for value in ("agree", "disagree", "disagree"):
        db.session.expunge_all()  # as in production: each request starts with an empty session
        with counting(db.engine) as sql:
            response = client.post(
                f"/ideas/{idea_id}/vote",
                data={"value": value},
                headers={"Accept": "application/json"},
            )
        assert response.status_code == 200
        runs.append(
            [" ".join(re.match(r"(SELECT|INSERT INTO|UPDATE)\s+(\w+)", s).groups()) for s in sql]
        )  # noqa: E501
    first, changed, same = runs
    # may they vote? The idea with its consultation in one statement, then the person (whom
    # the test client may already have loaded in this request's context)
    for run in runs:
        assert run[0] == "SELECT ideas" and "SELECT consultations" not in run, run
        assert run[1] in {"SELECT users", "UPDATE ideas"}, run
    locked = ["UPDATE ideas", "SELECT votes"]  # the row lock (with the counts), their vote
    # the first vote: an insert, the person's first contribution here, the new counts
    assert first[-6:] == [*locked, "INSERT INTO votes", "INSERT INTO participants"] + [
        "UPDATE consultations",
        "UPDATE ideas",
    ]
    assert len(first) <= 8
    assert changed[-4:] == [*locked, "UPDATE votes", "UPDATE ideas"] and len(changed) <= 6
    assert same[-2:] == locked and len(same) <= 4  # nothing to change: no write
    assert response.get_json()["disagree"] == 1 and response.get_json()["agree"] == 0


def test_residents_behind_one_proxy_are_limited_one_by_one(tmp_path):
    """Behind a proxy (KIL_PROXY_COUNT=1) the per-address vote limit counts each resident's
    own address, not the proxy's: one resident reaching it leaves the next one voting. In a
    separate process, so the test app's limiter is left alone."""
    script = textwrap.dedent(
        f"""
        from kil_consult import create_app
        from kil_consult.extensions import db
        from tests import factories

        app = create_app({{
            "SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/p.sqlite3",
            "RATELIMIT_STORAGE_URI": "memory://",
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "x" * 40,
            "KIL_PROXY_COUNT": 1,
            "KIL_VOTE_ADDRESS_LIMIT": "3 per minute",
            "KIL_CACHE": False,
        }})
        with app.app_context():
            db.create_all()
            factories.make_council()
            idea = factories.make_idea()
            people = [factories.make_user() for _ in range(2)]
            db.session.commit()
            idea_id, emails = idea.id, [person.email for person in people]
        statuses = {{}}
        for number, email in enumerate(emails):
            client = app.test_client()
            address = {{"X-Forwarded-For": f"203.0.113.{{number + 10}}"}}
            client.post("/account/sign-in", data={{"email": email, "password": factories.PASSWORD}},
                        headers=address)
            statuses[email] = [
                client.post(f"/ideas/{{idea_id}}/vote", data={{"value": "agree"}},
                            headers=address).status_code
                for _ in range(4)
            ]
        print(statuses)
        first, second = statuses.values()
        assert first == [303, 303, 303, 429], first
        assert second == [303, 303, 303, 429], second
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_vote_that_is_not_agree_disagree_or_pass_is_refused_and_changes_nothing(
    app, client, db, council, login_as
):
    idea = make_idea()
    db.session.commit()
    login_as("resident")
    for sent in ({"value": "maybe"}, {"value": ""}, {}, {"value": "AGREE"}, {"value": "agree "}):
        answer = client.post(
            f"/ideas/{idea.id}/vote", data=sent, headers={"Accept": "application/json"}
        )
        assert answer.status_code == 400, sent
        assert answer.get_json()["error"] == "Choose agree, disagree or pass."
    page = client.post(f"/ideas/{idea.id}/vote", data={"value": "maybe"}, follow_redirects=True)
    assert "Choose agree, disagree or pass." in page.get_data(as_text=True)
    db.session.refresh(idea)
    assert (idea.agree_count, idea.disagree_count, idea.pass_count) == (0, 0, 0)
    assert db.session.scalar(text("SELECT count(*) FROM votes")) == 0
