"""Portable numerics: exact matrix products, float64 elementwise math and an exact LU solve.

The test process runs under the portable caps (conftest), so torch's CPU kernels for products
and for VML's functions are the replacements here; these tests pin what they compute.
"""

import math
import os
import subprocess
import sys

import numpy as np
import pytest
import scipy.special
import torch

from modelbazaar.train import exact_kernels, exact_math, exact_matmul, portable
from modelbazaar.train.exact_solve import solve


def _gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _rows_of_mixed_scale(m: int, k: int, seed: int = 0) -> torch.Tensor:
    g = _gen(seed)
    return torch.randn(m, k, generator=g) * torch.exp(torch.randn(m, 1, generator=g) * 3)


def test_the_replacements_are_in_force_in_a_portable_process() -> None:
    assert exact_kernels.installed() and exact_math.installed()
    assert not torch.backends.cuda.flash_sdp_enabled()  # the fused CPU attention calls the BLAS
    a, b = _rows_of_mixed_scale(7, 33), _rows_of_mixed_scale(33, 5, seed=1)
    assert torch.equal(a @ b, exact_matmul.product(a, b))
    x = torch.rand(1000, generator=_gen()) * 10
    assert torch.equal(torch.sqrt(x), exact_math.apply("sqrt", x))


def _on_grid(x: np.ndarray, axis: int, inner: int) -> np.ndarray:
    """The specification, written plainly: each line rounded (half to even) to 2**-s of its
    largest entry's power of two, s = (53 - ceil(log2 inner)) // 2."""
    bits = (53 - max(1, math.ceil(math.log2(max(inner, 2))))) // 2
    _, exponent = np.frexp(np.max(np.abs(x), axis=axis, keepdims=True))
    grid = np.ldexp(1.0, exponent - bits)
    return np.round(x / grid) * grid


@pytest.mark.parametrize(("m", "k", "n"), [(3, 1, 2), (64, 96, 48), (17, 700, 9), (8, 2500, 8)])
def test_products_are_the_exact_product_of_the_inputs_on_their_grid(m: int, k: int, n: int) -> None:
    a, b = _rows_of_mixed_scale(m, k), _rows_of_mixed_scale(k, n, seed=1)
    a_grid = _on_grid(a.double().numpy(), -1, k)
    b_grid = _on_grid(b.double().numpy(), -2, k)
    exact = a_grid @ b_grid  # every partial sum is a multiple of the grid below 2**53: exact
    assert np.array_equal((a @ b).numpy(), exact.astype(np.float32))


def test_products_are_nearly_as_accurate_as_an_fp32_blas() -> None:
    """Relative error 1e-6 (fp32 BLAS: 3e-7); 7e-6 with LLM-like outlier features (5e-7)."""
    g = _gen(9)
    a, b = torch.randn(256, 1024, generator=g), torch.randn(1024, 384, generator=g) * 0.02
    a[:, :4] *= 50
    exact = a.double() @ b.double()
    error = float(((a @ b).double() - exact).norm() / exact.norm())
    assert error < 2e-5


def test_a_product_does_not_depend_on_the_order_of_its_sum() -> None:
    """The property a BLAS lacks: permuting the inner dimension changes no bit."""
    a, b = _rows_of_mixed_scale(40, 300), _rows_of_mixed_scale(300, 30, seed=2)
    order = torch.randperm(300, generator=_gen(3))
    assert torch.equal(a @ b, a[:, order] @ b[order])
    assert torch.equal((a @ b)[:5], a[:5] @ b)  # nor on how many rows are computed at once
    assert torch.equal((a @ b)[:, :7], a @ b[:, :7])  # nor columns


def test_float64_products_are_exact_to_the_last_bit() -> None:
    from fractions import Fraction

    a = torch.randn(6, 200, generator=_gen(4), dtype=torch.float64)
    b = torch.randn(200, 3, generator=_gen(5), dtype=torch.float64)
    got = a @ b
    for i, j in [(0, 0), (3, 2), (5, 1)]:
        exact = sum(Fraction(float(a[i, t])) * Fraction(float(b[t, j])) for t in range(200))
        assert got[i, j].item() == float(exact)


