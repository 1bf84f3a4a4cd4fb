from datetime import timedelta, timezone

import pytz
from odoo import fields, models

from ..tools.dates import aware


class ResCompany(models.Model):
    """The practice's own facts every "when" decision starts from."""

    _inherit = "res.company"

    wa_emergency_phone = fields.Char(
        "Emergency Phone",
        help="The number the automatic WhatsApp acknowledgement gives for urgencies.",
    )
    wa_escalation_user_id = fields.Many2one(
        "res.users",
        "Late WhatsApp Answers Reported To",
        help="Gets a to-do when a patient's WhatsApp is not answered in time; empty: the "
        "first WhatsApp manager.",
    )

    def _wa_practice_tz(self):
        """The practice's time zone: its working schedule's, else its address's."""
        company = self[:1] or self.env.company
        name = company.resource_calendar_id.tz or company.partner_id.tz or "UTC"
        return pytz.timezone(name)

    def _wa_opening_intervals(self, start, days=21):
        """The practice's opening hours from ``start`` for ``days`` days as aware UTC
        ``(start, end)`` pairs, holidays (the calendar's global time off) removed; None
        when the practice has no working schedule."""
        company = self[:1] or self.env.company
        calendar = company.resource_calendar_id
        if not calendar:
            return None
        start = aware(start)
        intervals = calendar._work_intervals_batch(start, start + timedelta(days=days))[False]
        return [(s.astimezone(timezone.utc), e.astimezone(timezone.utc)) for s, e, _r in intervals]
