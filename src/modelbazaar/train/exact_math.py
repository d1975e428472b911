"""Elementwise math whose bits no CPU can change (portable numerics, with `exact_matmul.py`).

PyTorch computes ``sqrt``, ``exp``, ``log``, ``tanh``, ``sin``, ``cos`` and a dozen more with
MKL's vector math library (VML) on x86. VML picks its code by CPU, and it is not even correctly
rounded: measured on one Intel CPU, ``torch.sqrt`` gave three different results under three
``MKL_CBWR`` branches (`perf` names the kernel: ``mkl_vml_kernel_sSqrt_EXHAynn``). AdamW takes
a square root of every weight's second moment at every step, and rotary position embeddings
take sines and cosines, so a portable build cannot let VML compute them.

Here each of those functions is computed in float64 from operations whose results IEEE-754
defines exactly (+, -, *, /, square root, rounding to an integer) or that PyTorch computes with
its own SLEEF kernels, which the ``ATEN_CPU_CAPABILITY=avx2`` cap fixes to one instruction
sequence (``expm1``, ``log1p``, ``atan2``, ``rsqrt``), then rounded once to float32. The result is
within one unit in the last place of the true value (measured in `tests/test_exact_math.py`;
`sqrt` is correctly rounded) and has the same bits on every x86-64 CPU with AVX2. Sines and
cosines use a Cody-Waite reduction that is exact for |x| < 8e5 (rotary angles are positions
times frequencies, far below); beyond it they stay deterministic but lose accuracy.

:func:`install` replaces PyTorch's CPU kernels of these ops, process-wide (``portable.activate``
arranges it). Complex inputs are refused there: nothing in a portable build uses them.
"""

import math
from collections.abc import Callable

import torch

from modelbazaar.train.exact_kernels import override_cpu_kernels

Fn = Callable[[torch.Tensor], torch.Tensor]
_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_SQRT_HALF = math.sqrt(0.5)
_REDUCE_EXACTLY = 2.0**19  # |x| below: the three-part reduction by pi/2 is exact
_LN2_HI, _LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10  # fdlibm's split
_TWO_OVER_PI = 2.0 / math.pi
# pi/2 in three parts of 33 bits (fdlibm's split): k * part is exact for |k| < 2**20.
_PIO2 = (1.57079632673412561417e00, 6.07710050630396597660e-11, 2.02226624871116645580e-21)
_SIN = [(-1) ** n / math.factorial(2 * n + 1) for n in range(9)]  # Taylor to r**17
_COS = [(-1) ** n / math.factorial(2 * n) for n in range(10)]  # Taylor to r**18
VERSION = "fp64-sleef-v1"  # recorded with every portable build: the bits depend on it
_LIBRARY: torch.library.Library | None = None


def _poly(r2: torch.Tensor, coefficients: list[float]) -> torch.Tensor:
    total = torch.full_like(r2, coefficients[-1])
    for c in reversed(coefficients[:-1]):
        total = total * r2 + c
    return total


def _sqrt64(x: torch.Tensor) -> torch.Tensor:
    r = torch.rsqrt(x)  # 1 / (an IEEE square root): exact operations
    s = x * r
    s = s + (x - s * s) * (0.5 * r)  # one Newton step: within half an ulp of float64
    return torch.where((x == 0) | (x == math.inf), x, s)  # sqrt(+-0) = +-0, sqrt(inf) = inf


def _two_to(k: torch.Tensor) -> torch.Tensor:
    """2**k for integer-valued float64 k in [-1022, 1023], built from its bits (exact)."""
    return ((k.to(torch.int64) + 1023) << 52).view(torch.float64)


def _exp64(x: torch.Tensor) -> torch.Tensor:
    # exp(x) = 2**k * exp(r), |r| <= ln(2)/2: expm1(r) + 1 keeps full precision there (expm1
    # alone would lose it all once exp(x) < 1e-16). ln 2 is split so that k * part is exact.
    x = x.clamp(-1100.0, 1100.0)  # beyond: 0 or inf in float64 anyway (nan stays nan)
    k = torch.floor(x * (1.0 / _LN2) + 0.5)
    r = (x - k * _LN2_HI) - k * _LN2_LO
    half = torch.floor(k * 0.5)  # two factors, so that neither power leaves the normal range
    return (torch.expm1(r) + 1.0) * _two_to(half) * _two_to(k - half)


