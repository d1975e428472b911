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

``exact_kernels.py`` puts this product in place of PyTorch's CPU kernels for every
BLAS-backed product (``mm``, ``addmm``, ``bmm``, ``baddbmm``, ``addbmm``, ``addmv``, ``dot``),
process-wide, when ``portable.activate`` has run and torch is imported.

    >>> a, b = torch.randn(3, 4), torch.randn(4, 2)
    >>> product(a, b).shape   # in a portable process `a @ b` is this very product
    torch.Size([3, 2])
"""

import math

import numpy as np
import torch

VERSION = "ozaki-fp64-1-slice-v1"  # recorded with every portable build: the bits depend on it
# Slices per operand. fp32: one, so each entry is rounded to a multiple of 2**-s of its line's
# largest entry (s = 21 to 26 bits for K <= 2048; an fp32 number has 24): fp32's precision for
# a line's large entries, less for entries far below them. Two slices (hi + lo, three exact
# products) were correctly rounded in 99.99% of entries but made a `quick` training step 2.6x
# slower again (1.84 vs 0.71 s); the losses agreed to 6 digits. float64 (RegMean's sums): three
# slices, six exact products, equal to the exact product in tests.
FP32_SLICES = 1
FLOAT64_SLICES = 3
_MAX_BLOCK = 1 << 19
_F64_RANGE = 2.0**900  # inner dimension per exact block: keeps >= 17 bits per slice


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
    a_bad, b_bad = ~torch.isfinite(a_top), ~torch.isfinite(b_top)
    if bool(a_bad.any()) or bool(b_bad.any()):
        # Every entry of a row (column) holding inf or NaN is inf or NaN whatever the order of
        # its sum (NaN if any term is, or if +inf meets -inf); the plain product gives those.
        # The other entries must not change: they are computed exactly without the bad lines.
        plain = torch.from_numpy(np.matmul(a.numpy(), b.numpy()))
        zero = torch.zeros((), dtype=a.dtype)
        exact = _exact_block(torch.where(a_bad, zero, a), torch.where(b_bad, zero, b), count)
        return torch.where(a_bad | b_bad, plain, exact)
    if a.dtype == torch.float64 and bool(((a_top > _F64_RANGE) | (b_top > _F64_RANGE)).any()):
        raise ValueError(
            "exact float64 product: an entry above 2**900 has no exact grid below 2**1024; "
            "scale the inputs (portable numerics)"
        )
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
        plain_a, plain_b = (t.detach().resolve_conj().resolve_neg().numpy() for t in (a, b))
        return torch.from_numpy(np.matmul(plain_a, plain_b)).to(out_dtype)
    count = FLOAT64_SLICES if a.dtype == torch.float64 else FP32_SLICES
    a64, b64 = a.detach().to(torch.float64), b.detach().to(torch.float64)  # exact conversions
    if a64.shape[-1] == 0:  # an empty sum: zeros (no line has a largest entry)
        return torch.from_numpy(np.matmul(a64.numpy(), b64.numpy())).to(out_dtype)
    total = _exact_block(a64[..., :_MAX_BLOCK], b64[..., :_MAX_BLOCK, :], count)
    for start in range(_MAX_BLOCK, a64.shape[-1], _MAX_BLOCK):  # further blocks, in order
        end = start + _MAX_BLOCK
        total = total + _exact_block(a64[..., start:end], b64[..., start:end, :], count)
    return total.to(out_dtype)
