"""PyTorch's CPU product kernels, replaced by the exact products of `exact_matmul.py`.

An overriding kernel replaces ATen's whole kernel, its checks included, so each one here repeats
them (ranks, dtypes, sizes, ``out`` dtype) and keeps ATen's semantics: ``beta == 0`` ignores
``self`` and ``alpha == 0`` the product, even NaN; ``out=`` and in-place forms; broadcasting of
``self``. Autograd sits above the CPU kernels, so backward products come through here too.
The fused CPU attention kernel calls the BLAS directly; it is turned off by default and refused
if asked for, so attention runs as ``softmax(q @ k.T) @ v`` on exact products.
"""

import warnings
from collections.abc import Callable

import threadpoolctl
import torch

from modelbazaar.train.exact_matmul import product

_LIBRARY: torch.library.Library | None = None


def _scaled_sum(base: torch.Tensor, made: torch.Tensor, beta: float, alpha: float) -> torch.Tensor:
    """beta * base + alpha * made in made's dtype, with BLAS's rules: beta == 0 ignores base
    and alpha == 0 the product (even NaN)."""
    if alpha == 0:
        made = torch.zeros_like(made)
    elif alpha != 1:
        made = made * alpha
    if beta == 0:
        return made.to(base.dtype)
    return ((base * beta if beta != 1 else base) + made).to(base.dtype)


def _into(out: torch.Tensor, value: torch.Tensor) -> torch.Tensor:
    out.resize_(value.shape)
    out.copy_(value)
    return out


def _check(op: str, a: torch.Tensor, b: torch.Tensor, dims: tuple[int, int]) -> None:
    """ATen's checks, which an overriding kernel must repeat: ranks, dtypes, matching sizes."""
    if (a.dim(), b.dim()) != dims:
        raise RuntimeError(
            f"{op}: expected {dims[0]}-D and {dims[1]}-D tensors, got {a.dim()}-D and {b.dim()}-D"
        )
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"{op}: expected both tensors to have the same dtype, got {a.dtype} and {b.dtype}"
        )
    if a.dtype == torch.bool:
        raise RuntimeError(f"{op}: not implemented for 'Bool'")
    inner_b = b.shape[0] if b.dim() == 1 else b.shape[-2]
    if a.shape[-1] != inner_b or (dims == (3, 3) and a.shape[0] != b.shape[0]):
        raise RuntimeError(
            f"{op}: shapes {tuple(a.shape)} and {tuple(b.shape)} cannot be multiplied"
        )


def _mm(self: torch.Tensor, mat2: torch.Tensor) -> torch.Tensor:
    _check("mm", self, mat2, (2, 2))
    return product(self, mat2)


def _bmm(self: torch.Tensor, mat2: torch.Tensor) -> torch.Tensor:
    _check("bmm", self, mat2, (3, 3))
    return product(self, mat2)


def _addmm(
    self: torch.Tensor, mat1: torch.Tensor, mat2: torch.Tensor, *, beta: float = 1, alpha: float = 1
) -> torch.Tensor:
    _check("addmm", mat1, mat2, (2, 2))
    return _scaled_sum(self.expand(mat1.shape[0], mat2.shape[1]), product(mat1, mat2), beta, alpha)


def _baddbmm(
    self: torch.Tensor, b1: torch.Tensor, b2: torch.Tensor, *, beta: float = 1, alpha: float = 1
) -> torch.Tensor:
    _check("baddbmm", b1, b2, (3, 3))
    shape = (b1.shape[0], b1.shape[1], b2.shape[2])
    return _scaled_sum(self.expand(shape), product(b1, b2), beta, alpha)


def _addbmm(
    self: torch.Tensor, b1: torch.Tensor, b2: torch.Tensor, *, beta: float = 1, alpha: float = 1
) -> torch.Tensor:
    _check("addbmm", b1, b2, (3, 3))
    # sum_i b1[i] @ b2[i] is one product over the concatenated inner dimension: exact too.
    a = b1.permute(1, 0, 2).reshape(b1.shape[1], -1)
    b = b2.reshape(-1, b2.shape[2])
    return _scaled_sum(self.expand(b1.shape[1], b2.shape[2]), product(a, b), beta, alpha)