def _log64(x: torch.Tensor) -> torch.Tensor:
    mantissa, exponent = torch.frexp(x)  # x = m * 2**e, m in [0.5, 1)
    low = mantissa < _SQRT_HALF  # m in [sqrt(1/2), sqrt(2)): e = 0 near 1, no cancellation
    mantissa = torch.where(low, mantissa * 2.0, mantissa)  # exact
    power = exponent.to(torch.float64) - low.to(torch.float64)
    return torch.log1p(mantissa - 1.0) + power * _LN2  # m - 1 is exact


def _sin_cos64(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    # Far out, first take the exact remainder by float64's 2*pi (IEEE fmod is exact): the
    # result is then only as good as that 2*pi, but it stays a sine in [-1, 1], the same bits
    # everywhere.
    x = torch.where(x.abs() < _REDUCE_EXACTLY, x, torch.fmod(x, 2 * math.pi))
    k = torch.floor(x * _TWO_OVER_PI + 0.5)
    r = ((x - k * _PIO2[0]) - k * _PIO2[1]) - k * _PIO2[2]  # in [-pi/4, pi/4]
    r2 = r * r
    s, c = r * _poly(r2, _SIN), _poly(r2, _COS)
    quadrant = torch.remainder(torch.nan_to_num(k, nan=0.0, posinf=0.0, neginf=0.0), 4)
    return _by_quadrant(quadrant, s, c), _by_quadrant(quadrant, c, -s)


def _by_quadrant(quadrant: torch.Tensor, first: torch.Tensor, second: torch.Tensor) -> torch.Tensor:
    """first, second, -first, -second for quadrants 0-3 (sin(x + k pi/2) cycles this way)."""
    low = torch.where(quadrant == 0, first, second)
    high = torch.where(quadrant == 2, -first, -second)
    return torch.where(quadrant < 2, low, high)


def _tanh64(x: torch.Tensor) -> torch.Tensor:
    t = torch.expm1(-2.0 * x.abs())
    return torch.copysign(-t / (t + 2.0), x)


def _tan64(x: torch.Tensor) -> torch.Tensor:
    sin, cos = _sin_cos64(x)
    return sin / cos


def _asin64(x: torch.Tensor) -> torch.Tensor:
    return torch.atan2(x, _sqrt64((1.0 - x) * (1.0 + x)))


def _acos64(x: torch.Tensor) -> torch.Tensor:
    return torch.atan2(_sqrt64((1.0 - x) * (1.0 + x)), x)


def _erfc_positive(a: torch.Tensor) -> torch.Tensor:
    return torch.special.erfcx(a) * _exp64(-a * a)  # erfcx: PyTorch's own scalar code


def _erf64(x: torch.Tensor) -> torch.Tensor:
    a = x.abs()
    series = torch.zeros_like(x)  # erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    term = x.clone()
    for n in range(20):  # |x| <= 0.5: the 20th term is below 1e-30
        series = series + term / (2 * n + 1)
        term = -term * x * x / (n + 1)
    far = 1.0 - _erfc_positive(a)
    near = (series * (2.0 / math.sqrt(math.pi))).abs()
    return torch.copysign(torch.where(a <= 0.5, near, far), x)  # odd, and erf(-0) = -0


def _erfc64(x: torch.Tensor) -> torch.Tensor:
    a = x.abs()
    positive = torch.where(a <= 0.5, 1.0 - _erf64(a), _erfc_positive(a))
    return torch.where(x < 0, 2.0 - positive, positive)


def _erfinv64(x: torch.Tensor) -> torch.Tensor:
    # Winitzki's closed form (relative error < 2e-3), then Newton steps on erf: deterministic
    # because the start is, and four steps reach float64 accuracy from there.
    w = _log64((1.0 - x) * (1.0 + x))  # ln(1 - x**2) <= 0
    a = 0.147
    b = 2.0 / (math.pi * a) + w / 2.0
    y = torch.copysign(_sqrt64(_sqrt64(b * b - w / a) - b), x)
    inside = x.abs() < 1
    for _ in range(4):
        step = (_erf64(y) - x) / (2.0 / math.sqrt(math.pi) * _exp64(-y * y))
        y = torch.where(inside, y - step, y)
    edge = torch.where(x.abs() == 1, torch.copysign(torch.full_like(x, math.inf), x), torch.nan)
    return torch.where(inside, y, edge)


FUNCTIONS: dict[str, Fn] = {
    "sqrt": _sqrt64,
    "exp": _exp64,
    "log": _log64,
    "log2": lambda x: _log64(x) / _LN2,
    "log10": lambda x: _log64(x) / _LN10,
    "tanh": _tanh64,
    "sin": lambda x: _sin_cos64(x)[0],
    "cos": lambda x: _sin_cos64(x)[1],
    "tan": _tan64,
    "atan": lambda x: torch.atan2(x, torch.ones_like(x)),
    "asin": _asin64,
    "acos": _acos64,
    "erf": _erf64,
    "erfc": _erfc64,
    "erfinv": _erfinv64,
}


def apply(name: str, x: torch.Tensor) -> torch.Tensor:
    """FUNCTIONS[name] of x, computed in float64 and rounded once to x's float type."""
    if x.is_complex():
        raise TypeError(f"complex {name} is not available under portable numerics")
    dtype = x.dtype if x.is_floating_point() else torch.get_default_dtype()
    return FUNCTIONS[name](x.detach().to(torch.float64)).to(dtype)


def _store(target: torch.Tensor, value: torch.Tensor) -> torch.Tensor:
    if value.is_floating_point() and not (target.is_floating_point() or target.is_complex()):
        raise RuntimeError(f"result type {value.dtype} can't be cast to {target.dtype}")
    if target.shape != value.shape:
        target.resize_(value.shape)
    return target.copy_(value)


def _kernels(name: str) -> tuple[Fn, Callable[..., torch.Tensor], Fn]:
    def functional(x: torch.Tensor) -> torch.Tensor:
        return apply(name, x)

    def with_out(x: torch.Tensor, *, out: torch.Tensor) -> torch.Tensor:
        return _store(out, apply(name, x))

    def in_place(x: torch.Tensor) -> torch.Tensor:
        return _store(x, apply(name, x))

    return functional, with_out, in_place


def power(x: torch.Tensor, exponent: complex) -> torch.Tensor:
    """x ** exponent (a number), as ATen's kernel computes it, except x ** 0.5: ATen takes that
    square root from VML, so it is taken here. ATen's other special cases are kept bit for bit
    (x * x, x * x * x, reciprocals, rsqrt); the rest go to ``pow(Tensor, Tensor)``, whose kernel
    is SLEEF's pow, as ATen's own general case."""
    if x.is_complex() or isinstance(exponent, complex):
        return torch.pow(x, torch.tensor(exponent))
    if exponent == 0.5:
        return apply("sqrt", x)
    if exponent == 0:
        return torch.ones_like(x, dtype=torch.result_type(x, exponent))
    if exponent == 1:
        return x.to(torch.result_type(x, exponent), copy=True)
    if exponent == 2:
        return x * x
    if exponent == 3:
        return x * x * x
    if x.is_floating_point() and exponent == -0.5:
        return torch.rsqrt(x)
    if x.is_floating_point() and exponent == -1:
        return torch.reciprocal(x)
    if x.is_floating_point() and exponent == -2:
        return torch.reciprocal(x * x)
    return torch.pow(x, torch.tensor(exponent))


def _pow_out(x: torch.Tensor, exponent: complex, *, out: torch.Tensor) -> torch.Tensor:
    return _store(out, power(x, exponent))


def _pow_in_place(x: torch.Tensor, exponent: complex) -> torch.Tensor:
    return _store(x, power(x, exponent))


def install() -> None:
    """Route this process's CPU kernels of FUNCTIONS through :func:`apply` (idempotent)."""
    global _LIBRARY
    if _LIBRARY is not None:
        return
    kernels: dict[str, Callable[..., object]] = {}
    for name in FUNCTIONS:
        kernels[name], kernels[f"{name}.out"], kernels[f"{name}_"] = _kernels(name)
    kernels |= {"pow.Tensor_Scalar": power, "pow.Tensor_Scalar_out": _pow_out}
    kernels["pow_.Scalar"] = _pow_in_place
    _LIBRARY = override_cpu_kernels(kernels)


def installed() -> bool:
    return _LIBRARY is not None
