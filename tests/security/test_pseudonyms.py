"""No named person's vote in the open data (issue 13, point 1).

The attack: the pages show a name beside every idea and comment; the open data and the API
show a pseudonym beside the same items; if any vote carried one of those pseudonyms, anyone
could read a named resident's votes. These tests join every public file and API answer
against the names the idea and comment pages show and find no vote of a named person, and
check the key behind the pseudonyms, their rotation on erasure and the order votes come in.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import re
import secrets
import stat
import zipfile
from collections import defaultdict
from datetime import timedelta

import lxml.html
import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, update
from sqlalchemy import text as sql

from kil_consult import config, create_app
from kil_consult.accounts.models import User
from kil_consult.analysis.tables import TABLES as RESULT_TABLES
from kil_consult.config import ConfigError, secret_key_problem, settings_from_environ
from kil_consult.consultations.models import Stage
from kil_consult.extensions import db as _db
from kil_consult.ideas.models import Comment, Idea, Source, Visibility, Vote
from kil_consult.personal_data import services as personal_data
from kil_consult.timeutil import utcnow

from ..api.conftest import seed
from ..api.test_api_privacy import every_answer
from ..factories import make_comment, make_idea, make_organisation, make_user, make_vote

PSEUDONYM = re.compile(r"\b[a-z]+-[0-9a-f]{8,}\b")


# --- the world and what anyone can read ------------------------------------------------------


@pytest.fixture
def world(db):
    """The API's seeded consultation (named authors who also vote), plus a person who posts
    in their own name and on behalf of an organisation and votes, and an idea gathered
    offline, typed in by a facilitator who votes too."""
    seeded = seed(db)
    consultation = seeded.consultation
    start = utcnow() - timedelta(days=1)
    for idea in seeded.published[:6]:
        make_vote(idea, seeded.person, "agree")  # the recognisable author votes too
    member = make_user(display_name="Orla Member")
    group = make_organisation(name="Hastings Larder", members=[member])
    own = make_idea(consultation, author=member, title="Orla's own idea", created_at=start)
    as_group = make_idea(
        consultation,
        author=member,
        title="The larder's idea",
        organisation_id=group.id,
        created_at=start,
    )
    make_comment(own, member, "Orla on her own idea")
    make_comment(seeded.published[1], member, "The larder says yes").organisation_id = group.id
    facilitator = make_user("facilitator", display_name="Fiona Facilitator")
    offline = make_idea(
        consultation,
        author=facilitator,
        title="Said at the fair",
        source=Source.EVENT,
        contributor_name="A visitor",
        created_at=start,
    )
    for idea in (seeded.published[0], seeded.published[3], own, as_group, offline):
        make_vote(idea, member, "disagree")
        make_vote(idea, facilitator, "agree")
    db.session.commit()
    seeded.extra = {"member": member, "own": own, "as_group": as_group, "offline": offline}
    return seeded


def _published_ideas(db, consultation) -> list[Idea]:
    return list(
        db.session.scalars(
            select(Idea).where(
                Idea.consultation_id == consultation.id, Idea.visibility == Visibility.PUBLISHED
            )
        )
    )


def names_on_the_pages(client, ideas) -> tuple[dict[tuple[str, int], str], dict[str, str]]:
    """Each idea and comment the pages show with a person's name, by ('idea'|'comment', id),
    and the text of every page read (organisation and offline bylines name no person)."""
    named: dict[tuple[str, int], str] = {}
    pages: dict[str, str] = {}
    for idea in ideas:
        response = client.get(f"/ideas/{idea.id}")
        assert response.status_code == 200
        pages[f"/ideas/{idea.id}"] = text = response.get_data(as_text=True)
        tree = lxml.html.fromstring(text)
        (byline,) = [
            p for p in tree.iter("p") if p.text_content().strip().startswith("Shared by")
        ] or [None]
        if byline is not None and not byline.findall(".//a"):
            name = byline.text_content().strip().removeprefix("Shared by ")
            named[("idea", idea.id)] = re.split(r", | on ", name)[0]
        for item in tree.xpath("//li[starts-with(@id, 'comment-')]"):
            meta = item.xpath(".//p[contains(@class, 'app-comment__meta')]")[0]
            strong = meta.find("strong")
            if not strong.findall(".//a"):
                named[("comment", int(item.get("id").removeprefix("comment-")))] = (
                    strong.text_content().strip()
                )
    return named, pages


def _zip(data: bytes) -> dict[str, list[dict]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {
        name[:-4]: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        for name in archive.namelist()
        if name.endswith(".csv")
    }


def _pseudonyms_in(record: dict) -> set[str]:
    """The pseudonym-like values of one record, whatever its columns are called."""
    return {v for v in record.values() if isinstance(v, str) and PSEUDONYM.fullmatch(v)}


def _api_items(value, found: list[tuple[str, dict]]) -> None:
    """Every idea (has a title) and comment or reply (has a body, no title) in an answer."""
    if isinstance(value, dict):
        if isinstance(value.get("id"), int) and isinstance(value.get("author"), str):
            found.append(("idea" if "title" in value else "comment", value))
        for child in value.values():
            _api_items(child, found)
    elif isinstance(value, list):
        for child in value:
            _api_items(child, found)


def _api_authors(answers: dict[str, str]) -> set[str]:
    found: list[tuple[str, dict]] = []
    for text in answers.values():
        if text.startswith("{"):
            _api_items(json.loads(text), found)
    return {item["author"] for _kind, item in found}


# --- the join --------------------------------------------------------------------------------


def test_no_public_file_or_answer_joined_with_the_pages_shows_a_named_persons_vote(
    client, db, world
):
    consultation = world.consultation
    ideas = _published_ideas(db, consultation)
    named, pages = names_on_the_pages(client, ideas)
    people = set(named.values())
    assert {world.person.display_name, "Orla Member"} <= people
    assert "Fiona Facilitator" not in people  # the offline idea she typed names its contributor
    # Everyone named on the pages voted, so a join that works would find their votes.
    voted = set(
        db.session.scalars(select(User.display_name).join(Vote, Vote.user_id == User.id).distinct())
    )
    assert people <= voted and len(people) >= 4

    texts: dict[str, str] = dict(pages)
    pseudonyms_of: dict[str, set[str]] = defaultdict(set)  # a name -> values shown with it

    def note(kind: str, item_id, record: dict) -> None:
        name = named.get((kind, int(item_id)))
        if name is not None:
            pseudonyms_of[name] |= _pseudonyms_in(record)

    votes_by_export: list[list[dict]] = []
    slug = consultation.slug
    for kind in ("zip", "json"):  # two downloads are two exports
        response = client.get(f"/consultations/{slug}/open-data.{kind}")
        assert response.status_code == 200
        if kind == "zip":
            tables = _zip(response.data)
            readme = zipfile.ZipFile(io.BytesIO(response.data)).read("README.json")
            texts["open-data.zip/README.json"] = readme.decode()
        else:
            tables = {k: v for k, v in response.json.items() if k != "about"}
            texts["open-data.json about"] = json.dumps(response.json["about"])
        for name, rows in tables.items():
            if name != "votes":  # the votes themselves are what is looked for
                texts[f"open-data.{kind}/{name}"] = json.dumps(rows)
        for row in tables["ideas"]:
            note("idea", row["idea_id"], row)
        for row in tables["comments"]:
            note("comment", row["comment_id"], row)
        votes_by_export.append(tables["votes"])
    for url, text in every_answer(client, world).items():
        texts[url] = text
        if text.startswith("{"):
            found: list[tuple[str, dict]] = []
            _api_items(json.loads(text), found)
            for kind, item in found:
                note(kind, item["id"], item)
    # The results tables are public once the consultation has closed (and its summary is out).
    consultation.stage, consultation.closed_at = Stage.CLOSED, utcnow()
    db.session.commit()
    for table in RESULT_TABLES:
        response = client.get(f"/consultations/{slug}/results/{table}.csv")
        assert response.status_code == 200, table
        texts[f"results/{table}.csv"] = response.get_data(as_text=True)

    assert set(pseudonyms_of) == people  # every named person was found beside a pseudonym
    for votes in votes_by_export:
        assert len(votes) == db.session.scalar(
            select(func.count(Vote.id)).where(Vote.idea_id.in_([i.id for i in ideas]))
        )
        voters = set().union(*(_pseudonyms_in(row) for row in votes))
        assert voters
        for name, shown in pseudonyms_of.items():
            assert not voters & shown, f"the votes of {name} can be read"
        # Nor can any other join reach a vote: its pseudonym is in no other file or answer.
        for where, text in texts.items():
            leaked = {v for v in voters if v in text}
            assert not leaked, f"a voter's pseudonym appears in {where}"
    first, second = (set().union(*map(_pseudonyms_in, votes)) for votes in votes_by_export)
    assert not first & second  # and one export's voters are not the next one's


def test_an_authors_pseudonym_follows_the_byline_not_the_person(client, world):
    """Writing for an organisation, the pages show its name: the API does not give away which
    member wrote by sharing the member's own pseudonym. Each idea gathered offline has its
    own, not the facilitator's who typed it in."""
    extra = world.extra
    own = client.get(f"/api/v1/ideas/{extra['own'].id}").json
    as_group = client.get(f"/api/v1/ideas/{extra['as_group'].id}").json
    offline = client.get(f"/api/v1/ideas/{extra['offline'].id}").json
    assert as_group["organisation"]["name"] == "Hastings Larder"
    assert own["author"] == own["comments"][0]["author"]  # her own byline is stable
    assert len({own["author"], as_group["author"], offline["author"]}) == 3
    comment = next(
        c
        for c in client.get(f"/api/v1/ideas/{world.published[1].id}").json["comments"]
        if c["body"] == "The larder says yes"
    )
    assert comment["author"] == as_group["author"]  # the larder's byline is stable too
    tables = _zip(client.get(f"/consultations/{world.consultation.slug}/open-data.zip").data)
    author = {row["title"]: row["author"] for row in tables["ideas"]}
    assert author["Orla's own idea"] != author["The larder's idea"]


