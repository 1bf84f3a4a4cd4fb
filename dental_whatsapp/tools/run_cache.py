"""What a run over many records (the morning's reminders) reads once.

A run puts a dict in the context under ``RUN_CACHE``; the practice's opening hours, its
account and its templates do not change while it runs, so each is computed once per
key. Outside a run (no dict in the context) every call computes."""

from ..const import RUN_CACHE


def cached(env, key, compute):
    """``compute()``, remembered under ``key`` for the run in ``env``'s context."""
    run = env.context.get(RUN_CACHE)
    if run is None:
        return compute()
    if key not in run:
        run[key] = compute()
    return run[key]
