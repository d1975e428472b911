"""More processes on an existing engine: torchrun + torch.distributed (gloo on CPU, NCCL on GPU).

Under `torchrun --nproc-per-node N -m modelbazaar build`, each process takes every N-th row of
the same global batch, DDP averages the gradients, and only rank 0 writes to the store.
"""

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class World:
    rank: int
    size: int

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def init_world() -> World:
    """Join the process group torchrun set up, or run alone."""
    size = int(os.environ.get("WORLD_SIZE", "1"))
    if size == 1:
        return World(rank=0, size=1)
    if not dist.is_initialized():
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    return World(rank=dist.get_rank(), size=dist.get_world_size())


def shard_rows(batch: torch.Tensor, world: World) -> torch.Tensor:
    """This process's rows of the global batch; the batch size must divide evenly."""
    if batch.shape[0] % world.size:
        raise ValueError(
            f"batch_size {batch.shape[0]} does not divide across {world.size} processes; "
            "set [train] batch_size to a multiple of --nproc-per-node"
        )
    return batch[world.rank :: world.size]


def barrier(world: World) -> None:
    if world.size > 1:
        dist.barrier()


def broadcast_object(value: object, world: World) -> object:
    """Rank 0's value on every rank (e.g. the stage key to resume)."""
    if world.size == 1:
        return value
    holder = [value]
    dist.broadcast_object_list(holder, src=0)
    return holder[0]
