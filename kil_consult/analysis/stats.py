"""The significance tests of ``ANALYSIS.md``, shared by groups, consensus and representative ideas.

Pol.is's own formulas (``polismath/math/stats.clj``), each count smoothed by one, on numpy arrays
of any shape. Pure functions: no database, no Flask.
"""

from __future__ import annotations

import numpy as np

# Separation (analysis/groups.py): planted groups give a best silhouette of 0.5 and more and a
# stability of 0.9 and more; votes with no structure give 0.33-0.45 and 0.2-0.6
# (tests/analysis/test_groups.py). Here, not in groups.py, so pages can state the bars without
# loading scikit-learn.
SILHOUETTE_MIN = 0.45
STABILITY_MIN = 0.8

Z_90 = 1.2816  # one-sided 90% significance, as Pol.is uses throughout
MIN_GROUP_VOTES = 5  # nothing is said about a group's view of an idea on fewer of its votes


def smoothed(successes, votes) -> np.ndarray:
    """The share of votes that are a success, one added to each side: ``(s + 1) / (n + 2)``."""
    return (np.asarray(successes, dtype=np.float64) + 1) / (np.asarray(votes, dtype=np.float64) + 2)


def within_z(successes, votes) -> np.ndarray:
    """One-proportion test that more than half the votes are successes (Pol.is ``pat``).

    ``2 * sqrt(n + 1) * ((s + 1) / (n + 1) - 1/2)``: above ``Z_90`` means significantly more
    than half, one-sided at 90%.
    """
    s = np.asarray(successes, dtype=np.float64)
    n = np.asarray(votes, dtype=np.float64)
    return 2 * np.sqrt(n + 1) * ((s + 1) / (n + 1) - 0.5)


def two_proportion_z(succ_in, n_in, succ_out, n_out) -> np.ndarray:
    """Two-proportion z of "in" against "out", one added to every count (Pol.is ``rat``).

    0 where the pooled share is 1 (the test is undefined there).
    """
    a = np.asarray(succ_in, dtype=np.float64) + 1
    b = np.asarray(succ_out, dtype=np.float64) + 1
    m = np.asarray(n_in, dtype=np.float64) + 1
    big_m = np.asarray(n_out, dtype=np.float64) + 1
    q = (a + b) / (m + big_m)
    denom = np.sqrt(np.clip(q * (1 - q) * (1 / m + 1 / big_m), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (a / m - b / big_m) / denom
    return np.where((q >= 1) | (denom == 0), 0.0, z)


def wilson_lower_bound(agree, disagree, z: float = 1.96) -> np.ndarray:
    """Lower bound of the Wilson score interval of agree / (agree + disagree); 0 with no votes."""
    agree = np.asarray(agree, dtype=np.float64)
    n = agree + np.asarray(disagree, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        phat = agree / n
        centre = phat + z * z / (2 * n)
        margin = z * np.sqrt((phat * (1 - phat) + z * z / (4 * n)) / n)
        bound = (centre - margin) / (1 + z * z / n)
    return np.where(n > 0, bound, 0.0)


def divisiveness(agree, disagree) -> np.ndarray:
    """How much an idea splits opinion: twice the smaller side, ``2 * min(agree, disagree)``.

    It equals ``(a + d) * (1 - |a - d| / (a + d))``: large only when many people took each side,
    so 100 / 100 is more divisive than 5 / 5 or 190 / 10 (the ideas list sorts the same way).
    """
    agree = np.asarray(agree, dtype=np.float64)
    disagree = np.asarray(disagree, dtype=np.float64)
    return 2 * np.minimum(agree, disagree)
