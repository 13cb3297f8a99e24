"""Similar ideas: TF-IDF with cosine similarity (scikit-learn), so residents can vote on an
existing idea instead of repeating it, and facilitators can spot likely duplicates.

Each worker keeps one index per consultation in memory. New ideas are added to it as they
arrive (transformed with the existing vocabulary); it is rebuilt in full when ideas are
hidden or merged, or when it is ten minutes old, so the vocabulary keeps up.

NumPy, SciPy and scikit-learn are imported inside the functions that use them, so a web
worker that never looks for similar ideas never loads them (``tests/test_lazy_imports.py``).
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from ..cache import per_request
from ..consultations.models import Consultation
from ..extensions import db
from .models import Idea, Visibility

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse

# Chosen on the labelled pairs of tests/data/similar_pairs.json (tests/test_similar_precision.py):
# at 0.3 every suggestion was a true duplicate (precision 100%) and 14 of 16 duplicates were
# found; at 0.15 a third of what was suggested was only on a near topic.
MIN_SCORE = 0.3
# A suggestion must share at least this many different words with the text (not counting pairs
# of words): in a consultation of a few ideas one shared word ("older") scored as high as a
# duplicate does.
MIN_SHARED_WORDS = 2
# Words every idea in a Keep it Local consultation may use, which say nothing about its topic.
DOMAIN_STOP_WORDS = frozenset(
    {
        "people", "local", "council", "resident", "residents", "service",
        "services", "area", "areas", "town", "better", "idea", "need", "needs", "make",
        "help", "use", "way", "ways", "like", "think", "want", "just", "really", "lot",
    }
)  # fmt: skip
REBUILD_AFTER_SECONDS = 600
MAX_QUERY_CHARACTERS = 4000


@dataclass
class SimilarIdea:
    idea: Idea
    score: float
    shared_words: int = 0


@dataclass
class _Index:
    vectorizer: Any  # a fitted TfidfVectorizer, or None
    matrix: Any  # a scipy.sparse CSR matrix, or None
    ids: np.ndarray
    count: int
    max_id: int
    built_at: float
    words: np.ndarray | None = None  # for each feature: a single word (not a pair of words)


_indexes: dict[tuple[str, int], _Index] = {}
_lock = threading.Lock()


_WORD = re.compile(r"[a-z0-9]+")


@cache
def stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS


def _stem(word: str) -> str:
    """A light English stemmer, so 'libraries', 'library' and 'Sundays', 'Sunday' match."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words_and_pairs(text: str) -> list[str]:
    """The stemmed words of a text without stop words, and each pair of neighbouring words."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    stop = stop_words()
    words = [
        _stem(w)
        for w in _WORD.findall(plain)
        if w not in stop and w not in DOMAIN_STOP_WORDS and len(w) > 1
    ]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def _documents(consultation_id: int, after_id: int = 0) -> tuple[list[int], list[str]]:
    rows = db.session.execute(
        select(Idea.id, Idea.title, Idea.body)
        .where(
            Idea.consultation_id == consultation_id,
            Idea.visibility == Visibility.PUBLISHED,
            Idea.id > after_id,
        )
        .order_by(Idea.id)
    ).all()
    # The title counts twice: it is the idea in a few words.
    return [r.id for r in rows], [f"{r.title} {r.title} {r.body}" for r in rows]


def _build(consultation_id: int, count: int, max_id: int) -> _Index:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    ids, texts = _documents(consultation_id)
    if not texts:
        return _Index(None, None, np.array([], dtype=np.int64), 0, 0, time.monotonic())
    vectorizer = TfidfVectorizer(
        analyzer=words_and_pairs,
        sublinear_tf=True,
        max_features=200_000,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # only stop words: nothing to compare
        return _Index(None, None, np.array(ids), count, max_id, time.monotonic())
    words = np.array([" " not in name for name in vectorizer.get_feature_names_out()])
    return _Index(vectorizer, matrix, np.array(ids), count, max_id, time.monotonic(), words)


def _extend(index: _Index, consultation_id: int, count: int, max_id: int) -> _Index:
    import numpy as np
    from scipy import sparse

    ids, texts = _documents(consultation_id, after_id=index.max_id)
    if index.vectorizer is None or len(ids) + index.count != count:
        return _build(consultation_id, count, max_id)
    extra = index.vectorizer.transform(texts).tocsr()
    return _Index(
        index.vectorizer,
        sparse.vstack([index.matrix, extra], format="csr"),
        np.concatenate([index.ids, np.array(ids)]),
        count,
        max_id,
        index.built_at,
        index.words,
    )


def _shared_words(index: _Index, rows: np.ndarray, query: sparse.csr_matrix) -> np.ndarray:
    """How many different single words each of ``rows`` shares with the query."""
    import numpy as np

    present = index.matrix[rows].multiply(query[0]).tocsr()
    present.data[:] = 1
    return np.asarray(present @ index.words.astype(np.int32)).ravel()


def index_for(consultation: Consultation) -> _Index:
    """The up-to-date index of a consultation's published ideas (checked once a request)."""
    checked = per_request().setdefault("similar_checked", {})
    if consultation.id not in checked:
        checked[consultation.id] = db.session.execute(
            select(func.count(Idea.id), func.coalesce(func.max(Idea.id), 0)).where(
                Idea.consultation_id == consultation.id,
                Idea.visibility == Visibility.PUBLISHED,
            )
        ).one()
    count, max_id = checked[consultation.id]
    key = (str(db.engine.url), consultation.id)
    with _lock:
        index = _indexes.get(key)
        fresh = index is not None and time.monotonic() - index.built_at < REBUILD_AFTER_SECONDS
        if fresh and (index.count, index.max_id) == (count, max_id):
            return index
        if fresh and max_id > index.max_id and count > index.count:
            index = _extend(index, consultation.id, count, max_id)
        else:
            index = _build(consultation.id, count, max_id)
        _indexes[key] = index
        return index


