"""Suggested themes from the ideas' text: TF-IDF, k-means, each theme named by its top terms.

Above 500 ideas the TF-IDF vectors are first reduced to 50 dimensions (latent semantic
analysis, ``TruncatedSVD``) and normalised, and clustered with mini-batch k-means, so that
this stays a few seconds. The number of themes is
chosen by the mean cosine silhouette (on a sample of at most 2,000
ideas) over k = 2 .. min(12, n / 3). Deterministic: fixed seeds. Pure computation on strings.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

SEED = 2027
MIN_IDEAS = 6
MAX_THEMES = 12
TOP_TERMS = 3
SILHOUETTE_SAMPLE = 2000
LSA_ABOVE = 500  # ideas
LSA_COMPONENTS = 50


@dataclass
class SuggestedTheme:
    """A cluster of ideas: its top terms (its suggested name) and the indices of its ideas."""

    terms: list[str]
    members: list[int]

    @property
    def name(self) -> str:
        return ", ".join(self.terms).capitalize()


def _kmeans(k: int, n: int):
    """Full k-means for a few hundred ideas; mini-batch k-means (same objective) for more."""
    if n > LSA_ABOVE:
        return MiniBatchKMeans(
            n_clusters=k, n_init=1, max_iter=50, batch_size=2048, random_state=SEED
        )
    return KMeans(n_clusters=k, n_init=4, random_state=SEED)


def _top_terms(weights: np.ndarray, terms: np.ndarray) -> list[str]:
    """The heaviest terms, skipping one that repeats a word already chosen ('bus', 'bus stop')."""
    chosen: list[str] = []
    seen: set[str] = set()
    for index in np.argsort(-weights, kind="stable")[: TOP_TERMS * 5]:
        term = str(terms[index])
        if weights[index] <= 0 or set(term.split()) & seen:
            continue
        chosen.append(term)
        seen.update(term.split())
        if len(chosen) == TOP_TERMS:
            break
    return chosen


def suggest_themes(texts: list[str]) -> list[SuggestedTheme]:
    """Cluster the texts into themes; an empty list when there are too few to say anything."""
    if len(texts) < MIN_IDEAS:
        return []
    vectoriser = TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        min_df=2 if len(texts) >= 30 else 1,
        max_df=0.6,
        sublinear_tf=True,
        max_features=20_000,
    )
    try:
        matrix = vectoriser.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return []
    keep = np.asarray(matrix.getnnz(axis=1)) > 0
    if keep.sum() < MIN_IDEAS:
        return []
    rows = np.flatnonzero(keep)
    matrix = matrix[rows]
    terms = vectoriser.get_feature_names_out()
    features = matrix
    if matrix.shape[0] > LSA_ABOVE and matrix.shape[1] > LSA_COMPONENTS:
        # Many ideas: cluster in a 50-dimension latent semantic space (fast, dense, small).
        lsa = TruncatedSVD(n_components=LSA_COMPONENTS, random_state=SEED)
        features = normalize(lsa.fit_transform(matrix))
    best = None
    for k in range(2, min(MAX_THEMES, matrix.shape[0] // 3) + 1):
        km = _kmeans(k, features.shape[0])
        with warnings.catch_warnings():
            # Identical ideas make fewer distinct clusters than k: that k just scores lower.
            warnings.simplefilter("ignore", ConvergenceWarning)
            labels = km.fit_predict(features)
        if len(np.unique(labels)) < 2:
            continue
        score = silhouette_score(
            features,
            labels,
            metric="cosine",
            sample_size=min(SILHOUETTE_SAMPLE, matrix.shape[0]),
            random_state=SEED,
        )
        if best is None or score > best[0]:
            best = (score, km, labels)
    if best is None:
        return []
    _score, km, labels = best
    themes = []
    for cluster in range(km.n_clusters):
        inside = labels == cluster
        if not inside.any():
            continue
        weights = np.asarray(matrix[inside].mean(axis=0)).ravel()
        themes.append(SuggestedTheme(_top_terms(weights, terms), rows[inside].tolist()))
    themes.sort(key=lambda theme: (-len(theme.members), theme.members[0]))
    return themes