def test_every_product_form_and_its_gradient() -> None:
    g = _gen(6)
    a, b = torch.randn(4, 6, generator=g), torch.randn(6, 3, generator=g)
    c = torch.full((4, 3), float("nan"))
    want = exact_matmul.product(a, b)
    assert torch.equal(torch.addmm(c, a, b, beta=0), want)  # beta = 0 ignores c, even NaN
    assert torch.equal(torch.addmm(torch.ones(3), a, b, alpha=2.0), want * 2 + 1)
    batch_a, batch_b = torch.randn(2, 4, 6, generator=g), torch.randn(2, 6, 3, generator=g)
    assert torch.equal(torch.bmm(batch_a, batch_b)[1], exact_matmul.product(batch_a[1], batch_b[1]))
    assert torch.equal(torch.baddbmm(torch.zeros(2, 4, 3), batch_a, batch_b), batch_a @ batch_b)
    both = torch.addbmm(torch.zeros(4, 3), batch_a, batch_b)
    assert torch.equal(
        both, exact_matmul.product(torch.cat(list(batch_a), 1), torch.cat(list(batch_b)))
    )
    v = torch.randn(6, generator=g)
    assert torch.equal(torch.mv(a, v), exact_matmul.product(a, v[:, None])[:, 0])
    assert torch.equal(torch.dot(v, v), exact_matmul.product(v[None], v[:, None]).reshape(()))
    out = torch.empty(0)
    torch.mm(a, b, out=out)
    assert torch.equal(out, want)
    inplace = torch.zeros(4, 3)
    inplace.addmm_(a, b)
    assert torch.equal(inplace, want)
    weight = torch.randn(5, 6, generator=g, requires_grad=True)
    x = torch.randn(2, 4, 6, generator=g, requires_grad=True)
    torch.nn.functional.linear(x, weight).sum().backward()
    assert weight.grad is not None and x.grad is not None
    assert torch.equal(x.grad[0], exact_matmul.product(torch.ones(4, 5), weight.detach()))
    assert torch.equal(
        weight.grad, exact_matmul.product(torch.ones(5, 8), x.detach().reshape(8, 6))
    )


def test_empty_products() -> None:
    assert torch.equal(torch.mm(torch.ones(3, 0), torch.ones(0, 4)), torch.zeros(3, 4))
    assert torch.mm(torch.ones(0, 5), torch.ones(5, 4)).shape == (0, 4)
    assert torch.dot(torch.ones(0), torch.ones(0)).item() == 0.0


def test_non_finite_inputs_give_non_finite_outputs() -> None:
    a = torch.tensor([[1.0, float("inf")], [1.0, 2.0]])
    got = a @ torch.tensor([[1.0], [1.0]])
    assert math.isinf(got[0, 0].item()) and got[1, 0].item() == 3.0


REFERENCES = {
    "sqrt": np.sqrt,
    "exp": np.exp,
    "log": np.log,
    "log2": np.log2,
    "log10": np.log10,
    "tanh": np.tanh,
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "atan": np.arctan,
    "asin": np.arcsin,
    "acos": np.arccos,
    "erf": scipy.special.erf,
    "erfc": scipy.special.erfc,
    "erfinv": scipy.special.erfinv,
}
RANGES = {"sqrt": (0, 1e6), "log": (1e-30, 1e30), "log2": (0, 1e3), "log10": (0, 1e3)}
RANGES |= {"exp": (-105, 89), "sin": (-3000, 3000), "cos": (-3000, 3000), "tanh": (-20, 20)}
RANGES |= {"asin": (-1, 1), "acos": (-1, 1), "erfinv": (-1, 1), "erfc": (-6, 10)}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_math_functions_are_correctly_rounded_on_random_inputs(name: str) -> None:
    low, high = RANGES.get(name, (-10, 10))
    x = (torch.rand(200_000, generator=_gen(7), dtype=torch.float64) * (high - low) + low).float()
    got = getattr(torch, name)(x).numpy()  # through the replaced kernel
    want64 = REFERENCES[name](x.double().numpy())
    with np.errstate(over="ignore"):
        want = want64.astype(np.float32)
    same = (got == want) | (np.isnan(got) & np.isnan(want))
    assert same.mean() >= 0.9999, f"{name}: {same.mean():.6f} correctly rounded"
    finite = np.isfinite(want) & (want != 0)
    error = np.abs(got[finite] - want64[finite]) / np.spacing(np.abs(want[finite]))
    assert error.max() <= 1.0, f"{name}: {error.max():.2f} ulp"


def test_math_functions_at_their_edges() -> None:
    edges = torch.tensor([0.0, -0.0, math.inf, -math.inf, math.nan, 1.0, -1.0, 1e-45])
    table = {name: torch.__dict__[name](edges).tolist() for name in ("sqrt", "exp", "log")}
    assert str(table["sqrt"][:5]) == str([0.0, -0.0, math.inf, math.nan, math.nan])
    assert table["exp"][:5] == [1.0, 1.0, math.inf, 0.0, table["exp"][4]] and math.isnan(
        table["exp"][4]
    )
    assert table["log"][0] == -math.inf and math.isnan(table["log"][6])
    assert torch.erfinv(torch.tensor([1.0, -1.0])).tolist() == [math.inf, -math.inf]
    assert str(torch.tanh(torch.tensor([-0.0])).item()) == "-0.0"
    x = torch.tensor([1.0, 4.0])
    x.sqrt_()
    assert x.tolist() == [1.0, 2.0]
    out = torch.empty(0)
    torch.exp(torch.zeros(3), out=out)
    assert out.tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(TypeError, match="complex"):
        torch.exp(torch.zeros(2, dtype=torch.complex64))


