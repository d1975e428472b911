"""Matrix products whose bits no BLAS library and no CPU can change (portable numerics).

A float sum depends on the order of its terms, and every BLAS (MKL, OpenBLAS, oneDNN) picks
that order by CPU: measured, MKL's ``COMPATIBLE`` branch gave one ``tiny`` build on AMD CPUs and
another on an Intel Xeon (README "Reproducibility"). So a portable process computes every fp32
matrix product itself, with a sum that has no order to pick: the Ozaki error-free split.

Each row of ``A`` (each column of ``B``) is rounded to a grid of powers of two set by its
largest entry: ``s`` bits below it, with ``s`` chosen so that every product of two entries and
every sum of ``K`` of them is an integer multiple of the grid below 2**53. Such a sum is exact
in float64, whatever order a library adds it in, so any float64 GEMM (numpy's OpenBLAS here)
returns the same bits on every CPU; the exact sum is then rounded once to fp32. With ``K`` up
to 2048, ``s`` is 21 to 26 bits (fp32 numbers have 24), so the entries near a line's largest
keep fp32's precision and only entries far below it lose low bits (see ``FP32_SLICES``). A
portable build of the ``quick`` template trains 3.7x slower than with MKL's kernels
(`bench/portable_numerics.py`); it runs only under the portable caps.

:func:`install` replaces PyTorch's CPU kernels for every BLAS-backed product (``mm``, ``addmm``,
``bmm``, ``baddbmm``, ``addbmm``, ``addmv``, ``dot`` and their ``out=``/in-place forms) with
these, process-wide: autograd's backward products go through them too. It also turns off the
fused CPU attention kernel, whose inner products call the BLAS directly, so attention runs as
``softmax(q @ k.T) @ v`` on the exact products. ``portable.activate`` arranges it for the
moment torch is imported.

    >>> install(); a = torch.randn(3, 4); b = torch.randn(4, 2)
    >>> torch.equal(a @ b, product(a, b))
    True
"""

import math
import warnings

import numpy as np
import threadpoolctl
import torch

VERSION = "ozaki-fp64-1-slice-v1"  # recorded with every portable build: the bits depend on it
_LIBRARY: torch.library.Library | None = None
# Slices per operand. fp32: one, so each entry is rounded to a multiple of 2**-s of its line's
# largest entry (s = 21 to 26 bits for K <= 2048; an fp32 number has 24): fp32's precision for
# a line's large entries, less for entries far below them. Two slices (hi + lo, three exact
# products) were correctly rounded in 99.99% of entries but made a `quick` training step 2.6x
# slower again (1.84 vs 0.71 s); the losses agreed to 6 digits. float64 (RegMean's sums): three
# slices, six exact products, equal to the exact product in tests.
FP32_SLICES = 1
FLOAT64_SLICES = 3
_MAX_BLOCK = 1 << 19  # inner dimension per exact block: keeps >= 17 bits per slice


def _bits(inner: int) -> int:
    """Bits per slice so that ``inner`` products of two slices sum exactly below 2**53."""
    return (53 - max(1, math.ceil(math.log2(max(inner, 2))))) // 2


def _line_maxima(x: torch.Tensor, dim: int) -> torch.Tensor:
    """max |x| along `dim` (NaN if the line holds a NaN), kept as a dimension of size 1."""
    low, high = torch.aminmax(x, dim=dim, keepdim=True)
    return torch.maximum(high, -low)


