"""A SnapStart restore: each restored instance draws its own randomness and starts with
nothing the snapshot cached (handlers/restore.py)."""

from __future__ import annotations

import random
import subprocess
import sys

from kado.handlers import restore
from kado.services.kernel.ttl_cache import TtlCache


def test_two_instances_restored_from_one_snapshot_draw_different_jitter():
    # A snapshot is one process's memory given to many: two processes started with the same
    # random state stand for two restored instances (a fork would not do: CPython reseeds
    # a forked child itself, and a restore is no fork). Without the hook they draw alike.
    program = ("import random, sys\n"
               "random.seed(7)\n"  # the state the snapshot holds
               "if sys.argv[1] == 'restore':\n"
               "    from kado.handlers.restore import after_restore\n"
               "    after_restore()\n"
               "print(random.random())\n")

    def draws(mode: str) -> set[str]:
        return {subprocess.run([sys.executable, "-c", program, mode], capture_output=True,
                               text=True, check=True, env={"PYTHONPATH": ":".join(sys.path)}
                               ).stdout.strip() for _ in range(2)}

    assert len(draws("plain")) == 1  # the copies would retry in step
    assert len(draws("restore")) == 2  # restored, each has its own


def test_a_restore_drops_what_the_snapshot_cached():
    loads = []
    cache: TtlCache[str, str] = TtlCache(lambda key: loads.append(key) or key)
    cache.get("program")
    before = random.getstate()
    restore.after_restore()
    cache.get("program")
    assert loads == ["program", "program"]  # read again after the restore
    assert random.getstate() != before
