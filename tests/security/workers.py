"""Work done in separate processes by the durability tests (importable, so that processes
started with "spawn" can run it), and the app a gunicorn subprocess serves."""

from __future__ import annotations

import os
import random

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-1234",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "MAIL_SERVER": "",
}


def make_app(url: str):
    from kil_consult import create_app

    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})


def vote_and_post(
    url: str,
    seed: int,
    voter_ids: list[int],
    idea_ids: list[int],
    rounds: int,
    consultation_id: int,
    author_id: int,
    start,
    results,
) -> None:
    """Vote and change votes at random; post the same idea as the same author (a double click
    reaching several servers at once) and a comment. Reports each person's last vote."""
    from kil_consult.accounts.models import User
    from kil_consult.consultations.models import Consultation
    from kil_consult.extensions import db
    from kil_consult.ideas.models import Idea, VoteValue
    from kil_consult.ideas.services import add_comment, submit_idea
    from kil_consult.ideas.votes import cast_vote

    app = make_app(url)
    rng = random.Random(seed)
    last: dict[tuple[int, int], str] = {}
    with app.app_context():
        start.wait()
        consultation = db.session.get(Consultation, consultation_id)
        author = db.session.get(User, author_id)
        submit_idea(consultation, author, "Same idea, clicked twice", "The very same body.")
        db.session.commit()
        for _ in range(rounds):
            user_id, idea_id = rng.choice(voter_ids), rng.choice(idea_ids)
            value = rng.choice(list(VoteValue))
            user, idea = db.session.get(User, user_id), db.session.get(Idea, idea_id)
            cast_vote(idea, user, value)
            db.session.commit()
            last[(user_id, idea_id)] = value.value
            if rng.random() < 0.1:
                add_comment(idea, user, f"Comment {seed}-{rng.random()}")
                db.session.commit()
        db.session.remove()
    results.put((seed, last))


def merge_while_voting(url: str, source_id: int, target_id: int, actor_id: int, start) -> None:
    """Merge one idea into another while the others vote on both."""
    from kil_consult.accounts.models import User
    from kil_consult.extensions import db
    from kil_consult.ideas.models import Idea
    from kil_consult.moderation.services import merge

    app = make_app(url)
    with app.app_context():
        start.wait()
        source, target = db.session.get(Idea, source_id), db.session.get(Idea, target_id)
        merge(source, target, db.session.get(User, actor_id))
        db.session.commit()
        db.session.remove()


# The app a gunicorn subprocess serves: `gunicorn tests.security.workers:server_app()`.
def server_app():
    return make_app(os.environ["KIL_TEST_SERVER_DATABASE_URL"])
