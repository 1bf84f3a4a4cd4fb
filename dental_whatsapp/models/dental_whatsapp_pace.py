import time

from odoo import fields, models


class DentalWhatsappPace(models.Model):
    """The send schedule of one WhatsApp number, shared by every Odoo worker and server
    on the database: the next free send time and Meta's pause (tools/pacing.py).

    Each reservation is one short transaction of its own in READ COMMITTED, so that
    workers wait for each other's row lock for a moment instead of failing with a
    serialization error, and nothing of the dispatcher's own transaction is held."""

    _name = "dental.whatsapp.pace"
    _description = "WhatsApp Send Pace"
    _log_access = False

    account_id = fields.Many2one(
        "dental.whatsapp.account", required=True, ondelete="cascade", index=True
    )
    next_free = fields.Float(help="Epoch seconds (database clock) of the next free send time.")
    paused_until = fields.Float(help="Epoch seconds until which Meta asked to stop (130429).")
    pauses = fields.Integer(help="Pauses in a row: each doubles the next one.")

    _sql_constraints = [
        ("account_uniq", "unique(account_id)", "A WhatsApp number has one send pace."),
    ]

    def _wa_run(self, query, params):
        """Run ``query`` on a cursor of its own, committed at once; its first row."""
        with self.pool.cursor() as cr:
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            cr.execute(query, params)
            row = cr.fetchone()
            if row is None:
                cr.execute(
                    "INSERT INTO dental_whatsapp_pace (account_id, next_free, paused_until, "
                    "pauses) VALUES (%s, 0, 0, 0) ON CONFLICT (account_id) DO NOTHING",
                    (params["account"],),
                )
                cr.execute(query, params)
                row = cr.fetchone()
            return row

    def _wa_reserve(self, account_id, count, gap):
        """Book ``count`` send times ``gap`` seconds apart for the number; the seconds
        from now to the first (called from the dispatcher's sending threads)."""
        row = self._wa_run(
            """
            UPDATE dental_whatsapp_pace
               SET next_free = greatest(next_free, paused_until,
                                        extract(epoch FROM clock_timestamp()))
                               + %(count)s * %(gap)s
             WHERE account_id = %(account)s
         RETURNING next_free - %(count)s * %(gap)s
            """,
            {"account": account_id, "count": count, "gap": gap},
        )
        # The first time is absolute (the database's clock, which the workers share
        # through NTP): measured from here, not from the database, the answer's travel
        # time does not shift one worker's times against another's.
        return max(0.0, float(row[0]) - time.clock_gettime(time.CLOCK_REALTIME))

    def _wa_pause(self, account_id, base_seconds):
        """Meta answered 130429: stop every worker of the number, for ``base_seconds``
        doubled at every pause in a row (capped); a pause that ended more than a minute
        ago starts the count again. The other refusals of the same burst, answered
        while the pause runs, join it instead of doubling it. Return the seconds from
        now to the end of the pause."""
        row = self._wa_run(
            """
            UPDATE dental_whatsapp_pace p
               SET pauses = CASE WHEN p.paused_until > now.t THEN p.pauses
                                 WHEN p.paused_until < now.t - 60 THEN 1
                                 ELSE p.pauses + 1 END,
                   paused_until = CASE WHEN p.paused_until > now.t THEN p.paused_until
                       ELSE now.t + least(%(cap)s, %(base)s * power(2, CASE
                           WHEN p.paused_until < now.t - 60 THEN 0 ELSE p.pauses END)) END
              FROM (SELECT extract(epoch FROM clock_timestamp()) AS t) now
             WHERE p.account_id = %(account)s
         RETURNING p.paused_until - now.t
            """,
            {"account": account_id, "base": base_seconds, "cap": PAUSE_CAP},
        )
        return max(0.0, float(row[0]))

    def _wa_schedule(self, account_id):
        """The shared schedule of a number as the pacer sees it."""
        return SharedSchedule(self, account_id)


# The longest pause after 130429 in a row (seconds).
PAUSE_CAP = 60


class SharedSchedule:
    """``reserve`` / ``pause`` of tools/pacing.Pacer on the database's row."""

    def __init__(self, pace, account_id):
        self.pace = pace
        self.account_id = account_id

    def reserve(self, count, gap):
        return self.pace._wa_reserve(self.account_id, count, gap)

    def pause(self, seconds):
        return self.pace._wa_pause(self.account_id, seconds)