def _addmv(
    self: torch.Tensor, mat: torch.Tensor, vec: torch.Tensor, *, beta: float = 1, alpha: float = 1
) -> torch.Tensor:
    _check("addmv", mat, vec, (2, 1))
    made = product(mat, vec.unsqueeze(1)).squeeze(1)
    return _scaled_sum(self.expand(mat.shape[0]), made, beta, alpha)


def _dot(self: torch.Tensor, tensor: torch.Tensor) -> torch.Tensor:
    _check("dot", self.unsqueeze(0), tensor, (2, 1))
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
    return torch.nn.functional.gelu(value) if use_gelu else value.relu()  # ATen: the erf gelu


def _out_form(fn):  # type: ignore[no-untyped-def]
    def with_out(*args, out: torch.Tensor, **kwargs):  # type: ignore[no-untyped-def]
        value = fn(*args, **kwargs)
        if out.dtype != value.dtype:
            raise RuntimeError(f"expected out to have dtype {value.dtype}, got {out.dtype}")
        return _into(out, value)

    return with_out


def _in_place(fn):  # type: ignore[no-untyped-def]
    def in_place(self: torch.Tensor, *args, **kwargs):  # type: ignore[no-untyped-def]
        return self.copy_(fn(self, *args, **kwargs))

    return in_place


KERNELS = {
    "mm": _mm,
    "addmm": _addmm,
    "bmm": _bmm,
    "baddbmm": _baddbmm,
    "addbmm": _addbmm,
    "addmv": _addmv,
    "dot": _dot,
    "_addmm_activation": _addmm_activation,
}
IN_PLACE = ("addmm", "baddbmm", "addbmm", "addmv")
FUSED_ATTENTION = (
    "_scaled_dot_product_flash_attention_for_cpu",
    "_scaled_dot_product_flash_attention_for_cpu_backward",
)


def _no_fused_attention(*args: object, **kwargs: object) -> tuple[torch.Tensor, ...]:
    raise RuntimeError(
        "the fused CPU attention kernel multiplies with the CPU's BLAS, so portable numerics "
        "refuse it; use the math backend (the default here) or run with --fast"
    )


def override_cpu_kernels(kernels: dict[str, Callable[..., object]]) -> torch.library.Library:
    """Put each kernel in place of ATen's CPU kernel of the op (overload) it is named by.

    The returned library must be kept alive: the overrides last as long as it does.
    """
    library = torch.library.Library("aten", "IMPL")
    with warnings.catch_warnings():  # "overriding a previously registered kernel": we mean to
        warnings.simplefilter("ignore")
        for name, kernel in kernels.items():
            library.impl(name, kernel, "CPU")
    return library


def install() -> None:
    """Route this process's CPU matrix products through :func:`product` (idempotent)."""
    global _LIBRARY
    if _LIBRARY is not None:
        return
    kernels: dict[str, Callable[..., object]] = dict(KERNELS)
    kernels |= {f"{name}.out": _out_form(kernel) for name, kernel in KERNELS.items()}
    kernels |= {f"{name}_": _in_place(KERNELS[name]) for name in IN_PLACE}
    kernels |= dict.fromkeys(FUSED_ATTENTION, _no_fused_attention)
    library = override_cpu_kernels(kernels)
    # One BLAS thread: numpy's OpenBLAS threads spin beside torch's and made a (512, 32, 512)
    # product 6x slower on 2 cores; the bits do not depend on it (every product is exact).
    threadpoolctl.threadpool_limits(limits=1, user_api="blas")
    # The fused CPU attention kernel calls the BLAS directly; the math form uses bmm (above).
    torch.backends.cuda.enable_flash_sdp(False)
    torch.backends.cuda.enable_mem_efficient_sdp(False)
    _LIBRARY = library


def installed() -> bool:
    return _LIBRARY is not None
