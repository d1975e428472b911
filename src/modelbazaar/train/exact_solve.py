"""A linear solve whose bits no LAPACK and no CPU can change (RegMean merges, portable numerics).

``torch.linalg.solve`` calls MKL's LAPACK, which blocks and orders its sums by CPU, so a merge
replayed on another machine could round a merged weight differently. This is the same algorithm,
LU with partial pivoting, written as one elementwise update per column: every entry is changed
by one multiplication and one subtraction per step, in column order, so IEEE arithmetic fixes
every bit. It costs n Python steps for an n x n system (0.1 s at n = 64; RegMean's systems are
one per linear layer, n = its input width).

Example: solve(torch.eye(2, dtype=torch.float64) * 2, torch.ones(2, 1, dtype=torch.float64))
-> (tensor([[0.5], [0.5]]), False)
"""

import torch


def solve(lhs: torch.Tensor, rhs: torch.Tensor) -> tuple[torch.Tensor, bool]:
    """(x with lhs @ x = rhs, singular?) for a square float64 lhs and a 2-D rhs.

    `singular` is True when a pivot is zero or the solution is not finite; x is then not usable.
    """
    n = lhs.shape[0]
    if lhs.shape != (n, n) or rhs.ndim != 2 or rhs.shape[0] != n:
        shapes = f"{tuple(lhs.shape)}, {tuple(rhs.shape)}"
        raise ValueError(f"solve needs an (n, n) and an (n, k) matrix, got {shapes}")
    system = torch.cat([lhs, rhs], dim=1).to(torch.float64).clone()
    for col in range(n):
        pivot_row = col + int(torch.argmax(system[col:, col].abs()))  # first of equal maxima
        if pivot_row != col:
            system[[col, pivot_row]] = system[[pivot_row, col]]
        pivot = system[col, col]
        if not bool(torch.isfinite(pivot)) or float(pivot) == 0.0:
            return torch.full_like(rhs, float("nan"), dtype=torch.float64), True
        factors = system[col + 1 :, col] / pivot
        system[col + 1 :, col:] -= factors[:, None] * system[col, None, col:]
    solution = system[:, n:].clone()
    for col in range(n - 1, -1, -1):  # back substitution, last unknown first
        solution[col] /= system[col, col]
        solution[:col] -= system[:col, col, None] * solution[col, None]
    return solution, not bool(torch.isfinite(solution).all())
