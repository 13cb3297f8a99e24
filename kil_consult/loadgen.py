"""A county's worth of data for one consultation, made fast for load tests and benchmarks.

``flask --app app kil generate-load-data`` loads the demo council when the database is empty,
then fills one of its consultations with (by default) 10,000 ideas, 50,000 participants,
1,000,000 votes and 50,000 comments. Rows go in with bulk inserts (SQLAlchemy Core
``executemany``; ``COPY`` on PostgreSQL), so it takes minutes, not hours.

The counts kept on each idea (agree, disagree, pass, comments) are computed from the very rows
inserted, so they equal what ``recount`` would find. Every participant signs in with
``LOAD_PASSWORD``; their addresses are ``load-<n>@load.kil.example`` (``load_email(n)``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from sqlalchemy import func, select, text

from .accounts.models import User, new_pseudonym_seed
from .accounts.passwords import hash_password
from .consultations.models import Consultation, Neighbourhood
from .consultations.services import consultation_by_slug
from .extensions import db
from .ideas.models import Comment, Idea, Vote
from .ideas.participation import repair_participation
from .timeutil import utcnow

LOAD_PASSWORD = "load-password-2027"
LOAD_DOMAIN = "load.kil.example"
CHUNK = 50_000

WORDS = (
    "library bus youth club park community centre food bank allotment volunteers advice "
    "cafe grants repair shop market playground walking group carers housing debt support "
    "mental health befriending transport village hall recycling festival training jobs "
    "skills tenants energy warm space reading digital help older people families"
).split()


def load_email(number: int) -> str:
    """The email address of load participant ``number`` (counting from 1)."""
    return f"load-{number}@{LOAD_DOMAIN}"


@dataclass
class LoadSizes:
    """How much to generate."""

    ideas: int = 10_000
    participants: int = 50_000
    votes: int = 1_000_000
    comments: int = 50_000


def _phrase(rng: np.random.Generator, n: int) -> str:
    return " ".join(WORDS[i] for i in rng.integers(0, len(WORDS), n))


def _bulk_insert(table, rows: list[dict]) -> None:
    """Insert rows in chunks: COPY on PostgreSQL, executemany elsewhere. The columns are the
    table's own, in its order, that the rows fill; a table with no rows is skipped."""
    if not rows:
        return
    given = set(rows[0])
    columns = [column.name for column in table.columns if column.name in given]
    unknown = given - set(columns)
    if unknown:
        raise ValueError(f"{table.name} has no column {', '.join(sorted(unknown))}.")
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        raw = connection.connection.dbapi_connection
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        return
    for start in range(0, len(rows), CHUNK):
        connection.execute(table.insert(), rows[start : start + CHUNK])


def _vote_pairs(rng: np.random.Generator, sizes: LoadSizes, idea_ids, user_ids):
    """Unique (idea, voter) pairs: popular ideas get many votes, keen people vote a lot."""
    total = min(sizes.votes, len(idea_ids) * len(user_ids))
    idea_weight = rng.pareto(1.2, len(idea_ids)) + 0.2
    idea_weight /= idea_weight.sum()
    user_weight = rng.pareto(1.5, len(user_ids)) + 0.5
    user_weight /= user_weight.sum()
    keys = np.empty(0, dtype=np.int64)
    while len(keys) < total:
        want = int((total - len(keys)) * 1.3) + 1000
        ideas = rng.choice(len(idea_ids), want, p=idea_weight)
        users = rng.choice(len(user_ids), want, p=user_weight)
        keys = np.unique(np.concatenate([keys, ideas.astype(np.int64) * len(user_ids) + users]))
        if len(keys) >= total:
            keys = rng.permutation(keys)[:total]
    idea_index, user_index = np.divmod(keys, len(user_ids))
    return idea_index, user_index