def test_votes_are_exported_in_an_order_that_says_nothing_of_when_they_came(client, db):
    """The first vote on an idea is often its author's: the order must not tell."""
    seeded = seed(db, ideas=2)
    early, late = seeded.published
    people = [make_user() for _ in range(5)]
    for person in people:
        make_vote(early, person, "agree")
    for person in reversed(people):
        make_vote(late, person, "agree")
    db.session.commit()
    tables = _zip(client.get(f"/consultations/{seeded.consultation.slug}/open-data.zip").data)
    order = defaultdict(list)
    for row in tables["votes"]:
        order[int(row["idea_id"])] += sorted(_pseudonyms_in(row))
    ours = set().union(*(set(order[early.id]), set(order[late.id])))
    assert len(ours) >= 5
    assert [v for v in order[early.id] if v in order[late.id]] == [
        v for v in order[late.id] if v in order[early.id]
    ]
    ideas_in_order = [int(row["idea_id"]) for row in tables["votes"]]
    assert ideas_in_order == sorted(ideas_in_order)


# --- the key and the seed ----------------------------------------------------------------------


def _tried_by_id(keys: list[str], user_ids) -> set[str]:
    """What someone holding a key gets by hashing every account id (the old construction and
    plain variants of it)."""
    found = set()
    for key in keys:
        for user_id in user_ids:
            for context in (b"kil-consult participant:", b""):
                digest = hmac.new(key.encode(), context + str(user_id).encode(), hashlib.sha256)
                found.add(f"participant-{digest.hexdigest()[:16]}")
    return found


