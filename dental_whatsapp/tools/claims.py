"""Claiming work rows between concurrent workers (dispatcher, reminder crons)."""

from psycopg2.errors import SerializationFailure

from ..const import MAX_CLAIM_CONFLICTS


def claimed_batches(cr, claim, commit):
    """Yield the batches ``claim()`` locks (FOR UPDATE SKIP LOCKED) until it finds none.

    Odoo's transactions are REPEATABLE READ: rows another worker handled and committed
    after our snapshot cannot be locked and raise SerializationFailure. The claim opens
    the batch, so nothing is lost by starting a fresh transaction and claiming again;
    without ``commit`` (inside a caller's transaction) the conflict is raised."""
    conflicts = 0
    while True:
        try:
            batch = claim()
        except SerializationFailure:
            conflicts += 1
            if not commit or conflicts > MAX_CLAIM_CONFLICTS:
                raise
            cr.rollback()
            continue
        if not batch:
            return
        yield batch
