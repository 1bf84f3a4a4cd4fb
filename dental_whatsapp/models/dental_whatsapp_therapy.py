"""Therapy plans: a reviewed reminder at each dose the patient agreed to with the dentist.

The plan keeps one reminder in the outbox at a time, the next dose: it leaves at the dose
time itself (the message's ``dose_time`` exception to the opening hours, inside the care
hours), and the scheduled action queues the following one once it has gone. A reminder
that could not leave within :data:`care_schedule.DOSE_LATE` of its time is withdrawn.
"""

from datetime import timedelta

import pytz
from markupsafe import Markup
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..const import (
    GROUP_DENTIST,
    TEMPLATE_THERAPY,
    THERAPY_DONE,
    THERAPY_DONE_WORDS,
    THERAPY_STATES,
    THERAPY_STOP,
)
from ..tools import care_schedule
from ..tools.dates import aware, naive_utc

# The code a replanning withdraws the waiting reminder with: that dose is not behind.
REPLANNED = "replanned"
# The plan's own fields a dentist writes; changing them on a running plan replans it.
PLAN_FIELDS = frozenset({"medicine", "dose", "dose_times", "start_date", "days", "partner_id"})


class DentalWhatsappTherapy(models.Model):
    _name = "dental.whatsapp.therapy"
    _inherit = ["mail.thread"]
    _description = "Therapy Plan"
    _order = "start_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Patient",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", False)],
    )
    event_id = fields.Many2one(
        "calendar.event",
        "Appointment",
        index=True,
        help="The appointment after which the dentist prescribed it.",
    )
    company_id = fields.Many2one(
        "res.company", "Practice", required=True, index=True, default=lambda s: s.env.company
    )
    dentist_id = fields.Many2one(
        "res.users",
        "Prescribed By",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
    )
    medicine = fields.Char(
        "Medicine or Rinse",
        required=True,
        tracking=True,
        help="As the patient knows it: 'Amoxicillina 1 g', 'collutorio alla clorexidina'.",
    )
    dose = fields.Char(
        required=True,
        tracking=True,
        help="What to take each time, as the reminder will say it: '1 compressa dopo i "
        "pasti', 'sciacqui per 1 minuto con 10 ml'.",
    )
    dose_times = fields.Char(
        required=True,
        default="08:00, 20:00",
        tracking=True,
        help="The times of the day the patient agreed to, in the patient's time zone, "
        "inside the care hours (Settings): for example 08:00, 14:00, 20:00.",
    )
    times_per_day = fields.Integer(compute="_compute_times_per_day")
    start_date = fields.Date(
        "First Day", required=True, default=lambda s: s.env.company._wa_today(), tracking=True
    )
    days = fields.Integer("Number of Days", required=True, default=5, tracking=True)
    end_date = fields.Date("Last Day", compute="_compute_end_date", store=True)
    state = fields.Selection(
        THERAPY_STATES, default="draft", required=True, readonly=True, tracking=True, copy=False
    )
    stop_reason = fields.Char("Why It Stopped", readonly=True, copy=False)
    next_dose_at = fields.Datetime(
        "Next Reminder", readonly=True, copy=False, index=True, help="When the next one leaves."
    )
    reminder_ids = fields.Many2many(
        "dental.whatsapp.message", compute="_compute_reminder_ids", string="Reminders"
    )
    reminders_planned = fields.Integer("Reminders in the Plan", compute="_compute_counts")
    reminders_sent = fields.Integer(compute="_compute_reminder_ids")

    _sql_constraints = [
        ("days_positive", "CHECK(days > 0)", "A therapy lasts at least one day."),
    ]

    @api.depends("medicine", "partner_id")
    def _compute_name(self):
        for plan in self:
            plan.name = f"{plan.medicine or ''} ({plan.partner_id.name or ''})"

    @api.depends("dose_times")
    def _compute_times_per_day(self):
        for plan in self:
            try:
                plan.times_per_day = len(care_schedule.parse_dose_times(plan.dose_times))
            except ValueError:
                plan.times_per_day = 0

    @api.depends("start_date", "days")
    def _compute_end_date(self):
        for plan in self:
            plan.end_date = (
                plan.start_date + timedelta(days=plan.days - 1)
                if plan.start_date and plan.days > 0
                else False
            )

    @api.depends("times_per_day", "days")
    def _compute_counts(self):
        for plan in self:
            plan.reminders_planned = plan.times_per_day * max(plan.days, 0)

    def _compute_reminder_ids(self):
        for plan in self:
            found = plan._wa_reminders()
            plan.reminder_ids = found
            plan.reminders_sent = len(
                found.filtered(lambda m: m.state in ("sent", "delivered", "read"))
            )

    def _wa_reminders(self):
        """The plan's reminders as they are now in the database (the computed field is
        cached for the transaction; the scheduled action needs the truth)."""
        self.ensure_one()
        if not isinstance(self.id, int):
            return self.env["dental.whatsapp.message"]
        return self.env["dental.whatsapp.message"].search(
            [("model", "=", self._name), ("res_id", "=", self.id), ("direction", "=", "out")],
            order="scheduled_at, id",
        )

    @api.constrains("dose_times", "company_id")
    def _check_dose_times(self):
        for plan in self:
            plan._wa_times()

    @api.constrains("dentist_id")
    def _check_dentist(self):
        for plan in self:
            if not plan.dentist_id.has_group(GROUP_DENTIST):
                raise ValidationError(
                    _(
                        "%s cannot prescribe a therapy: only members of the Dental WhatsApp "
                        "group Dentist can.",
                        plan.dentist_id.name,
                    )
                )

    # ------------------------------------------------------------------ rights
    def _wa_check_dentist(self):
        """Plans are the dentist's: written, started and closed by a dentist, checked
        here for every path (buttons, RPC)."""
        if not self.env.su and not self.env.user.has_group(GROUP_DENTIST):
            raise AccessError(_("Only a dentist can prescribe, start or close a therapy plan."))

    @api.model_create_multi
    def create(self, vals_list):
        self._wa_check_dentist()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and {"state", "stop_reason", "next_dose_at"} & set(vals):
            raise AccessError(_("A therapy plan is started and closed with its buttons."))
        if PLAN_FIELDS & set(vals):
            self._wa_check_dentist()
            if any(plan.state in ("done", "stopped") for plan in self):
                raise UserError(
                    _("A finished therapy plan cannot be changed: write a new one instead.")
                )
        result = super().write(vals)
        if PLAN_FIELDS & set(vals):
            self.filtered(lambda p: p.state == "running")._wa_replan()
        return result

    @api.model
    def _wa_action_for(self, partner, event=None):
        """The plans of ``partner`` (of ``event`` when given), new ones filled in."""
        self.check_access("read")
        domain = [("partner_id", "=", partner.id)]
        context = {"default_partner_id": partner.id}
        if event:
            domain.append(("event_id", "=", event.id))
            context.update(default_event_id=event.id, default_company_id=event._wa_company().id)
        return {
            "type": "ir.actions.act_window",
            "name": _("Therapy Plans"),
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": domain,
            "context": context,
        }

    # ------------------------------------------------------------------ schedule
    def _wa_tz(self):
        """The patient's time zone (the dose times are theirs), else the practice's."""
        self.ensure_one()
        name = self.partner_id.tz
        return pytz.timezone(name) if name else self.company_id._wa_practice_tz()

    def _wa_times(self):
        """The agreed dose times, checked against the care hours; a clear error else."""
        self.ensure_one()
        low, high = self.company_id._wa_care_window()
        try:
            times = care_schedule.parse_dose_times(self.dose_times)
        except ValueError as error:
            raise ValidationError(
                _(
                    "The dose times %(times)s cannot be read (%(why)s): write the times of "
                    "the day separated by commas, for example 08:00, 14:00, 20:00.",
                    times=self.dose_times or "",
                    why=str(error),
                )
            ) from error
        outside = [at for at in times if not low <= at <= high]
        if outside:
            raise ValidationError(
                _(
                    "The dose time %(time)s is outside the care hours %(low)s-%(high)s: a "
                    "therapy reminder never goes out at night. Agree another time with the "
                    "patient, or change the care hours in the WhatsApp settings.",
                    time=care_schedule.format_dose_times(outside[:1]),
                    low=care_schedule.format_dose_times([low]),
                    high=care_schedule.format_dose_times([high]),
                )
            )
        return times

    def _wa_doses(self):
        """Every reminder of the plan, as aware UTC moments, in order."""
        self.ensure_one()
        return care_schedule.therapy_doses(
            self.start_date,
            self.days,
            self._wa_times(),
            self._wa_tz(),
            self.company_id._wa_care_window(),
        )

    def _wa_next_dose(self, after=None):
        """The first dose still to remind (later than ``after``, and not already too
        late to be useful), or None when the plan is over."""
        self.ensure_one()
        now = aware(fields.Datetime.now())
        for moment in self._wa_doses():
            if after and moment <= after:
                continue
            if moment + care_schedule.DOSE_LATE >= now:
                return moment
        return None

    # ------------------------------------------------------------------ actions
    def action_start(self):
        """Start the reminders (a dentist, for every path)."""
        self._wa_check_dentist()
        self.check_access("write")
        for plan in self:
            if plan.state != "draft":
                raise UserError(_("The therapy plan %s has already started.", plan.name))
            plan._wa_check_template()
            if not plan._wa_next_dose():
                raise UserError(
                    _(
                        "Every dose of %s is already in the past: check the first day and "
                        "the number of days.",
                        plan.name,
                    )
                )
            plan.sudo().state = "running"
            plan._wa_announce(
                _(
                    "Therapy plan started by %(who)s: %(medicine)s, %(dose)s, at %(times)s "
                    "for %(days)s days (%(count)s reminders).",
                    who=self.env.user.name,
                    medicine=plan.medicine,
                    dose=plan.dose,
                    times=care_schedule.format_dose_times(plan._wa_times()),
                    days=plan.days,
                    count=plan.reminders_planned,
                ),
                open_conversation=True,
            )
            plan._wa_queue_next()
        return True

    def _wa_check_template(self):
        """Starting a plan whose reminders cannot leave would be a silent promise."""
        account = self.env["dental.whatsapp.account"]._wa_for_company(self.company_id)
        if not account:
            raise UserError(_("No WhatsApp account is configured: ask a manager to add one."))
        if not (
            self.env["dental.whatsapp.template"]
            .sudo()
            ._find_for(account, TEMPLATE_THERAPY, self.partner_id)
        ):
            raise UserError(
                _(
                    "The reminders cannot start: the WhatsApp template %s is not approved "
                    "yet by a dentist and by Meta (WhatsApp > Templates).",
                    TEMPLATE_THERAPY,
                )
            )

    def action_close(self):
        """The dentist ends the plan before its end: no more reminders."""
        self._wa_check_dentist()
        self.check_access("write")
        for plan in self.filtered(lambda p: p.state in ("draft", "running")):
            plan._wa_stop(_("closed by %s", self.env.user.name), state="stopped")
        return True

    def _wa_stop(self, reason, state="stopped"):
        """End the plan (``state`` done or stopped) and withdraw the waiting reminder."""
        for plan in self.sudo():
            queued = plan._wa_reminders().filtered(lambda m: m.state == "queued")
            for message in queued:
                message._wa_cancel(_("The therapy plan ended: %s.", reason))
            plan.write({"state": state, "stop_reason": reason, "next_dose_at": False})
            plan.invalidate_recordset(["reminder_ids", "reminders_sent"])
            plan._wa_announce(
                _("Therapy plan %(name)s ended: %(why)s.", name=plan.medicine, why=reason)
            )

    def _wa_replan(self):
        """A dentist changed a running plan: the waiting reminder follows the new plan."""
        for plan in self.sudo():
            for message in plan._wa_reminders().filtered(lambda m: m.state == "queued"):
                message._wa_cancel(_("The dentist changed the therapy plan."), code=REPLANNED)
            plan.next_dose_at = False
            plan._wa_queue_next()

    def _wa_announce(self, text, open_conversation=False):
        """A note on the plan and in the patient's conversation (``open_conversation``:
        created when the patient has none yet, so the desk shows the plan). Not on the
        patient's form: every employee reads that chatter, and a therapy is health data
        (the reminders themselves are there, as WhatsApp entries only the dental groups
        see)."""
        self.ensure_one()
        body = Markup("<p>%s</p>") % text
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        account = self.env["dental.whatsapp.account"]._wa_for_company(self.company_id)
        Conversation = self.env["dental.whatsapp.conversation"]
        if open_conversation and account:
            conversation = Conversation._wa_for(account, self.partner_id)
        else:
            conversation = Conversation._wa_find(account, self.partner_id)
        if conversation:
            conversation._wa_note(body)

    # ------------------------------------------------------------------ sending
    def _wa_queue_next(self):
        """Queue the next dose's reminder, or end the plan when none is left."""
        for plan in self.sudo():
            if plan.state != "running":
                continue
            # The doses already reminded (or withdrawn as too late) are behind; those a
            # replanning withdrew are not, the new plan decides again.
            behind = plan._wa_reminders().filtered(
                lambda m: m.scheduled_at and m.error_code != REPLANNED
            )
            after = aware(max(behind.mapped("scheduled_at"))) if behind else None
            due = plan._wa_next_dose(after=after)
            if not due:
                plan._wa_stop(_("the last dose was reminded"), state="done")
                continue
            tz = plan._wa_tz()
            local = due.astimezone(tz)
            day = (local.date() - plan.start_date).days + 1
            account = self.env["dental.whatsapp.account"]._wa_for_company(plan.company_id)
            template = (
                self.env["dental.whatsapp.template"]
                .sudo()
                ._find_for(account, TEMPLATE_THERAPY, plan.partner_id)
            )
            if not template:
                # Withdrawn approval (or Meta paused it): the dentist is told once, on the
                # plan, and it stops rather than fail at every dose.
                plan._wa_stop(
                    _(
                        "the template %s is no longer approved by a dentist and by Meta",
                        TEMPLATE_THERAPY,
                    )
                )
                continue
            message = self.env["dental.whatsapp.message"]._wa_enqueue(
                plan.partner_id,
                category="care",
                record=plan,
                template=template,
                values=[
                    plan.partner_id.name or "",
                    local.strftime("%H:%M"),
                    plan.medicine,
                    plan.dose,
                    str(day),
                    str(plan.days),
                ],
                account=account,
                scheduled_at=naive_utc(due),
                raise_on_refusal=False,
                dose_time=True,
            )
            plan.next_dose_at = naive_utc(due)
            plan.invalidate_recordset(["reminder_ids", "reminders_sent"])
            if message.state == "cancelled":
                # Refused for good (no consent, no number, blocked): the dentist is told
                # once, on the plan, and the plan stops rather than fail ten times.
                plan._wa_stop(
                    _("the reminders cannot reach the patient (%s)", message.error_message)
                )

    def _wa_outgoing_obsolete(self, message):
        """Why a waiting reminder of this plan must not leave any more, or False."""
        self.ensure_one()
        if self.state != "running":
            return _("the therapy plan is no longer running")
        if (
            message.scheduled_at
            and aware(fields.Datetime.now()) > aware(message.scheduled_at) + care_schedule.DOSE_LATE
        ):
            return _(
                "the dose time passed more than %s minutes ago: the next reminder is the "
                "useful one",
                int(care_schedule.DOSE_LATE.total_seconds() // 60),
            )
        return False

    @api.model
    def _cron_queue_reminders(self):
        """Every running plan has its next reminder waiting in the outbox (the one before
        has gone, or was withdrawn); plans with nothing left end."""
        plans = self.sudo().search([("state", "=", "running")])
        for plan in plans:
            if not plan._wa_reminders().filtered(lambda m: m.state == "queued"):
                plan._wa_queue_next()

    # ------------------------------------------------------------------ answers
    @api.model
    def _wa_answered(self, message, item, opt_out):
        """A patient's message about their therapy: STOP (typed, or the button) stops
        the running plan instead of the non-essential messages; "done" on the last day
        ends it; "done" before is noted. Returns True when understood."""
        if item.type not in ("text", "button", "interactive") or not message.partner_id:
            return False
        words = (item.payload or item.text or "").strip().casefold().rstrip("!.")
        stop = item.payload == THERAPY_STOP or (opt_out and not item.payload)
        done = item.payload == THERAPY_DONE or words in THERAPY_DONE_WORDS
        if not (stop or done):
            return False
        plan = self._wa_plan_answered(message)
        if not plan:
            return False
        today = aware(fields.Datetime.now()).astimezone(plan._wa_tz()).date()
        if stop:
            plan._wa_stop(_("the patient answered STOP"))
            patient = message.partner_id
            self.env["dental.whatsapp.message"]._wa_enqueue(
                patient,
                category="care",
                body=plan.with_context(lang=patient._wa_lang())._wa_stop_confirmation(),
                account=message.account_id,
                raise_on_refusal=False,
                service_reply=True,
            )
            return True
        if today >= plan.end_date:
            plan._wa_stop(_("the patient wrote that they finished it"), state="done")
        else:
            plan.message_post(
                body=_("The patient confirmed the dose: %s.", message.body or ""),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _wa_stop_confirmation(self):
        """The one answer to STOP under a therapy reminder, in the patient's language
        (the caller sets it in the context)."""
        return _(
            "We have stopped the reminders for %(medicine)s. If you have any doubt about the "
            "therapy, please call the practice.",
            medicine=self.medicine,
        )

    @api.model
    def _wa_plan_answered(self, message):
        """The running plan a message answers: the one whose reminder it replies to,
        else the plan whose reminder reached the patient in the last 24 hours."""
        Plan = self.sudo()
        origin = message.reply_to_id
        if origin and origin.model == self._name:
            plan = Plan.browse(origin.res_id).exists()
            return plan if plan.state == "running" else Plan
        recent = message.sudo().search(
            [
                ("direction", "=", "out"),
                ("model", "=", self._name),
                ("partner_id", "=", message.partner_id.id),
                ("state", "in", ("sent", "delivered", "read")),
                ("sent_date", ">=", fields.Datetime.now() - timedelta(hours=24)),
            ],
            order="sent_date desc",
            limit=1,
        )
        plan = Plan.browse(recent.res_id).exists() if recent else Plan
        return plan if plan.state == "running" else Plan
