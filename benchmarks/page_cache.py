"""The environment's shared libraries read as a deployment reads them.

A checkout whose environment was built minutes before (CI's, a fresh
clone's) has its shared libraries in the page cache as they were written, and
a process that maps a few pages of such a file is charged for more of it:
measured on a fresh clone, the load test's site PSS was 1049 MiB, and 996 MiB
after `echo 3 > /proc/sys/vm/drop_caches` (root) before the same run. A
deployed site maps them as read from its image. So `make bench` evicts them
before anything maps them (this module imports nothing heavy, and runs first):
POSIX_FADV_DONTNEED on each file after a sync, which needs no privilege and
leaves pages another process has mapped in place.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def libraries_as_deployed() -> int:
    """Evict the page cache of the environment's shared libraries; how many
    files were advised."""
    os.sync()
    count = 0
    for library in Path(sys.prefix).resolve().rglob("*.so*"):
        try:
            descriptor = os.open(library, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            count += 1
        finally:
            os.close(descriptor)
    return count
