"""The vote matrix and its opinion map (two principal components), as ``ANALYSIS.md`` says.

The matrix of votes is centred by each idea's mean over the votes cast; a missing vote is
imputed as that mean, so the centred matrix keeps one stored value per vote. Its two principal
components come from scikit-learn's ``TruncatedSVD`` (randomized SVD, fixed seed) on that
sparse matrix, never densified. Tiny matrices (fewer than three rows or columns) use numpy's
dense SVD instead, since the randomized solver needs a spare dimension.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD

SEED = 2027
MIN_CLUSTERED = 15  # at least this many participants are clustered (heaviest voters added)
MAX_VOTES_NEEDED = 7  # a participant needs min(7, number of ideas) votes to be clustered


@dataclass
class VoteData:
    """The votes of one consultation as parallel arrays over row and column indices.

    ``zeroed`` marks columns of hidden or merged-away ideas: they stay in the matrix as a pass
    for everyone, so that they neither move people nor count as missing.
    """

    rows: np.ndarray  # participant index per vote
    cols: np.ndarray  # idea index per vote
    values: np.ndarray  # +1 agree, -1 disagree, 0 pass
    n_participants: int
    n_ideas: int
    zeroed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        if self.zeroed.size == 0:
            self.zeroed = np.zeros(self.n_ideas, dtype=bool)


# --- the matrix and its principal components ----------------------------------------------


def vote_matrix(data: VoteData) -> sp.csr_matrix:
    """Participants x ideas, one stored value per vote; zeroed columns hold only zeros."""
    values = np.where(data.zeroed[data.cols], 0, data.values).astype(np.float64)
    return sp.csr_matrix(
        (values, (data.rows, data.cols)), shape=(data.n_participants, data.n_ideas)
    )


def _centred(data: VoteData, means: np.ndarray | None = None):
    """The vote matrix centred by column means over the votes cast (a missing vote is 0)."""
    matrix = vote_matrix(data).tocsc()
    if means is None:
        counts = np.bincount(data.cols, minlength=data.n_ideas).astype(np.float64)
        sums = np.asarray(matrix.sum(axis=0)).ravel()
        means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    # Centre only the stored values: a missing vote is imputed as the mean, i.e. exactly 0.
    centred = matrix.copy()
    centred.data = centred.data - np.repeat(means, np.diff(centred.indptr))
    return centred.tocsr(), means


def _project(data: VoteData, centred: sp.csr_matrix, components: np.ndarray) -> np.ndarray:
    """Scaled positions: ``p_i * sqrt(C / n_i)``, so light voters do not all sit at the centre."""
    n_rows, n_cols = centred.shape
    positions = np.asarray(centred @ components.T)
    # Zeroed columns are present cells for everyone (a pass), so they count in n_i.
    live_votes = np.bincount(data.rows[~data.zeroed[data.cols]], minlength=n_rows).astype(
        np.float64
    )
    present = live_votes + float(data.zeroed.sum())
    return positions * np.sqrt(n_cols / np.maximum(present, 1.0))[:, None]


def _fit_components(centred: sp.csr_matrix) -> np.ndarray:
    n_rows, n_cols = centred.shape
    components = np.zeros((2, n_cols))
    if min(n_rows, n_cols) > 2:
        svd = TruncatedSVD(
            n_components=2,
            algorithm="randomized",
            n_iter=5,
            power_iteration_normalizer="QR",
            random_state=SEED,
        )
        svd.fit(centred)
        components = svd.components_
    elif min(n_rows, n_cols) > 0:
        _u, _s, vt = np.linalg.svd(centred.toarray(), full_matrices=False)
        components[: vt.shape[0]] = vt[:2]
    return components


def principal_components(
    data: VoteData, previous: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The two principal components of the mean-imputed matrix and each participant's position.

    ``previous`` (2 x n_ideas, zeros where unknown) keeps each component's sign stable: a
    component pointing away from its predecessor is flipped.
    """
    centred, _means = _centred(data)
    components = _fit_components(centred)
    if previous is not None and previous.shape == components.shape:
        for k in range(2):
            if float(np.dot(previous[k], components[k])) < 0:
                components[k] = -components[k]
    return components, _project(data, centred, components)


def clustered_participants(data: VoteData) -> np.ndarray:
    """Who is clustered: enough votes (hidden ideas count), topped up with the heaviest voters."""
    votes = np.bincount(data.rows, minlength=data.n_participants)
    chosen = votes >= min(MAX_VOTES_NEEDED, data.n_ideas)
    chosen &= votes > 0
    wanted = min(MIN_CLUSTERED, int((votes > 0).sum()))
    if chosen.sum() < wanted:
        order = np.lexsort((np.arange(votes.size), -votes))  # heaviest first, stable
        chosen[order[:wanted]] = True
    return chosen
