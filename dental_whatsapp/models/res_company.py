from datetime import time, timedelta, timezone

import pytz
from babel.dates import get_day_names
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..const import GROUP_DENTIST, GROUP_RECEPTION, RUN_CACHE
from ..tools import run_cache
from ..tools.dates import aware

EN_DASH = "\u2013"  # ranges are written with an en dash: "09:00\u201313:00"


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
    wa_duty_dentist_id = fields.Many2one(
        "res.users",
        "Dentist on Duty",
        help="Gets the patients' clinical questions on WhatsApp when the patient has no "
        "dentist of their own (the dentist of their next or last appointment); empty: "
        "the practice's first dentist.",
    )

    wa_care_hour_from = fields.Float(
        "Care Hours From",
        default=8.0,
        help="Therapy reminders leave at the dose times the patient agreed to, and those "
        "must lie inside the care hours: never at night, even when the practice is closed.",
    )
    wa_care_hour_to = fields.Float("Care Hours To", default=20.0)

    wa_booking_reschedule = fields.Boolean(
        "Patients Choose a New Time",
        help="A patient who asks on WhatsApp to move an appointment gets a list of the "
        "dentist's next free times to choose from (reception still gets the to-do, closed "
        "when the patient chooses). Needs the dentists' appointments in Odoo's calendar.",
    )
    wa_booking_mode = fields.Selection(
        [
            ("move", "Move the appointment at once"),
            ("propose", "Reception accepts the move first"),
        ],
        "When the Patient Chooses",
        default="move",
        required=True,
        help="Move at once: the appointment moves, the reminders follow and the patient is "
        "told. Reception accepts first: the time is held and reception gets a to-do with "
        "an Accept button on the appointment.",
    )
    wa_booking_first_visit = fields.Boolean(
        "New Patients Choose a First Visit",
        help="Someone the practice does not know who writes on WhatsApp gets, after the "
        "acknowledgement, the free times for a first visit (any hour). What they choose is "
        "booked as to be confirmed by reception, who gets a to-do at the next opening.",
    )
    wa_booking_notice_days = fields.Integer(
        "Minimum Notice (Working Days)",
        default=1,
        help="The first free time offered is on this working day from today: 1 is the next "
        "day the practice is open, 0 is today (at least 2 hours ahead).",
    )
    wa_booking_list_hours = fields.Integer(
        "A List of Free Times Expires After (Hours)",
        default=12,
        help="A patient who chooses from an older list gets the free times as they are now.",
    )

    @api.constrains("wa_booking_notice_days", "wa_booking_list_hours")
    def _check_wa_booking(self):
        for company in self:
            if company.wa_booking_notice_days < 0:
                raise ValidationError(_("The minimum notice is 0 working days (today) or more."))
            if company.wa_booking_list_hours < 1:
                raise ValidationError(_("A list of free times stays valid for at least one hour."))

    @api.constrains("wa_care_hour_from", "wa_care_hour_to")
    def _check_wa_care_hours(self):
        for company in self:
            if not 0 <= company.wa_care_hour_from < company.wa_care_hour_to <= 24:
                raise ValidationError(
                    _(
                        "The care hours must start before they end, within the day "
                        "(for example from 08:00 to 20:00)."
                    )
                )

    def _wa_care_window(self):
        """The care hours as two times of the day, both included."""
        company = self[:1] or self.env.company

        def clock(hours):
            minutes = min(round(hours * 60), 24 * 60 - 1)
            return time(minutes // 60, minutes % 60)

        return clock(company.wa_care_hour_from), clock(company.wa_care_hour_to)

    wa_birthday_enabled = fields.Boolean(
        "Send Birthday Wishes",
        help="Patients who consented to greetings get the reviewed birthday wishes template "
        "on their birthday.",
    )
    wa_birthday_hour = fields.Integer(
        "Birthday Wishes At (Hour)",
        default=10,
        help="The hour (0-23, practice time) the birthday wishes leave. Choose an hour the "
        "practice is open: otherwise they leave at the next opening of the birthday, or, "
        "when the practice is closed all that day, at the last opening before it.",
    )

    @api.constrains("wa_birthday_hour")
    def _check_wa_birthday_hour(self):
        for company in self:
            if not 0 <= company.wa_birthday_hour <= 23:
                raise ValidationError(
                    _("The hour of the birthday wishes is a whole hour from 0 to 23.")
                )

    @api.constrains("wa_duty_dentist_id")
    def _check_wa_duty_dentist_id(self):
        for company in self:
            dentist = company.wa_duty_dentist_id
            if dentist and not dentist.has_group(GROUP_DENTIST):
                raise ValidationError(
                    _(
                        "%s cannot be the dentist on duty: only members of the Dental "
                        "WhatsApp group Dentist may receive patients' clinical questions.",
                        dentist.name,
                    )
                )

    def _wa_practice_tz(self):
        """The practice's time zone: its working schedule's, else its address's."""
        company = self[:1] or self.env.company
        name = company.resource_calendar_id.tz or company.partner_id.tz or "UTC"
        return pytz.timezone(name)

    def _wa_today(self):
        """Today where the practice is: a reminder's day, a to-do's deadline."""
        company = self[:1] or self.env.company
        return aware(fields.Datetime.now()).astimezone(company._wa_practice_tz()).date()

    def _wa_opening_hours_text(self, lang):
        """The practice's week as a patient reads it, in ``lang``: "lunedì-venerdì
        09:00-13:00, 14:00-19:00; sabato 09:00-12:00" (with en dashes). Consecutive days
        with the same hours are joined; holidays are not in it (not a weekly rule)."""
        company = self[:1] or self.env.company
        attendances = company.resource_calendar_id.attendance_ids.filtered(
            lambda a: not a.display_type and a.week_type in (False, "0")
        )

        def clock(hours):
            return f"{int(hours):02d}:{round(hours % 1 * 60):02d}"

        week = {}
        for attendance in attendances.sorted(lambda a: (int(a.dayofweek), a.hour_from)):
            week.setdefault(int(attendance.dayofweek), []).append(
                f"{clock(attendance.hour_from)}{EN_DASH}{clock(attendance.hour_to)}"
            )
        names = get_day_names("wide", locale=(lang or "en_US").split("@")[0])
        runs = []  # [first day, last day, hours]
        for day in sorted(week):
            hours = ", ".join(week[day])
            if runs and runs[-1][1] == day - 1 and runs[-1][2] == hours:
                runs[-1][1] = day
            else:
                runs.append([day, day, hours])
        return "; ".join(
            f"{names[first]}{EN_DASH}{names[last]} {hours}"
            if last > first
            else f"{names[first]} {hours}"
            for first, last, hours in runs
        )

    def _wa_opening_intervals(self, start, days=21):
        """The practice's opening hours from ``start`` for ``days`` days as aware UTC
        ``(start, end)`` pairs, holidays (the calendar's global time off) removed; None
        when the practice has no working schedule."""
        company = self[:1] or self.env.company
        calendar = company.resource_calendar_id
        if not calendar:
            return None
        start = aware(start)
        end = start + timedelta(days=days)
        if self.env.context.get(RUN_CACHE) is None:
            return company._wa_compute_openings(calendar, start, end)
        # A run over many messages or appointments (the morning's reminders) reads each
        # day's hours once: from midnight UTC, a day longer, cut to [start, end].
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        hours = run_cache.cached(
            self.env,
            ("openings", calendar.id, day, days),
            lambda: company._wa_compute_openings(calendar, day, day + timedelta(days=days + 1)),
        )
        return [(max(s, start), min(e, end)) for s, e in hours if e > start and s < end]

    def _wa_compute_openings(self, calendar, start, end):
        intervals = calendar._work_intervals_batch(start, end)[False]
        return [(s.astimezone(timezone.utc), e.astimezone(timezone.utc)) for s, e, _r in intervals]

    # ------------------------------------------------- the team channel (team.py)

    wa_team_channel_id = fields.Many2one(
        "discuss.channel",
        "Team Channel",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The practice's team channel in Discuss: service notices and colleagues' "
        "opinions on a patient's photo. Its members are the practice's Dental WhatsApp "
        "users, kept in step with the groups.",
    )

    def write(self, vals):
        result = super().write(vals)
        if vals.get("name"):
            # The channel keeps the practice's name (a practice renamed after install).
            for company in self.sudo().filtered("wa_team_channel_id"):
                company.wa_team_channel_id.name = company._wa_team_channel_name()
        return result

    def _wa_team_channel_name(self):
        self.ensure_one()
        return _("%s — Team", self.name)

    def _wa_team_members(self):
        """The users who belong in the practice's team channel: active internal users of
        the dental groups (dentists and managers imply reception) working for it."""
        self.ensure_one()
        return (
            self.env.ref(GROUP_RECEPTION)
            .sudo()
            .users.filtered(lambda u: u.active and not u.share and self in u.company_ids)
        )

    def _wa_team_channel(self):
        """The practice's team channel, made (with its members) if it has none yet."""
        self.ensure_one()
        company = self.sudo()
        if not company.wa_team_channel_id.exists():
            company._wa_sync_team_channel()
        return company.wa_team_channel_id

    @api.model
    def _wa_sync_team_channel(self):
        """Make the team channel of each practice (``self``, or every practice when
        called on the model) if missing, and make its members exactly the practice's
        dental users: those who joined the groups join, those who left (or were
        archived) leave."""
        companies = self.sudo() or self.sudo().search([])
        Channel = self.env["discuss.channel"].sudo()
        Member = self.env["discuss.channel.member"].sudo()
        reception = self.env.ref(GROUP_RECEPTION)
        for company in companies:
            partners = company._wa_team_members().partner_id
            channel = company.wa_team_channel_id.exists()
            if not channel:
                # install_mode: Discuss would make whoever runs this (the superuser at
                # install) a member; the members are set below.
                channel = Channel.with_context(install_mode=True).create(
                    {
                        "name": company._wa_team_channel_name(),
                        "channel_type": "channel",
                        "group_public_id": reception.id,
                        "description": _(
                            "The practice's team: service notices, a colleague's opinion "
                            "on a patient's photo. For the dental staff only."
                        ),
                    }
                )
                company.wa_team_channel_id = channel
            elif channel.group_public_id != reception:
                channel.group_public_id = reception
            members = channel.channel_member_ids
            leaving = members.filtered(
                lambda m, staff=partners: m.guest_id or m.partner_id not in staff
            )
            joining = partners - (members - leaving).partner_id
            leaving.unlink()
            if joining:
                Member.create([{"channel_id": channel.id, "partner_id": p.id} for p in joining])
        return True

    @api.model
    def _wa_sync_team_channels(self):
        """Bring every existing team channel in step with the groups."""
        companies = self.sudo().search([("wa_team_channel_id", "!=", False)])
        if companies:
            companies._wa_sync_team_channel()