def _keys(app) -> list[str]:
    """The keys the app holds (a leak of the server's settings gives them all)."""
    return [key for key in (app.config["SECRET_KEY"], app.config.get("KIL_PSEUDONYM_KEY")) if key]


def test_an_authors_pseudonym_does_not_reverse_by_trying_ids_even_with_the_keys(
    client, app, world, db
):
    ids = range(1, (db.session.scalar(select(func.max(User.id))) or 0) + 50)
    keys = _keys(app) + ["dev-only-not-secret-change-me"]  # and the old published default
    shown = _api_authors(every_answer(client, world))
    assert len(shown) > 3
    assert not shown & _tried_by_id(keys, ids)


def test_erasure_keeping_contributions_gives_them_pseudonyms_unlinkable_to_the_old(
    client, app, db, world
):
    person = world.person
    idea = world.published[0]
    url = f"/api/v1/ideas/{idea.id}"
    an_hour_ago = utcnow() - timedelta(hours=1)  # the last change, well before the erasure
    db.session.execute(update(Vote).values(created_at=an_hour_ago, updated_at=an_hour_ago))
    db.session.execute(update(Comment).values(created_at=an_hour_ago))
    world.consultation.updated_at = an_hour_ago
    db.session.commit()
    before = client.get(url)
    old = before.json["author"]
    assert before.json["comments"][0]["author"] == old
    listing = f"/api/v1/consultations/{world.consultation.slug}/ideas?limit=100"
    assert old in client.get(listing).get_data(as_text=True)

    personal_data.erase_account(person, keep_contributions=True)
    db.session.commit()

    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Former participant" in page and world.person.email not in page
    after = client.get(url).json
    new = after["author"]
    assert new != old and after["comments"][0]["author"] == new
    # Nowhere is the old pseudonym left, and nothing derived from the id gives the new one.
    answers = every_answer(client, world)
    assert not [u for u, text in answers.items() if old in text]
    ids = range(1, (db.session.scalar(select(func.max(User.id))) or 0) + 50)
    assert new not in _tried_by_id(_keys(app), ids)
    # A client that asks "changed since?" with the time it last read is told it changed.
    since = before.headers["Last-Modified"]
    again = client.get(url, headers={"If-Modified-Since": since})
    assert again.status_code == 200 and again.json["author"] == new


