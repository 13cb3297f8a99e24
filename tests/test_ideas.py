"""Ideas, votes and comments: sharing, listing, voting once per person, replying one level."""

from __future__ import annotations

import pytest

from kil_consult.extensions import db as _db
from kil_consult.ideas.models import Comment, Idea, Vote, VoteValue
from kil_consult.ideas.services import list_ideas
from kil_consult.ideas.votes import cast_vote

from .factories import make_comment, make_consultation, make_idea, make_neighbourhood, make_user


def test_share_an_idea(client, council, db, login_as):
    consultation = make_consultation()
    place = make_neighbourhood("Hastings")
    db.session.commit()
    author = login_as("resident")
    response = client.post(
        f"/consultations/{consultation.slug}/ideas/new",
        data={
            "title": "  More benches  ",
            "body": "On the seafront.",
            "neighbourhood_id": place.id,
        },
    )
    assert response.status_code == 302
    idea = _db.session.query(Idea).one()
    assert (idea.title, idea.body, idea.neighbourhood_id, idea.author_id) == (
        "More benches",
        "On the seafront.",
        place.id,
        author.id,
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "More benches" in page and "about Hastings" in page


def test_double_submit_creates_one_idea(client, council, db, login_as):
    consultation = make_consultation()
    db.session.commit()
    login_as("resident")
    data = {"title": "Same idea", "body": "Same words"}
    first = client.post(f"/consultations/{consultation.slug}/ideas/new", data=data)
    second = client.post(f"/consultations/{consultation.slug}/ideas/new", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert _db.session.query(Idea).count() == 1


@pytest.mark.parametrize(
    "data,message",
    [
        ({"title": "", "body": "x"}, "Enter a title for your idea"),
        ({"title": "x" * 121, "body": "x"}, "120 characters or fewer"),
        ({"title": "t", "body": "x" * 2001}, "2,000 characters or fewer"),
        ({"title": "t", "body": "   "}, "Describe your idea"),
        ({"title": "t\u202egnp.exe", "body": "b"}, "must not contain control characters"),
        ({"title": "t", "body": "b", "neighbourhood_id": "999"}, "Not a valid choice"),
    ],
)
def test_bad_ideas_come_back_with_a_message_and_what_was_typed(
    client, council, db, login_as, data, message
):
    consultation = make_consultation()
    db.session.commit()
    login_as("resident")
    response = client.post(f"/consultations/{consultation.slug}/ideas/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    if len(data["body"]) > 5:
        assert data["body"] in page
    assert _db.session.query(Idea).count() == 0


def test_visitors_are_sent_to_sign_in_to_share(client, council, db):
    consultation = make_consultation()
    db.session.commit()
    response = client.get(f"/consultations/{consultation.slug}/ideas/new")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_vote_change_vote_and_counts(client, council, db, login_as):
    idea = make_idea()
    db.session.commit()
    voter = login_as("resident")
    assert client.post(f"/ideas/{idea.id}/vote", data={"value": "agree"}).status_code == 303
    assert client.post(f"/ideas/{idea.id}/vote", data={"value": "agree"}).status_code == 303
    _db.session.refresh(idea)
    assert (idea.agree_count, idea.disagree_count, idea.pass_count) == (1, 0, 0)
    client.post(f"/ideas/{idea.id}/vote", data={"value": "disagree"})
    _db.session.refresh(idea)
    assert (idea.agree_count, idea.disagree_count, idea.pass_count) == (0, 1, 0)
    votes = _db.session.query(Vote).filter_by(idea_id=idea.id, user_id=voter.id).all()
    assert len(votes) == 1 and votes[0].value is VoteValue.DISAGREE
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert '<strong data-count="disagree">1</strong>' in page
    assert "(your vote)" in page


def test_vote_answers_json_for_the_script(client, council, db, login_as):
    idea = make_idea()
    db.session.commit()
    login_as("resident")
    response = client.post(
        f"/ideas/{idea.id}/vote", data={"value": "pass"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    assert response.json["vote"] == "pass" and response.json["pass_"] == 1
    bad = client.post(
        f"/ideas/{idea.id}/vote", data={"value": "maybe"}, headers={"Accept": "application/json"}
    )
    assert bad.status_code == 400 and "agree, disagree or pass" in bad.json["error"]


def test_unknown_idea_is_404(client, council, login_as):
    login_as("resident")
    assert client.post("/ideas/999999/vote", data={"value": "agree"}).status_code == 404
    assert client.get("/ideas/999999").status_code == 404


def test_comment_and_reply_one_level(client, council, db, login_as):
    idea = make_idea()
    db.session.commit()
    login_as("resident")
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "Great idea"})
    assert response.status_code == 302
    top = _db.session.query(Comment).one()
    client.post(f"/ideas/{idea.id}/comments", data={"body": "I agree", "parent_id": top.id})
    reply = _db.session.query(Comment).filter(Comment.parent_id == top.id).one()
    nested = client.post(
        f"/ideas/{idea.id}/comments", data={"body": "Deeper", "parent_id": reply.id}
    )
    assert nested.status_code == 403
    _db.session.refresh(idea)
    assert idea.comment_count == 2
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert page.index("Great idea") < page.index("I agree")
    assert "Comments (2)" in page


def test_empty_comment_keeps_the_page_and_says_why(client, council, db, login_as):
    idea = make_idea()
    db.session.commit()
    login_as("resident")
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "   "})
    assert response.status_code == 400
    assert "Enter your comment" in response.get_data(as_text=True)


def test_reply_to_a_comment_on_another_idea_is_refused(client, council, db, login_as):
    idea, other = make_idea(), make_idea()
    foreign = make_comment(other)
    db.session.commit()
    login_as("resident")
    response = client.post(
        f"/ideas/{idea.id}/comments", data={"body": "Hello", "parent_id": foreign.id}
    )
    assert response.status_code == 400
    assert "no longer exists" in response.get_data(as_text=True)


def test_user_text_is_escaped(client, council, db):
    make_idea(
        title="<script>alert(1)</script>",
        body='<img src=x onerror="alert(2)">',
        consultation=make_consultation(),
    )
    db.session.commit()
    idea = _db.session.query(Idea).one()
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def _ideas_with_votes(db):
    consultation = make_consultation()
    voters = [make_user() for _ in range(4)]
    spec = {"loved": (4, 0, 0), "split": (2, 2, 0), "ignored": (0, 0, 1), "disliked": (0, 3, 0)}
    ideas = {}
    for title, (agree, disagree, passes) in spec.items():
        idea = ideas[title] = make_idea(consultation, title=title)
        values = ["agree"] * agree + ["disagree"] * disagree + ["pass"] * passes
        for voter, value in zip(voters, values, strict=False):
            cast_vote(idea, voter, VoteValue(value))
    make_comment(ideas["ignored"])
    db.session.commit()
    return consultation, ideas


def test_sorting(db):
    consultation, _ = _ideas_with_votes(db)
    titles = lambda sort: [i.title for i in list_ideas(consultation, sort=sort).items]  # noqa: E731
    assert titles("newest") == ["disliked", "ignored", "split", "loved"]
    assert titles("agreed")[0] == "loved"
    assert titles("discussed")[0] == "ignored"
    assert titles("divisive")[0] == "split"


def test_filter_by_neighbourhood_and_paginate(client, council, db):
    consultation = make_consultation()
    here, there = make_neighbourhood("Rye"), make_neighbourhood("Battle")
    for n in range(25):
        make_idea(consultation, title=f"Idea {n:02d}", neighbourhood=here if n % 5 == 0 else there)
    db.session.commit()
    assert list_ideas(consultation, neighbourhood_id=here.id).total == 5
    first = list_ideas(consultation, page=1, per_page=20)
    second = list_ideas(consultation, page=2, per_page=20)
    assert len(first.items) == 20 and len(second.items) == 5 and first.pages == 2
    assert not {i.id for i in first.items} & {i.id for i in second.items}
    page = client.get(f"/consultations/{consultation.slug}?neighbourhood={here.id}")
    assert page.get_data(as_text=True).count('class="app-idea"') == 5
    page2 = client.get(f"/consultations/{consultation.slug}?page=2").get_data(as_text=True)
    assert "Showing 21 to 25 of 25 ideas" in page2


@pytest.mark.parametrize(
    "query", ["sort=drop+table", "page=abc", "page=-1", "neighbourhood=xyz", "page=99999999999"]
)
def test_bad_list_parameters_are_a_400_not_a_500(client, council, db, query):
    consultation = make_consultation()
    db.session.commit()
    response = client.get(f"/consultations/{consultation.slug}?{query}")
    assert response.status_code == 400


def test_page_beyond_the_end_shows_the_last_page(client, council, db):
    consultation = make_consultation()
    make_idea(consultation, title="Only idea")
    db.session.commit()
    page = client.get(f"/consultations/{consultation.slug}?page=50")
    assert page.status_code == 200 and "Only idea" in page.get_data(as_text=True)