def similar_ideas(
    consultation: Consultation,
    text: str,
    limit: int = 5,
    exclude_id: int | None = None,
    min_score: float = MIN_SCORE,
    min_shared_words: int = MIN_SHARED_WORDS,
) -> list[SimilarIdea]:
    """Up to ``limit`` published ideas in the consultation whose words are most like ``text``."""
    import numpy as np

    text = (text or "").strip()[:MAX_QUERY_CHARACTERS]
    if len(text) < 3:
        return []
    index = index_for(consultation)
    if index.vectorizer is None or index.matrix is None or index.matrix.shape[0] == 0:
        return []
    query = index.vectorizer.transform([text])
    scores = (index.matrix @ query.T).toarray().ravel()
    if exclude_id is not None:
        scores[index.ids == exclude_id] = 0.0
    wanted = min(limit, scores.size)
    top = np.argpartition(-scores, wanted - 1)[:wanted]
    top = top[np.argsort(-scores[top])]
    shared = _shared_words(index, top, query)
    chosen = [
        (int(index.ids[i]), float(scores[i]), int(words))
        for i, words in zip(top, shared, strict=True)
        if scores[i] >= min_score and words >= min_shared_words
    ]
    if not chosen:
        return []
    ideas = {
        idea.id: idea
        for idea in db.session.scalars(select(Idea).where(Idea.id.in_([c[0] for c in chosen])))
    }
    return [
        SimilarIdea(ideas[i], score, words)
        for i, score, words in chosen
        if i in ideas and ideas[i].visibility is Visibility.PUBLISHED
    ]


def forget_indexes() -> None:
    """Drop every cached index (tests, and after a restore)."""
    with _lock:
        _indexes.clear()


def likely_duplicates(ideas: list[Idea], limit: int = 3) -> dict[int, list[SimilarIdea]]:
    """For each idea, up to ``limit`` other published ideas of its consultation most like it.

    One index lookup per consultation and one query for all the ideas found, however many
    ideas are asked about (the moderation queue asks about up to fifty at once).
    """
    import numpy as np

    found: dict[int, list[tuple[int, float]]] = {}
    for consultation_id in {idea.consultation_id for idea in ideas}:
        asked = [idea for idea in ideas if idea.consultation_id == consultation_id]
        index = index_for(asked[0].consultation)
        if index.vectorizer is None or index.matrix is None or index.matrix.shape[0] == 0:
            continue
        queries = index.vectorizer.transform(
            [f"{idea.title} {idea.body}"[:MAX_QUERY_CHARACTERS] for idea in asked]
        )
        scores = (index.matrix @ queries.T).toarray()
        for column, idea in enumerate(asked):
            column_scores = scores[:, column]
            column_scores[index.ids == idea.id] = 0.0
            wanted = min(limit, column_scores.size)
            top = np.argpartition(-column_scores, wanted - 1)[:wanted]
            top = top[np.argsort(-column_scores[top])]
            shared = _shared_words(index, top, queries[column])
            found[idea.id] = [
                (int(index.ids[i]), float(column_scores[i]))
                for i, words in zip(top, shared, strict=True)
                if column_scores[i] >= MIN_SCORE and words >= MIN_SHARED_WORDS
            ]
    wanted_ids = {i for pairs in found.values() for i, _ in pairs}
    loaded = (
        {
            idea.id: idea
            for idea in db.session.scalars(
                select(Idea).where(Idea.id.in_(wanted_ids), Idea.visibility == Visibility.PUBLISHED)
            )
        }
        if wanted_ids
        else {}
    )
    return {
        idea_id: [SimilarIdea(loaded[i], score) for i, score in pairs if i in loaded]
        for idea_id, pairs in found.items()
    }
