"""Matrix products whose bits no BLAS library and no CPU can change (portable numerics).

A float sum depends on the order of its terms, and every BLAS (MKL, OpenBLAS, oneDNN) picks
that order by CPU: measured, MKL's ``COMPATIBLE`` branch gave one ``tiny`` build on AMD CPUs and
another on an Intel Xeon (README "Reproducibility"). So a portable process computes every fp32
matrix product itself, with a sum that has no order to pick: the Ozaki error-free split.

Each row of ``A`` (each column of ``B``) is cut into two slices on a fixed grid of powers of two
below its largest entry, ``s`` bits each, chosen so that every product of two slice entries and
every sum of ``K`` of them is an integer multiple of the grid below 2**53. Such a sum is exact
in float64, whatever order a library adds it in, so any float64 GEMM (numpy's OpenBLAS here)
returns the same bits on every CPU. The slice products are then added in one fixed order
(``hi@hi + (hi@lo + lo@hi)``) and rounded to fp32. The result is at least as accurate as an fp32
GEMM (measured: more than 99.98% of entries are the correctly rounded exact product; the rest
are one rounding away) and costs a few times more; it runs only under the portable caps.

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

VERSION = "ozaki-2x-fp64-v1"  # recorded with every portable build: the bits depend on it
_LIBRARY: torch.library.Library | None = None
_MAX_BLOCK = 1 << 21  # inner dimension per exact block: keeps s >= 16 bits per slice


def _bits(inner: int) -> int:
    """Bits per slice so that ``inner`` products of two slices sum exactly below 2**53."""
    return (53 - max(1, math.ceil(math.log2(max(inner, 2))))) // 2


def _slices(x: np.ndarray, axis: int, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """The two float64 slices of x along `axis` (rows: -1; columns: -2); x = hi + lo + tail.

    Adding 1.5 * 2**(g + 52) to a number below 2**(g + 51) leaves no bits under 2**g, so
    ``(x + sigma) - sigma`` is x rounded to a multiple of 2**g, exactly (IEEE addition).
    """
    top = np.max(np.abs(x), axis=axis, keepdims=True)
    _, exponent = np.frexp(top)  # top < 2**exponent; an all-zero line gets exponent 0
    sigma = np.ldexp(1.5, exponent + (52 - bits))
    hi = (x + sigma) - sigma
    sigma = np.ldexp(1.5, exponent + (52 - 2 * bits))
    rest = x - hi  # exact
    lo = (rest + sigma) - sigma
    return hi, lo


def _exact_block(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    bits = _bits(a.shape[-1])
    a_hi, a_lo = _slices(a, -1, bits)
    b_hi, b_lo = _slices(b, -2, bits)
    # Each product below is exact (so any BLAS, any order, gives its bits); their sum is taken
    # in this one order.
    return np.matmul(a_hi, b_hi) + (np.matmul(a_hi, b_lo) + np.matmul(a_lo, b_hi))


def product(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """a @ b for 2-D or batched 3-D fp32 tensors, the same bits on every CPU (fp32 result).

    Computed with numpy's float64 BLAS: torch's own product kernels are the ones replaced.
    Other dtypes: bf16/fp16 are computed in fp32 and rounded back; float64 and integers go to
    numpy's matmul unchanged (not reproducible across CPUs; a portable build has none).
    """
    out_dtype = a.dtype
    if a.dtype in (torch.float64, torch.complex64, torch.complex128) or not a.is_floating_point():
        return torch.from_numpy(np.matmul(a.detach().numpy(), b.detach().numpy())).to(out_dtype)
    a64 = a.detach().float().numpy().astype(np.float64)
    b64 = b.detach().float().numpy().astype(np.float64)
    if not (np.isfinite(a64).all() and np.isfinite(b64).all()):
        total = np.matmul(a64, b64)  # inf/nan: no grid; the result is inf/nan where it should be
    else:
        inner = a64.shape[-1]
        total = _exact_block(a64[..., :_MAX_BLOCK], b64[..., :_MAX_BLOCK, :])
        for start in range(_MAX_BLOCK, inner, _MAX_BLOCK):  # further blocks in a fixed order
            end = start + _MAX_BLOCK
            total = total + _exact_block(a64[..., start:end], b64[..., start:end, :])
    return torch.from_numpy(total.astype(np.float32)).to(out_dtype)


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
