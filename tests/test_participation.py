"""People taking part are counted as they arrive, not over every vote on every page.

The rule: a person counts once per consultation from their first idea, vote or comment in
it. The count is kept on the consultation (``ideas.participation``) and must always equal what
counting distinct people over the stored contributions gives; pages read it in constant time,
so the SQL a page sends is the same with ten times the votes.
"""

from __future__ import annotations

from sqlalchemy import distinct, func, select, union

from kil_consult.consultations.models import Consultation, Participant
from kil_consult.ideas.models import Comment, Idea, Vote, VoteValue
from kil_consult.ideas.participation import repair_participation
from kil_consult.ideas.services import add_comment, submit_idea
from kil_consult.ideas.votes import cast_vote
from kil_consult.personal_data.services import erase_account

from . import factories
from .test_query_counts import counting


def _distinct_people(consultation_id: int) -> int:
    """The definition, counted the slow way over every stored contribution."""
    in_scope = Idea.consultation_id == consultation_id
    people = union(
        select(Idea.author_id.label("uid")).where(in_scope, Idea.author_id.is_not(None)),
        select(Vote.user_id).join(Vote.idea).where(in_scope),
        select(Comment.author_id).join(Comment.idea).where(in_scope),
    ).subquery()
    from kil_consult.extensions import db

    return db.session.scalar(select(func.count(distinct(people.c.uid))))


def _count(db, consultation: Consultation) -> int:
    db.session.expire(consultation)
    return consultation.participant_count


def test_a_person_counts_once_however_much_they_say(db, council):
    consultation = factories.make_consultation()
    resident = factories.make_user()
    idea = submit_idea(consultation, resident, "Warm spaces", "Open the libraries later.")
    other = factories.make_idea(consultation)
    cast_vote(other, resident, VoteValue.AGREE)
    cast_vote(other, resident, VoteValue.DISAGREE)  # a changed vote is not a new person
    add_comment(other, resident, "Yes, and on Sundays.")
    db.session.commit()
    assert _count(db, consultation) == 2 == _distinct_people(consultation.id)
    assert idea.id  # the resident and the author of the other idea
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 2


def test_the_count_always_equals_the_distinct_people_stored(db, council):
    consultation = factories.make_consultation()
    people = [factories.make_user() for _ in range(6)]
    ideas = [factories.make_idea(consultation, people[i]) for i in range(3)]
    for n, person in enumerate(people):
        for idea in ideas[: n % 3 + 1]:
            if idea.author_id != person.id:
                cast_vote(idea, person, VoteValue.AGREE)
    add_comment(ideas[0], factories.make_user(), "A newcomer who only comments.")
    db.session.commit()
    expected = _distinct_people(consultation.id)
    assert _count(db, consultation) == expected == 7
    # A repair from the stored rows gives the same answer as the running count.
    assert repair_participation([consultation.id]) == {consultation.id: expected}
    db.session.commit()
    assert _count(db, consultation) == expected


def test_people_count_per_consultation(db, council):
    process = factories.make_process()
    first, second = process.consultations[0], process.consultations[1]
    resident = factories.make_user()
    cast_vote(factories.make_idea(first), resident, VoteValue.AGREE)
    cast_vote(factories.make_idea(second), resident, VoteValue.PASS)
    db.session.commit()
    assert _count(db, first) == 2 and _count(db, second) == 2


def test_erasing_an_account_with_its_contributions_takes_the_person_off(db, council):
    consultation = factories.make_consultation()
    idea = factories.make_idea(consultation)
    leaving, staying = factories.make_user(), factories.make_user()
    cast_vote(idea, leaving, VoteValue.AGREE)
    cast_vote(idea, staying, VoteValue.AGREE)
    db.session.commit()
    assert _count(db, consultation) == 3
    erase_account(leaving, keep_contributions=False)
    db.session.commit()
    assert _count(db, consultation) == 2 == _distinct_people(consultation.id)


def test_erasing_but_keeping_contributions_keeps_the_count(db, council):
    consultation = factories.make_consultation()
    idea = factories.make_idea(consultation)
    leaving = factories.make_user()
    cast_vote(idea, leaving, VoteValue.AGREE)
    db.session.commit()
    erase_account(leaving, keep_contributions=True)
    db.session.commit()
    assert _count(db, consultation) == 2 == _distinct_people(consultation.id)


def test_the_command_repairs_a_count_that_drifted(app, db, council):
    consultation = factories.make_consultation()
    cast_vote(factories.make_idea(consultation), factories.make_user(), VoteValue.AGREE)
    db.session.commit()
    consultation.participant_count = 99
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["kil", "repair-counts"])
    assert result.exit_code == 0, result.output
    assert "2 people taking part" in result.output
    assert _count(db, consultation) == 2


def _page_sql(client, db, path: str) -> list[str]:
    client.get(path)  # warm up the app's own caches
    with counting(db.engine) as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return statements


def test_pages_send_the_same_sql_with_ten_times_the_votes(client, db, council, login_as):
    consultation = factories.make_consultation()
    ideas = [factories.make_idea(consultation) for _ in range(4)]
    viewer = login_as()

    def add_voters(n: int) -> None:
        for _ in range(n):
            voter = factories.make_user()
            for idea in ideas:
                cast_vote(idea, voter, VoteValue.AGREE)
        db.session.commit()

    pages = ["/", f"/consultations/{consultation.slug}", f"/ideas/{ideas[0].id}"]
    add_voters(3)
    cast_vote(ideas[0], viewer, VoteValue.AGREE)
    db.session.commit()
    before = {path: _page_sql(client, db, path) for path in pages}
    add_voters(27)
    after = {path: _page_sql(client, db, path) for path in pages}
    for path in pages:
        assert after[path] == before[path], path
        # The only look at the votes is the viewer's own votes on the ideas shown.
        for statement in after[path]:
            if "votes" in statement.lower():
                assert "votes.user_id = " in statement, (path, statement)
    assert _count(db, consultation) == 4 + 1 + 30