def test_the_lu_solve_matches_lapack_and_is_refused_when_singular() -> None:
    g = _gen(8)
    basis = torch.randn(40, 120, generator=g, dtype=torch.float64)
    lhs, rhs = basis @ basis.T / 120, torch.randn(40, 7, generator=g, dtype=torch.float64)
    x, singular = solve(lhs, rhs)
    assert not singular
    assert torch.allclose(lhs @ x, rhs, atol=1e-10)
    assert torch.allclose(x, torch.linalg.solve(lhs, rhs), atol=1e-9)
    assert solve(torch.zeros(3, 3, dtype=torch.float64), torch.ones(3, 1, dtype=torch.float64))[1]
    with pytest.raises(ValueError, match=r"\(n, n\)"):
        solve(torch.zeros(3, 2, dtype=torch.float64), torch.ones(3, 1, dtype=torch.float64))


def test_a_non_finite_line_changes_no_other_entry() -> None:
    g = _gen(10)
    for dtype in (torch.float32, torch.float64):
        a = torch.randn(64, 512, generator=g, dtype=dtype)
        b = torch.randn(512, 64, generator=g, dtype=dtype)
        a[0, 0], b[3, 5] = math.nan, math.inf
        got = a @ b
        clean_a, clean_b = a.clone(), b.clone()
        clean_a[0, 0], clean_b[3, 5] = 0.0, 0.0
        assert torch.equal(got[1:, :5], (clean_a @ clean_b)[1:, :5])
        assert bool(got[0].isnan().all()) and not bool(got[1:, 5].isfinite().any())


def test_kernels_keep_aten_checks_and_rules() -> None:
    a = torch.randn(4, 6, generator=_gen(11))
    with pytest.raises(RuntimeError, match="same dtype"):
        torch.mm(a, torch.randn(6, 3, dtype=torch.float64))
    with pytest.raises(RuntimeError, match="3-D"):
        torch.bmm(a, a.T)
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        torch.mm(a, a)
    with pytest.raises(RuntimeError, match="dtype"):
        torch.mm(a, a.T, out=torch.empty(4, 4, dtype=torch.float64))
    nan = torch.full((4, 6), math.nan)
    assert torch.equal(torch.addmm(torch.ones(4, 4), nan, a.T, alpha=0), torch.ones(4, 4))
    stock_gelu = torch.nn.functional.gelu(torch.addmm(torch.zeros(4), a, a.T))
    assert torch.equal(torch._addmm_activation(torch.zeros(4), a, a.T, use_gelu=True), stock_gelu)
    q = torch.randn(1, 2, 4, 8, generator=_gen(12))
    with pytest.raises(RuntimeError, match="fused CPU attention"):
        torch.ops.aten._scaled_dot_product_flash_attention_for_cpu(q, q, q)


def test_square_roots_by_any_route_and_math_edge_cases() -> None:
    x = torch.rand(10_000, generator=_gen(13)) * 100
    assert torch.equal(x**0.5, torch.sqrt(x)) and torch.equal(x.pow(2), x * x)
    assert torch.equal(x**3, x * x * x) and torch.equal(x**-1, torch.reciprocal(x))  # ATen's
    assert torch.equal(x**-0.5, torch.rsqrt(x)) and torch.equal(x**1.0, x)  # special cases kept
    assert (
        torch.tensor([2, 3]).pow(2).dtype == torch.int64 and (torch.tensor([4]) ** 0.5).item() == 2
    )
    assert str(torch.erf(torch.tensor([-0.0])).item()) == "-0.0"
    far = torch.sin(torch.tensor([1e20, 3.4e38, -2.5e30]))
    assert bool((far.abs() <= 1).all())
    near_one = torch.tensor([1 + 2**-30, 1 - 2**-40], dtype=torch.float64)
    assert torch.log(near_one).tolist() == [math.log1p(2**-30), math.log1p(-(2**-40))]
    with pytest.raises(RuntimeError, match="can't be cast"):
        torch.tensor([1, 4]).sqrt_()


def test_the_kernels_come_with_torch_even_after_a_spec_lookup() -> None:
    """transformers and peft look torch's spec up before importing it."""
    env = {k: v for k, v in os.environ.items() if k not in portable.CAPS}
    probe = (
        "from modelbazaar.train import portable; portable.activate(); import importlib.util; "
        "importlib.util.find_spec('torch'); import transformers, torch; "
        "print(portable.exact_numerics())"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1].startswith(exact_matmul.VERSION)
