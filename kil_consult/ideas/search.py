"""Search the published ideas and comments by their words, best match first.

PostgreSQL uses its full-text search (``english`` configuration: stems, stop words) on a stored,
generated ``search_vector`` column with a GIN index (migration ``d7e4a1c9b5f2``); SQLite uses FTS5
tables (``ideas_fts``, ``comments_fts``, Porter stemmer) that triggers keep in step with every
insert, change and deletion of an idea or comment. Either way the words of a search are
matched all together (each word, or a word with the same stem, must appear) and ranked with
an idea's title counting more than its description.

Callers add the filters as SQL conditions on ``Idea`` (see ``IdeaSearch``), so the areas above
(themes live in the analysis area) can filter by what they own.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from sqlalchemy import column, func, literal_column, select, table
from sqlalchemy.orm import joinedload

from ..consultations.models import Consultation, Stage
from ..extensions import db
from .models import Comment, Idea, Source, Visibility, Vote
from .services import ideas_for_cards
from .similar import stop_words

# The generated columns (PostgreSQL; not in the models, which need not know them).
IDEA_VECTOR = "ideas.search_vector"
COMMENT_VECTOR = "comments.search_vector"
MAX_TERMS = 12
MAX_QUERY_CHARACTERS = 200
_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(text: str | None) -> list[str]:
    """The words of a search, lower case, without common words ("the", "and") and repeats."""
    words = _WORD.findall((text or "")[:MAX_QUERY_CHARACTERS].lower())
    common = stop_words()  # scikit-learn's English list, loaded on the first search
    kept = [w for w in words if w not in common and len(w) < 60]
    return list(dict.fromkeys(kept))[:MAX_TERMS]


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _hits(kind: str, terms: list[str]):
    """(id, rank) of every idea or comment whose words match all the terms, higher is better."""
    if _postgres():
        query = func.plainto_tsquery(literal_column("'english'::regconfig"), " ".join(terms))
        vector = literal_column(IDEA_VECTOR if kind == "idea" else COMMENT_VECTOR)
        model = Idea if kind == "idea" else Comment
        return (
            select(model.id.label("id"), func.ts_rank_cd(vector, query).label("rank"))
            .where(vector.op("@@")(query))
            .subquery()
        )
    name = "ideas_fts" if kind == "idea" else "comments_fts"
    fts = table(name, column("rowid"))
    this = literal_column(name)
    match = " AND ".join(f'"{term}"' for term in terms)
    # bm25 is lower for better matches; the title weighs ten times the description
    rank = func.bm25(this, 10.0, 1.0) if kind == "idea" else func.bm25(this)
    # MATERIALIZED: the full-text match runs once, first; left to itself SQLite's planner
    # walks the ideas and runs the match again for each of them
    return (
        select(fts.c.rowid.label("id"), (-rank).label("rank"))
        .where(this.op("MATCH")(match))
        .cte(f"{name}_hits")
        .prefix_with("MATERIALIZED")
    )


def not_voted_by(user):
    """The condition "the person has not voted on this idea yet"."""
    return ~select(Vote.id).where(Vote.idea_id == Idea.id, Vote.user_id == user.id).exists()


@dataclass
class IdeaSearch:
    """What to look for and where: the words, and filters on the ideas (all optional)."""

    text: str = ""
    consultation_ids: list[int] | None = None  # None: every public consultation
    neighbourhood_id: int | None = None
    organisation_id: int | None = None
    source: Source | None = None
    not_voted_by: object | None = None  # a signed-in person
    extra: list = field(default_factory=list)  # more conditions on Idea (such as a theme)

    @property
    def terms(self) -> list[str]:
        return search_terms(self.text)

    def idea_conditions(self, by_organisation: bool = True) -> list:
        """Published ideas in open or closed consultations, narrowed by the filters."""
        found = [
            Idea.visibility == Visibility.PUBLISHED,
            Idea.consultation_id.in_(
                select(Consultation.id).where(Consultation.stage != Stage.DRAFT)
            ),
            *self.extra,
        ]
        if self.consultation_ids is not None:
            found.append(Idea.consultation_id.in_(self.consultation_ids))
        if self.neighbourhood_id is not None:
            found.append(Idea.neighbourhood_id == self.neighbourhood_id)
        if self.organisation_id is not None and by_organisation:
            found.append(Idea.organisation_id == self.organisation_id)
        if self.source is not None:
            found.append(Idea.source == self.source)
        if self.not_voted_by is not None:
            found.append(not_voted_by(self.not_voted_by))
        return found


@dataclass
class SearchResults:
    """One page of matching ideas, the best matching comments, and how many of each."""

    ideas: list[Idea]
    total: int
    comments: list[Comment]
    comment_total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def search(
    wanted: IdeaSearch, page: int = 1, per_page: int = 20, comment_limit: int = 10
) -> SearchResults:
    """Published ideas and comments matching the words, best first (newest among equals).

    Comments count where their idea passes the filters (the organisation filter means the
    comment was posted on the organisation's behalf). No words: nothing is found.
    """
    terms = wanted.terms
    if not terms:
        return SearchResults([], 0, [], 0, 1, per_page)
    conditions = wanted.idea_conditions()
    hits = _hits("idea", terms)

    def one_page(number: int) -> list[tuple[int, int]]:
        """(id, how many match in all) for the ideas of page ``number``: one pass, so the
        words are matched once for the page and its count."""
        return list(
            db.session.execute(
                select(Idea.id, func.count().over())
                .join(hits, hits.c.id == Idea.id)
                .where(*conditions)
                .order_by(hits.c.rank.desc(), Idea.created_at.desc(), Idea.id.desc())
                .limit(per_page)
                .offset((number - 1) * per_page)
            ).tuples()
        )

    rows = one_page(page)
    if rows:
        total = rows[0][1]
    else:  # past the last page (or nothing found): count, then show the last page
        total = (
            db.session.scalar(
                select(func.count())
                .select_from(Idea)
                .join(hits, hits.c.id == Idea.id)
                .where(*conditions)
            )
            or 0
        )
        last = max(1, math.ceil(total / per_page))
        if total and page > last:
            page, rows = last, one_page(last)
        else:
            page = 1
    ids = [idea_id for idea_id, _ in rows]
    loaded = ideas_for_cards(ids)
    comments, comment_total = _comments(wanted, terms, comment_limit)
    return SearchResults([loaded[i] for i in ids], total, comments, comment_total, page, per_page)


def _comments(wanted: IdeaSearch, terms: list[str], limit: int):
    hits = _hits("comment", terms)
    conditions = [
        Comment.visibility == Visibility.PUBLISHED,
        *wanted.idea_conditions(by_organisation=False),
    ]
    if wanted.organisation_id is not None:  # the comment's own organisation, not its idea's
        conditions.append(Comment.organisation_id == wanted.organisation_id)
    rows = list(
        db.session.execute(
            select(Comment.id, func.count().over())
            .join(hits, hits.c.id == Comment.id)
            .join(Idea, Idea.id == Comment.idea_id)
            .where(*conditions)
            .order_by(hits.c.rank.desc(), Comment.created_at.desc(), Comment.id.desc())
            .limit(limit)
        ).tuples()
    )
    ids = [comment_id for comment_id, _ in rows]
    total = rows[0][1] if rows else 0
    loaded = {
        comment.id: comment
        for comment in db.session.scalars(
            select(Comment)
            .options(
                joinedload(Comment.author),
                joinedload(Comment.organisation),
                joinedload(Comment.idea),
            )
            .where(Comment.id.in_(ids))
        ).unique()
    }
    return [loaded[i] for i in ids], total