def generate(
    sizes: LoadSizes, consultation_slug: str = "principle-1", seed: int = 2027, echo=print
) -> Consultation:
    """Fill the consultation at ``consultation_slug`` with generated participants, ideas,
    votes and comments (loading the demo council first if the database has none)."""
    from .consultations.models import Council
    from .demo import load_demo

    started = time.perf_counter()
    if db.session.scalar(select(Council.id).limit(1)) is None:
        load_demo()
        db.session.commit()
    consultation = consultation_by_slug(consultation_slug)
    if consultation is None:
        raise ValueError(f"There is no consultation {consultation_slug!r}.")
    rng = np.random.default_rng(seed)
    now = utcnow().replace(microsecond=0)
    place_ids = list(db.session.scalars(select(Neighbourhood.id)))
    password_hash = hash_password(LOAD_PASSWORD)

    already = select(func.count(User.id)).where(User.email.like(f"%@{LOAD_DOMAIN}"))
    first = (db.session.scalar(already) or 0) + 1
    users = [
        {
            "email": load_email(n),
            "display_name": f"Load participant {n}",
            "password_hash": password_hash,
            "role": "resident",
            "neighbourhood_id": place_ids[n % len(place_ids)] if place_ids else None,
            "email_confirmed_at": now - timedelta(days=30),
            "created_at": now - timedelta(days=30),
            "session_generation": 1,
            "pseudonym_seed": new_pseudonym_seed(),
        }
        for n in range(first, first + sizes.participants)
    ]
    _bulk_insert(User.__table__, users)
    user_ids = np.array(
        db.session.scalars(
            select(User.id).where(User.email.like(f"%@{LOAD_DOMAIN}")).order_by(User.id)
        ).all()
    )[-sizes.participants :]
    echo(f"{len(users):,} participants ({time.perf_counter() - started:.1f} s)")

    # Ideas first without counts; the counts are set below from the votes and comments made.
    base_id = (db.session.scalar(select(func.max(Idea.id))) or 0) + 1
    idea_ids = np.arange(base_id, base_id + sizes.ideas)
    authors = rng.choice(user_ids, sizes.ideas)
    seconds_ago = np.sort(rng.integers(60, 21 * 24 * 3600, sizes.ideas))[::-1]
    idea_created = [now - timedelta(seconds=int(s)) for s in seconds_ago]
    idea_index, voter_index = _vote_pairs(rng, sizes, idea_ids, user_ids)
    lean = rng.beta(2, 2, sizes.ideas)  # each idea's share of agree among agree or disagree
    draw = rng.random(len(idea_index))
    passes = draw < 0.1
    agrees = ~passes & (rng.random(len(idea_index)) < lean[idea_index])
    values = np.where(passes, "pass", np.where(agrees, "agree", "disagree"))
    agree = np.bincount(idea_index[agrees], minlength=sizes.ideas)
    disagree = np.bincount(idea_index[~passes & ~agrees], minlength=sizes.ideas)
    passed = np.bincount(idea_index[passes], minlength=sizes.ideas)

    comment_idea = rng.choice(sizes.ideas, sizes.comments, p=_weights(rng, sizes.ideas))
    comment_count = np.bincount(comment_idea, minlength=sizes.ideas)
    ideas = [
        {
            "id": int(idea_ids[i]),
            "consultation_id": consultation.id,
            "author_id": int(authors[i]),
            "neighbourhood_id": place_ids[i % len(place_ids)] if place_ids and i % 3 else None,
            "title": f"{_phrase(rng, 4).capitalize()} {i + 1}"[:120],
            "body": (_phrase(rng, 40).capitalize() + ".")[:2000],
            "visibility": "published",
            "created_at": idea_created[i],
            "source": "online",
            "contributor_name": "",
            "moderation_reason": "",
            "moderation_note": "",
            "agree_count": int(agree[i]),
            "disagree_count": int(disagree[i]),
            "pass_count": int(passed[i]),
            "comment_count": int(comment_count[i]),
        }
        for i in range(sizes.ideas)
    ]
    _bulk_insert(Idea.__table__, ideas)
    echo(f"{len(ideas):,} ideas ({time.perf_counter() - started:.1f} s)")

    order = np.argsort(idea_index, kind="stable")
    votes = [
        {
            "idea_id": int(idea_ids[idea_index[k]]),
            "user_id": int(user_ids[voter_index[k]]),
            "value": str(values[k]),
            "created_at": idea_created[idea_index[k]] + timedelta(minutes=int(k % 997) + 1),
            "updated_at": idea_created[idea_index[k]] + timedelta(minutes=int(k % 997) + 1),
        }
        for k in order
    ]
    _bulk_insert(Vote.__table__, votes)
    del votes
    echo(f"{len(idea_index):,} votes ({time.perf_counter() - started:.1f} s)")

    commenters = rng.choice(user_ids, sizes.comments)
    comments = [
        {
            "idea_id": int(idea_ids[comment_idea[k]]),
            "author_id": int(commenters[k]),
            "parent_id": None,
            "body": _phrase(rng, 18).capitalize() + ".",
            "visibility": "published",
            "created_at": idea_created[comment_idea[k]] + timedelta(hours=1, seconds=k),
            "moderation_reason": "",
            "moderation_note": "",
        }
        for k in range(sizes.comments)
    ]
    _bulk_insert(Comment.__table__, comments)
    repair_participation([consultation.id])
    db.session.commit()
    if db.session.connection().dialect.name == "postgresql":
        last = int(idea_ids[-1]) if sizes.ideas else 1
        db.session.execute(text(f"SELECT setval('ideas_id_seq', {last})"))
        db.session.commit()
        for table in ("users", "ideas", "votes", "comments"):
            db.session.execute(text(f"ANALYZE {table}"))
    else:
        db.session.execute(text("ANALYZE"))
    db.session.commit()
    echo(f"{len(comments):,} comments ({time.perf_counter() - started:.1f} s)")
    return consultation


def _weights(rng: np.random.Generator, n: int):
    weight = rng.pareto(1.3, n) + 0.1
    return weight / weight.sum()