def _slices(x: torch.Tensor, top: torch.Tensor, bits: int, count: int) -> list[np.ndarray]:
    """`count` float64 slices of x, largest first, on the grid of each line's maximum `top`.

    Slice i holds the bits of x from 2**(e - i*bits) down to 2**(e - (i+1)*bits), e being the
    exponent of the line's largest entry; what lies below the last slice is dropped. Adding
    1.5 * 2**(g + 52) to a number below 2**(g + 51) leaves no bits under 2**g, so
    ``(x + sigma) - sigma`` is x rounded to a multiple of 2**g, exactly (IEEE addition).
    Computed with torch's elementwise kernels (threaded; IEEE, so the same bits on any CPU).
    """
    _, exponent = torch.frexp(top)  # top < 2**exponent; an all-zero line gets exponent 0
    parts, rest = [], x
    for i in range(1, count + 1):
        grid = exponent.to(torch.int64) + (52 - i * bits)
        sigma = ((grid + 1023) << 52 | (1 << 51)).view(torch.float64)  # 1.5 * 2**grid, exact
        part = (rest + sigma).sub_(sigma)
        parts.append(part.numpy())
        if i < count:
            rest = rest - part  # exact
    return parts


def _exact_block(a: torch.Tensor, b: torch.Tensor, count: int) -> torch.Tensor:
    a_top, b_top = _line_maxima(a, -1), _line_maxima(b, -2)
    if not (bool(torch.isfinite(a_top).all()) and bool(torch.isfinite(b_top).all())):
        return torch.from_numpy(np.matmul(a.numpy(), b.numpy()))  # inf/nan: no grid; inf/nan out
    bits = _bits(a.shape[-1])
    a_parts, b_parts = _slices(a, a_top, bits, count), _slices(b, b_top, bits, count)
    # Every slice product is exact (so any BLAS, any order, gives its bits). They are added in
    # one fixed order: the products of each level i + j, smallest level first. Adding +0.0
    # last makes every zero +0.0 (a BLAS may return -0.0 for a sum of negative zeros).
    total = None
    for level in range(count - 1, -1, -1):
        terms = [np.matmul(a_parts[i], b_parts[level - i]) for i in range(level + 1)]
        level_sum = terms[0]
        for term in terms[1:]:
            level_sum = level_sum + term
        total = level_sum if total is None else level_sum + total
    assert total is not None
    return torch.from_numpy(total + 0.0)


