import logging
from datetime import timedelta

from odoo import _, api, fields, models, modules, tools
from odoo.exceptions import ValidationError

from ..const import BATCH_SIZE, CHECKIN_RULES, CONFIRMATION_PAYLOADS, RUN_CACHE
from ..tools import reminder_schedule
from ..tools.claims import claimed_batches
from ..tools.dates import aware as _aware

_logger = logging.getLogger(__name__)


class DentalWhatsappAppointmentType(models.Model):
    _name = "dental.whatsapp.appointment.type"
    _description = "Appointment Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", "Practice", index=True, help="Empty: every practice of the database."
    )
    instructions = fields.Text(
        "Instructions for the Patient",
        translate=True,
        help="What the patient should know before this kind of appointment (shown to staff "
        "in the composer; sent only through an approved template).",
    )

    checkin = fields.Selection(
        CHECKIN_RULES,
        "Post-Operative Check-In",
        default="none",
        required=True,
        help="After an attended appointment of this type, the reviewed 'how are you?' "
        "template asks the patient how it goes, once, at this moment (in opening hours).",
    )
    instruction_ids = fields.Many2many(
        "dental.whatsapp.instruction",
        "dental_whatsapp_instruction_appointment_type_rel",
        string="Care Instructions",
        help="The reviewed sheets for this kind of appointment: offered first in Send Care "
        "Instructions, and sent after it when the box below is ticked.",
    )
    send_instructions = fields.Boolean(
        "Send the Instructions After",
        help="Once the appointment is marked attended, its approved care instructions go to "
        "the patient as a PDF (in opening hours).",
    )
    checkin_hours = fields.Integer(
        "Check-In After (Hours)",
        default=4,
        help="Hours after the end of the appointment (then the next opening if closed).",
    )

    duration = fields.Float(
        "Duration (Hours)",
        default=0.5,
        help="How long the chair is taken: the free times offered on WhatsApp for a first "
        "visit of this type last this long (a moved appointment keeps its own length).",
    )
    first_visit = fields.Boolean(
        "Offered as First Visit",
        help="New patients who write on WhatsApp are offered free times of this type (the "
        "first such type by sequence), when the setting is on.",
    )
    dentist_ids = fields.Many2many(
        "res.users",
        "dental_whatsapp_appointment_type_dentist_rel",
        string="Dentists",
        domain=[("share", "=", False)],
        help="Who does this kind of appointment: first-visit times are looked for in their "
        "calendars, in this order. Empty: the practice's dentists (Dental WhatsApp group "
        "Dentist).",
    )

    recall_months = fields.Integer(
        "Recall After (Months)",
        default=0,
        help="Months after the last attended visit of this type when the patient is invited "
        "to book the next one (e.g. 6 for hygiene). 0: no recall.",
    )
    recall_second_weeks = fields.Integer(
        "Second Invitation After (Weeks)",
        default=3,
        help="Weeks after the first invitation when a second one goes, if the patient has "
        "neither answered nor booked an appointment.",
    )

    _sql_constraints = [
        ("name_uniq", "unique(name)", "An appointment type with this name already exists."),
        (
            "duration_positive",
            "CHECK(duration > 0)",
            "An appointment type lasts some time: enter its duration.",
        ),
        (
            "checkin_hours_positive",
            "CHECK(checkin_hours > 0)",
            "The check-in comes at least one hour after the appointment.",
        ),
    ]

    @api.constrains("recall_months", "recall_second_weeks")
    def _check_recall(self):
        for kind in self:
            if kind.recall_months < 0:
                raise ValidationError(
                    _(
                        "The recall of %s cannot come a negative number of months after the "
                        "visit: enter 0 for no recall.",
                        kind.name,
                    )
                )
            if kind.recall_months and kind.recall_second_weeks < 1:
                raise ValidationError(
                    _(
                        "The second recall invitation of %s comes at least one week after "
                        "the first.",
                        kind.name,
                    )
                )


