"""Pausing Python's cyclic garbage collector while a bulk upload is taken.

A 10,000-row upload allocates about 100,000 container objects (row dicts, models, lists) that all
live until the response. Each allocation counts towards the collector's thresholds, so taking one
upload triggered several full collections, each walking every object of the process (the whole
app): with the collector on, parsing a 10,000-row CSV took about twice its CPU time with it
off (benchmarks/profile.md, "Bulk work logs"). Nothing an upload allocates is freed by the
collector anyway (no cycles; reference counting frees it after the response), so it is paused
for the upload and resumed after, once the last of overlapping uploads is done. Objects other
requests leave in cycles meanwhile are collected when it resumes.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside the block (nestable, thread-safe); as it was once every block ends."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