def product(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """a @ b for 2-D or batched 3-D float tensors, the same bits on every CPU.

    The slice products run in numpy's float64 BLAS (torch's own product kernels are the ones
    replaced). fp32 inputs take one slice each, float64 inputs three (six exact products);
    bf16 and fp16 are computed as fp32 and rounded back. Integer and complex products go to
    numpy's matmul unchanged.
    """
    out_dtype = a.dtype
    if a.is_complex() or not a.is_floating_point():
        return torch.from_numpy(np.matmul(a.detach().numpy(), b.detach().numpy())).to(out_dtype)
    count = FLOAT64_SLICES if a.dtype == torch.float64 else FP32_SLICES
    a64, b64 = a.detach().to(torch.float64), b.detach().to(torch.float64)  # exact conversions
    total = _exact_block(a64[..., :_MAX_BLOCK], b64[..., :_MAX_BLOCK, :], count)
    for start in range(_MAX_BLOCK, a64.shape[-1], _MAX_BLOCK):  # further blocks, in order
        end = start + _MAX_BLOCK
        total = total + _exact_block(a64[..., start:end], b64[..., start:end, :], count)
    return total.to(out_dtype)


def _scaled_sum(base: torch.Tensor, made: torch.Tensor, beta: float, alpha: float) -> torch.Tensor:
    """beta * base + alpha * made, with BLAS's rule that beta == 0 ignores base (even nan)."""
    if alpha != 1:
        made = made * alpha
    if beta == 0:
        return made.to(base.dtype) if made.dtype != base.dtype else made
    return (base * beta if beta != 1 else base) + made


def _into(out: torch.Tensor, value: torch.Tensor) -> torch.Tensor:
    out.resize_(value.shape)
    out.copy_(value)
    return out


def _mm(self: torch.Tensor, mat2: torch.Tensor) -> torch.Tensor:
    return product(self, mat2)


def _addmm(
    self: torch.Tensor, mat1: torch.Tensor, mat2: torch.Tensor, *, beta: float = 1, alpha: float = 1
) -> torch.Tensor:
    return _scaled_sum(self.expand(mat1.shape[0], mat2.shape[1]), product(mat1, mat2), beta, alpha)


def _baddbmm(
    self: torch.Tensor, b1: torch.Tensor, b2: torch.Tensor, *, beta: float = 1, alpha: float = 1
) -> torch.Tensor:
    shape = (b1.shape[0], b1.shape[1], b2.shape[2])
    return _scaled_sum(self.expand(shape), product(b1, b2), beta, alpha)


def _addbmm(
    self: torch.Tensor, b1: torch.Tensor, b2: torch.Tensor, *, beta: float = 1, alpha: float = 1
) -> torch.Tensor:
    # sum_i b1[i] @ b2[i] is one product over the concatenated inner dimension: exact too.
    a = b1.permute(1, 0, 2).reshape(b1.shape[1], -1)
    b = b2.reshape(-1, b2.shape[2])
    return _scaled_sum(self.expand(b1.shape[1], b2.shape[2]), product(a, b), beta, alpha)


def _addmv(
    self: torch.Tensor, mat: torch.Tensor, vec: torch.Tensor, *, beta: float = 1, alpha: float = 1
) -> torch.Tensor:
    made = product(mat, vec.unsqueeze(1)).squeeze(1)
    return _scaled_sum(self.expand(mat.shape[0]), made, beta, alpha)


def _dot(self: torch.Tensor, tensor: torch.Tensor) -> torch.Tensor:
    return product(self.unsqueeze(0), tensor.unsqueeze(1)).reshape(())


def _addmm_activation(
    self: torch.Tensor,
    mat1: torch.Tensor,
    mat2: torch.Tensor,
    *,
    beta: float = 1,
    alpha: float = 1,
    use_gelu: bool = False,
) -> torch.Tensor:
    value = _addmm(self, mat1, mat2, beta=beta, alpha=alpha)
    return torch.nn.functional.gelu(value, approximate="tanh") if use_gelu else value.relu()


def _out_form(fn):  # type: ignore[no-untyped-def]
    def with_out(*args, out: torch.Tensor, **kwargs):  # type: ignore[no-untyped-def]
        return _into(out, fn(*args, **kwargs))

    return with_out


def _in_place(fn):  # type: ignore[no-untyped-def]
    def in_place(self: torch.Tensor, *args, **kwargs):  # type: ignore[no-untyped-def]
        return self.copy_(fn(self, *args, **kwargs))

    return in_place


KERNELS = {
    "mm": _mm,
    "addmm": _addmm,
    "bmm": _mm,
    "baddbmm": _baddbmm,
    "addbmm": _addbmm,
    "addmv": _addmv,
    "dot": _dot,
    "_addmm_activation": _addmm_activation,
}
IN_PLACE = ("addmm", "baddbmm", "addbmm", "addmv")


def install() -> None:
    """Route this process's CPU matrix products through :func:`product` (idempotent)."""
    global _LIBRARY
    if _LIBRARY is not None:
        return
    library = torch.library.Library("aten", "IMPL")
    with warnings.catch_warnings():  # "overriding a previously registered kernel": we mean to
        warnings.simplefilter("ignore")
        for name, kernel in KERNELS.items():
            library.impl(name, kernel, "CPU")
            library.impl(f"{name}.out", _out_form(kernel), "CPU")
        for name in IN_PLACE:
            library.impl(f"{name}_", _in_place(KERNELS[name]), "CPU")
    # One BLAS thread: numpy's OpenBLAS threads spin beside torch's and made a (512, 32, 512)
    # product 6x slower on 2 cores; the bits do not depend on it (every product is exact).
    threadpoolctl.threadpool_limits(limits=1, user_api="blas")
    # The fused CPU attention kernel calls the BLAS directly; the math form uses bmm (above).
    torch.backends.cuda.enable_flash_sdp(False)
    torch.backends.cuda.enable_mem_efficient_sdp(False)
    _LIBRARY = library


def installed() -> bool:
    return _LIBRARY is not None