# --- the key production requires -------------------------------------------------------------

GOOD_SECRET = "3f9c1b7e0a5d48c2b6e1f0a9d7c35e8b41a2c6d0f9e7b3a5"


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("KIL_ENV", "production")
    monkeypatch.setenv("KIL_SECRET_KEY", GOOD_SECRET)
    monkeypatch.delenv("KIL_PSEUDONYM_KEY", raising=False)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "short-Xy7$q",
        "a" * 40,
        "abcd" * 10,
        "dev-only-not-secret-change-me-for-pseudonyms",
        GOOD_SECRET,  # the session key again
    ],
)
def test_production_refuses_to_start_without_a_strong_pseudonym_key(production, monkeypatch, key):
    monkeypatch.setenv("KIL_PSEUDONYM_KEY", key)
    with pytest.raises(ConfigError, match="KIL_PSEUDONYM_KEY"):
        settings_from_environ()
    with pytest.raises(ConfigError, match="KIL_PSEUDONYM_KEY"):
        create_app()


def test_production_takes_a_random_pseudonym_key(production, monkeypatch):
    key = secrets.token_hex(32)
    monkeypatch.setenv("KIL_PSEUDONYM_KEY", key)
    assert settings_from_environ()["KIL_PSEUDONYM_KEY"] == key


def test_development_makes_a_random_pseudonym_key_per_install(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE_PATH", tmp_path / "instance")
    for name in ("KIL_ENV", "KIL_SECRET_KEY", "KIL_PSEUDONYM_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = settings_from_environ()
    key = settings["KIL_PSEUDONYM_KEY"]
    key_file = tmp_path / "instance" / "pseudonym_key"
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert secret_key_problem(key) is None and key != settings["SECRET_KEY"]
    assert settings_from_environ()["KIL_PSEUDONYM_KEY"] == key  # kept: pseudonyms stay stable
    monkeypatch.setattr(config, "INSTANCE_PATH", tmp_path / "another")
    assert settings_from_environ()["KIL_PSEUDONYM_KEY"] != key


# --- the migration ------------------------------------------------------------------------------


def test_the_migration_gives_every_existing_account_its_own_random_seed(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/old.sqlite3"})
    with app.app_context():
        upgrade(revision="2b5332152ed6")  # the revision before the seeds
        with _db.engine.begin() as connection:
            for n in range(3):
                connection.execute(
                    sql(
                        "INSERT INTO users (email, display_name, password_hash, role, "
                        "created_at, session_generation) VALUES (:email, 'Old', '!', "
                        "'resident', CURRENT_TIMESTAMP, 1)"
                    ),
                    {"email": f"old{n}@example.org"},
                )
        upgrade()
        with _db.engine.connect() as connection:
            seeds = connection.execute(sql("SELECT pseudonym_seed FROM users")).scalars().all()
        _db.engine.dispose()
    assert len(set(seeds)) == 3
    assert all(re.fullmatch(r"[0-9a-f]{32}", seed) for seed in seeds)
