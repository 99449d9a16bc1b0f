"""All of a process's torch work on one thread.

PyTorch's CPU kernels run on an OpenMP team that belongs to the calling thread. A model loaded on
one thread and run on another gives the process two teams competing for the same cores: on
2 cores a single message then takes ~19 ms instead of ~8 ms. Loading, inference and training
therefore all go through this one thread. The ONNX Runtime path (which never imports torch) runs its
session here too, so its intra-op threads are driven by one caller at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="torch")
_ident: int = _executor.submit(threading.get_ident).result()


def executor() -> ThreadPoolExecutor:
    return _executor


def on_torch_thread(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `fn` on the torch thread (directly when already there) and return its result."""
    if threading.get_ident() == _ident:
        return fn(*args, **kwargs)
    return _executor.submit(fn, *args, **kwargs).result()
