"""An attacker with the published pages: exact linear algebra (over the rationals) on every
figure shown, to find any count of people that the figures fix."""

from __future__ import annotations

from fractions import Fraction


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [list(r) for r in rows]
    rank = 0
    width = len(matrix[0]) if matrix else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        lead = matrix[rank][col]
        matrix[rank] = [v / lead for v in matrix[rank]]
        for i in range(len(matrix)):
            if i != rank and matrix[i][col] != 0:
                factor = matrix[i][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return rank


class Attacker:
    """Knows sums of unknown counts (``learn``) and asks whether a sum is fixed (``knows``)."""

    def __init__(self, unknowns: list):
        self.index = {u: i for i, u in enumerate(unknowns)}
        self.rows: list[list[Fraction]] = []

    def _vector(self, terms) -> list[Fraction]:
        vector = [Fraction(0)] * len(self.index)
        for term in terms:
            vector[self.index[term]] += 1
        return vector

    def learn(self, terms) -> None:
        self.rows.append(self._vector(terms))

    def knows(self, terms) -> bool:
        if not self.rows:
            return False
        return _rank(self.rows) == _rank([*self.rows, self._vector(terms)])
