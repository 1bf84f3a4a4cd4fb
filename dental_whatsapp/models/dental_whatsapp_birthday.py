"""Birthday wishes: the hourly job that wishes the patients well on their birthday,
once a calendar year, through the reviewed ``birthday_wishes`` template. The patient's
date of birth and last wish live on res.partner (models/res_partner.py)."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from odoo import api, fields, models

from ..tools import care_schedule
from ..tools.dates import aware, naive_utc

TEMPLATE_BIRTHDAY = "birthday_wishes"
LOOK_AHEAD = timedelta(days=4)  # a birthday on a closed Sunday after a Friday holiday


class DentalWhatsappBirthday(models.AbstractModel):
    _name = "dental.whatsapp.birthday"
    _description = "WhatsApp Birthday Wishes"

    @api.model
    def _wa_birthday_plan(self, patient, company, now):
        """(send_at, birthday_moment, day_end) of this patient's next wish, or None when
        nothing is due within the look-ahead.

        The wish leaves on the birthday at the company's hour, or at the next opening of
        that same day; when the practice is closed from that hour to the end of the day
        (a Sunday, a holiday), at the last opening before it: never after the birthday,
        never twice."""
        # zoneinfo, not pytz: the wall-clock maths attach the zone with replace().
        tz = ZoneInfo(str(company._wa_practice_tz()))
        due = care_schedule.next_birthday_send(
            patient.wa_birth_date,
            now,
            tz,
            company.wa_birthday_hour,
            aware(patient.wa_birthday_sent_date),
        )
        if not due or due - now > LOOK_AHEAD:
            return None
        day = due.astimezone(tz).date()
        day_end = care_schedule.wall_clock(day + timedelta(days=1), time(0), tz)
        intervals = company._wa_opening_intervals(now - timedelta(days=1), days=7) or []
        same_day = [(s, e) for s, e in intervals if e > due and s < day_end]
        if same_day:
            return max(due, same_day[0][0]), due, day_end
        before = [(s, e) for s, e in intervals if s < due and e > now]
        if not before:
            return None
        return max(now, before[-1][0]), due, day_end

    @api.model
    def _cron_send_birthday_wishes(self):
        """Hourly: queue the birthday wishes that are due, idempotently."""
        now = aware(fields.Datetime.now())
        Message = self.env["dental.whatsapp.message"].sudo()
        for company in self.env["res.company"].sudo().search([("wa_birthday_enabled", "=", True)]):
            account = self.env["dental.whatsapp.account"].sudo()._wa_for_company(company)
            if not account:
                continue
            domain = [
                *self.env["res.partner"]._wa_greetings_domain(),
                ("wa_birth_date", "!=", False),
                ("company_id", "in", [company.id, False]),
            ]
            patients = self.env["res.partner"].sudo().with_company(company).search(domain)
            for patient in patients:
                if self.env["dental.whatsapp.policy"]._wa_is_blocked(patient, company):
                    continue
                plan = self._wa_birthday_plan(patient, company, now)
                if not plan or plan[0] > now:
                    continue
                send_at, birthday, day_end = plan
                template = patient._wa_find_template(TEMPLATE_BIRTHDAY, account, patient)
                message = Message.with_company(company)._wa_enqueue(
                    patient,
                    category="greetings",
                    record=patient,
                    template=template,
                    account=account,
                    scheduled_at=naive_utc(send_at),
                    raise_on_refusal=False,
                )
                message.not_after = naive_utc(day_end)
                patient.wa_birthday_sent_date = naive_utc(birthday)
