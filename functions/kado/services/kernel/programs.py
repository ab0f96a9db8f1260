"""Which programs exist: registered by the admin API on a program's first admin request
(once per instance), read by the timers, so a new program is served with no redeploy and
no deploy parameter."""

from __future__ import annotations

import threading

from kado.domain.calendar import iso, utcnow
from kado.store.kernel import programs as store

_registered: set[str] = set()
_lock = threading.Lock()


def register(program: str) -> None:
    with _lock:
        if program in _registered:
            return
    store.register(program, iso(utcnow()))
    with _lock:
        _registered.add(program)


def every() -> list[str]:
    return sorted(store.every_program())