class DentalWhatsappReminderRule(models.Model):
    """When an appointment reminder goes out (48 h before, 2 h before, ...).

    Why rules, rows and a cron of our own rather than Odoo's ``calendar.alarm`` (which
    ``calendar_sms`` extends): an alarm fires at its exact offset, at 21:00 or on a
    Sunday if that is when it falls, and once fired it is gone. A practice's reminder
    must go at the last opening before that moment (office hours and holidays of the
    practice's working schedule), be planned again when the appointment moves, go
    through the consent and template policy, and be sent exactly once even with two
    workers. So each rule yields one ``dental.whatsapp.reminder`` row per (appointment,
    rule, start), due at the shifted moment (tools/reminder_schedule.py), and the cron
    claims due rows like the outbox claims messages."""

    _name = "dental.whatsapp.reminder.rule"
    _description = "WhatsApp Appointment Reminder Rule"
    _order = "offset_hours desc, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", "Practice", index=True, help="Empty: every practice of the database."
    )
    offset_hours = fields.Float(
        "Hours Before the Appointment",
        required=True,
        default=48,
        help="When the reminder goes out. If the practice is closed then, it goes at the last "
        "opening before; a same-day reminder goes at that day's opening instead, and is "
        "skipped when less than an hour would remain.",
    )
    appointment_type_ids = fields.Many2many(
        "dental.whatsapp.appointment.type",
        "dental_whatsapp_reminder_rule_type_rel",
        "rule_id",
        "type_id",
        string="Appointment Types",
        help="Empty: every appointment with a patient.",
    )
    template_id = fields.Many2one(
        "dental.whatsapp.template",
        required=True,
        ondelete="restrict",
        help="The patient receives the template with this name in their language (Italian, "
        "Spanish, English, ...), once a dentist and Meta approved it.",
    )
    ask_confirmation = fields.Boolean(
        "Ask for Confirmation",
        help="The template has Confirm / Reschedule / Cancel buttons and the patient's answer "
        "updates the appointment.",
    )
    reminder_ids = fields.One2many("dental.whatsapp.reminder", "rule_id", readonly=True)

    @api.constrains("offset_hours")
    def _check_offset(self):
        for rule in self:
            if rule.offset_hours <= 0:
                raise ValidationError(
                    _(
                        "A reminder goes out before the appointment: give a "
                        "positive number of hours."
                    )
                )

    @api.constrains("ask_confirmation", "template_id")
    def _check_confirmation_buttons(self):
        for rule in self.filtered("ask_confirmation"):
            payloads = {p.lower() for p in rule.template_id.button_ids.mapped("payload")}
            if not set(CONFIRMATION_PAYLOADS) <= payloads:
                raise ValidationError(
                    _(
                        "The template %s has no Confirm / Reschedule / Cancel buttons: choose "
                        "a confirmation template or untick 'Ask for Confirmation'.",
                        rule.template_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._rearm_upcoming()
        return rules

    def write(self, vals):
        result = super().write(vals)
        if {"active", "offset_hours", "appointment_type_ids"} & set(vals):
            self._rearm_upcoming()
        return result

    def _rearm_upcoming(self):
        events = (
            self.env["calendar.event"]
            .sudo()
            .search([("start", ">", fields.Datetime.now()), ("patient_id", "!=", False)])
        )
        events._wa_arm_reminders()

    def _applies_to(self, event):
        self.ensure_one()
        return self.active and (
            not self.appointment_type_ids
            or event.wa_appointment_type_id in self.appointment_type_ids
        )

    def _due_for(self, event, openings=None):
        """(aware UTC moment, None) or (None, reason) for ``event``'s reminder.

        ``openings``, a dict kept by the caller, shares the practice's opening hours
        between the appointments of one run (a day of them reads each day's hours once)."""
        self.ensure_one()
        company = event._wa_company()
        start = _aware(event.start)
        offset = timedelta(hours=self.offset_hours)
        since = start - offset - timedelta(days=14)
        if openings is not None:
            company = company.with_context(**{RUN_CACHE: openings})
        intervals = company._wa_opening_intervals(since)
        if intervals is None:  # no working schedule: the rule's exact time
            return start - offset, None
        return reminder_schedule.due_time(start, offset, intervals, company._wa_practice_tz())


class DentalWhatsappReminder(models.Model):
    """One (appointment, rule, appointment time): the unit sent at most once."""

    _name = "dental.whatsapp.reminder"
    _description = "WhatsApp Appointment Reminder"
    _order = "due_at, id"

    event_id = fields.Many2one(
        "calendar.event", "Appointment", required=True, ondelete="cascade", index=True
    )
    rule_id = fields.Many2one("dental.whatsapp.reminder.rule", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", "Practice", readonly=True, index=True)
    appointment_start = fields.Datetime("For the Appointment At", required=True)
    due_at = fields.Datetime("Goes Out At", required=True, index=True)
    state = fields.Selection(
        [
            ("armed", "Scheduled"),
            ("done", "Sent to the Outbox"),
            ("skipped", "Skipped"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="armed",
        index=True,
    )
    message_id = fields.Many2one("dental.whatsapp.message", ondelete="set null")
    note = fields.Char("Why")

    _sql_constraints = [
        (
            "event_rule_start_uniq",
            "unique(event_id, rule_id, appointment_start)",
            "This reminder is already planned for this appointment.",
        ),
    ]

    @api.model
    def _cron_send_due(self):
        self._wa_send_due(commit=not modules.module.current_test)

    @api.model
    def _wa_send_due(self, batch_size=BATCH_SIZE, commit=False):
        """Queue every due reminder exactly once. Rows are claimed with FOR UPDATE SKIP
        LOCKED and marked in the same transaction as the message they queue, so a second
        cron run, or a second worker, finds them done or locked."""
        done, openings = 0, {}
        Message = self.env["dental.whatsapp.message"]
        for reminders in claimed_batches(self.env.cr, lambda: self._wa_claim(batch_size), commit):
            # One batch reads each day's opening hours once and writes its chatter
            # entries together (a morning can hold thousands of reminders).
            queued = []
            run = {RUN_CACHE: openings, "wa_chatter_later": queued}
            for reminder in reminders.with_context(**run):
                reminder._wa_send()
            Message._wa_enqueued_together(queued)
            done += len(reminders)
            if commit:
                self.env["ir.cron"]._notify_progress(done=done, remaining=0)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    @api.model
    def _wa_claim(self, batch_size):
        self.flush_model()
        with tools.mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                """
                SELECT id FROM dental_whatsapp_reminder
                 WHERE state = 'armed' AND due_at <= %s
                 ORDER BY due_at, id
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                (fields.Datetime.now(), batch_size),
            )
        return self.sudo().browse([r[0] for r in self.env.cr.fetchall()])

    def _wa_send(self):
        self.ensure_one()
        event = self.event_id
        now = _aware(fields.Datetime.now())
        if not event.active or event.start != self.appointment_start or not event.patient_id:
            self.write({"state": "cancelled", "note": _("The appointment changed.")})
            return
        if not reminder_schedule.still_worth_sending(_aware(event.start), now):
            self.write(
                {
                    "state": "skipped",
                    "note": _("Too late: less than an hour before the appointment."),
                }
            )
            return
        message = event._wa_send_template(self.rule_id.template_id, raise_on_refusal=False)
        self.write({"state": "done", "message_id": message.id})
        if self.rule_id.ask_confirmation and message.state != "cancelled":
            if event.wa_confirmation_state in ("no_answer",):
                event.wa_confirmation_state = "to_confirm"
