import logging
from datetime import timedelta

from markupsafe import Markup
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..const import (
    ATTENDANCE_STATES,
    ATTENDANCE_SUGGEST_AFTER,
    CHECKIN_OK,
    CONFIRMATION_COLORS,
    CONFIRMATION_STATES,
    GROUP_RECEPTION,
    NO_ANSWER_BEFORE,
    TEMPLATE_CANCELLED,
    TEMPLATE_CHECKIN,
    TEMPLATE_CONFIRMATION,
    TEMPLATE_FIRST_VISIT_CONFIRMED,
    TEMPLATE_MOVED,
    TEMPLATE_REMINDER,
)
from ..tools import care_schedule, reply_parser, triage
from ..tools.dates import aware as _aware
from ..tools.dates import naive_utc as _naive_utc

_logger = logging.getLogger(__name__)

# Fields only the module's methods write (the buttons that note who did it).
_METHOD_ONLY_FIELDS = {
    "wa_attendance",
    "wa_attendance_suggested",
    "wa_booking_to_confirm",
    "wa_proposed_start",
    "wa_proposed_stop",
}


class CalendarEvent(models.Model):
    _name = "calendar.event"
    _inherit = ["calendar.event", "dental.whatsapp.document.mixin"]

    patient_id = fields.Many2one(
        "res.partner",
        compute="_compute_patient_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="Who receives the WhatsApp reminders: by default the attendee who is not a "
        "member of staff.",
    )
    wa_dentist_id = fields.Many2one(
        "res.users",
        "Dentist",
        domain=[("share", "=", False)],
        tracking=True,
    )
    wa_appointment_type_id = fields.Many2one(
        "dental.whatsapp.appointment.type", "Appointment Type", tracking=True
    )
    wa_confirmation_state = fields.Selection(
        CONFIRMATION_STATES,
        "WhatsApp Confirmation",
        default="to_confirm",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    wa_confirmation_color = fields.Integer(compute="_compute_wa_confirmation_color")
    wa_attendance = fields.Selection(
        ATTENDANCE_STATES,
        "Attendance",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="Whether the patient came: set with the Attended / Did Not Attend buttons.",
    )
    wa_checkin_message_id = fields.Many2one(
        "dental.whatsapp.message",
        "Post-Operative Check-In",
        readonly=True,
        copy=False,
        help="The 'how are you?' message planned after the attended appointment.",
    )
    wa_upcoming = fields.Boolean(
        "Still to Come",
        compute="_compute_wa_upcoming",
        help="The appointment has not started: reminders and confirmation requests make sense.",
    )
    wa_instruction_sent_ids = fields.Many2many(
        "dental.whatsapp.instruction",
        "dental_whatsapp_event_instruction_sent_rel",
        string="Care Instructions Sent",
        readonly=True,
        copy=False,
    )
    wa_attendance_suggested = fields.Boolean(
        "Attendance to Mark",
        readonly=True,
        copy=False,
        index=True,
        help="The appointment is over and nobody marked whether the patient came: probably "
        "they did not. Mark it.",
    )
    wa_reminder_ids = fields.One2many(
        "dental.whatsapp.reminder", "event_id", "WhatsApp Reminders", readonly=True
    )
    wa_booking_to_confirm = fields.Boolean(
        "To Be Confirmed by Reception",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="A new patient booked this first visit on WhatsApp: reception confirms it "
        "(the patient is then told) or cancels it and calls them.",
    )
    wa_proposed_start = fields.Datetime(
        "New Time Chosen by the Patient",
        readonly=True,
        copy=False,
        help="The patient chose this free time on WhatsApp; it is held until reception "
        "accepts or declines it.",
    )
    wa_proposed_stop = fields.Datetime("End of the New Time", readonly=True, copy=False)

    @api.depends("partner_ids")
    def _compute_patient_id(self):
        for event in self:
            if event.patient_id and event.patient_id in event.partner_ids:
                continue
            outside = event.partner_ids.filtered(
                lambda p: not p.user_ids.filtered(lambda u: not u.share)
            )
            event.patient_id = outside[:1] or event.patient_id

    @api.depends("start")
    def _compute_wa_upcoming(self):
        now = fields.Datetime.now()
        for event in self:
            event.wa_upcoming = bool(event.start) and event.start > now

    @api.depends("wa_confirmation_state")
    def _compute_wa_confirmation_color(self):
        for event in self:
            event.wa_confirmation_color = CONFIRMATION_COLORS.get(event.wa_confirmation_state, 0)

    # ------------------------------------------------------------------ life cycle
    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events._wa_arm_reminders()
        events._wa_recall_on_booking()
        return events

    def write(self, vals):
        if set(vals) & _METHOD_ONLY_FIELDS and not self.env.su:
            # Whether the patient came is health data for the dental staff, and it moves
            # only through the buttons (which note who marked it).
            raise AccessError(
                _(
                    "Attendance is marked with the Attended / Did Not Attend buttons, and a "
                    "booking made on WhatsApp is confirmed or accepted with its buttons."
                )
            )
        tracked = {
            "start",
            "stop",
            "allday",
            "active",
            "patient_id",
            "partner_ids",
            "wa_appointment_type_id",
        }
        if not tracked & set(vals) or self.env.context.get("wa_no_rearm"):
            return super().write(vals)
        before = {event.id: (event.start, event.active) for event in self}
        result = super().write(vals)
        now = fields.Datetime.now()
        for event in self:
            old_start, was_active = before[event.id]
            if was_active and not event.active:
                event._wa_on_cancelled()
            elif event.active and old_start != event.start:
                event._wa_on_moved(old_start)
            if (event.wa_attendance or event.wa_attendance_suggested) and event.start > now:
                # Moved to a day still to come: whether the patient came is unknown again.
                event.sudo().with_context(wa_no_rearm=True).write(
                    {"wa_attendance": False, "wa_attendance_suggested": False}
                )
        self._wa_arm_reminders()
        self._wa_recall_on_booking()
        return result

    def unlink(self):
        for event in self.filtered("active"):
            event._wa_on_cancelled()
        return super().unlink()

    def _wa_company(self):
        self.ensure_one()
        return self.user_id.company_id or self.env.company

    def _wa_patient(self):
        self.ensure_one()
        return self.patient_id

    def _wa_arm_reminders(self):
        """Plan one reminder per applicable rule for each appointment's current time;
        rules whose moment has passed are not planned (no burst of late reminders)."""
        Reminder = self.env["dental.whatsapp.reminder"].sudo()
        rules = self.env["dental.whatsapp.reminder.rule"].sudo().search([])
        now = _aware(fields.Datetime.now())
        cron = self.env.ref("dental_whatsapp.ir_cron_send_reminders", raise_if_not_found=False)
        cron = cron.sudo() if cron else cron
        planned, times, dropped, openings, dues = [], set(), Reminder, {}, {}
        for event in self.sudo():
            armed = event.wa_reminder_ids.filtered(lambda r: r.state == "armed")
            upcoming = (
                event.active and event.patient_id and not event.allday and _aware(event.start) > now
            )
            keep = Reminder
            company = event._wa_company()
            for rule in rules if upcoming else []:
                if rule.company_id not in (company, rule.company_id.browse()):
                    continue  # another practice's rule
                if not rule._applies_to(event):
                    continue
                existing = event.wa_reminder_ids.filtered(
                    lambda r, rule=rule, start=event.start: (
                        r.rule_id == rule and r.appointment_start == start
                    )
                )
                if existing:
                    keep |= existing
                    continue
                # Appointments at the same time in one practice share their moment.
                key = (rule.id, company.id, event.start)
                if key not in dues:
                    dues[key] = rule._due_for(event, openings)[0]
                due = dues[key]
                if due is None or due < now:
                    continue
                planned.append(
                    {
                        "event_id": event.id,
                        "rule_id": rule.id,
                        "company_id": company.id,
                        "appointment_start": event.start,
                        "due_at": _naive_utc(due),
                        "state": "armed",
                    }
                )
                times.add(_naive_utc(due))
            dropped |= armed - keep
        # A day of appointments at once: the reminders in one create, and the cron woken
        # once per distinct time, not once per reminder.
        dropped.unlink()
        Reminder.create(planned)
        if cron and times:
            cron._trigger(at=sorted(times))

    def _wa_on_moved(self, old_start):
        """The appointment moved: queued reminders for the old time are withdrawn and, if
        the patient already had one, they are told the new time."""
        self.ensure_one()
        self._wa_cancel_checkin(_("The appointment was moved."))
        messages = self._wa_reminder_messages()
        messages.filtered(lambda m: m.state == "queued").action_cancel()
        if self.env.context.get("wa_patient_choice"):
            return  # the patient chose the time: the booking confirms it to them
        told = messages.filtered(lambda m: m.state in ("sent", "delivered", "read"))
        if self.wa_confirmation_state != "to_confirm":
            self.with_context(wa_no_rearm=True).wa_confirmation_state = "to_confirm"
        if told and self.patient_id and _aware(self.start) > _aware(fields.Datetime.now()):
            self._wa_send_template(TEMPLATE_MOVED, raise_on_refusal=False)

    def _wa_on_cancelled(self):
        """The practice cancelled the appointment: nothing more about it goes out, and the
        patient is told if they had already been reminded (unless they cancelled)."""
        self.ensure_one()
        self._wa_cancel_checkin(_("The appointment was cancelled."))
        messages = self._wa_reminder_messages()
        messages.filtered(lambda m: m.state == "queued").action_cancel()
        self.wa_reminder_ids.filtered(lambda r: r.state == "armed").write(
            {"state": "cancelled", "note": _("The appointment was cancelled.")}
        )
        told = messages.filtered(lambda m: m.state in ("sent", "delivered", "read"))
        if (
            told
            and self.patient_id
            and self.wa_confirmation_state != "cancelled_by_patient"
            and _aware(self.start) > _aware(fields.Datetime.now())
            and not self.env.context.get("wa_no_cancel_notice")
        ):
            self._wa_send_template(TEMPLATE_CANCELLED, raise_on_refusal=False)

    def _wa_outgoing_messages(self, domain, order=None):
        """This appointment's outgoing WhatsApp messages matching ``domain``."""
        self.ensure_one()
        return (
            self.env["dental.whatsapp.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "calendar.event"),
                    ("res_id", "=", self.id),
                    ("direction", "=", "out"),
                    *domain,
                ],
                order=order,
            )
        )

    def _wa_reminder_messages(self):
        return self._wa_outgoing_messages(
            [("template_id.name", "in", self._wa_reminder_template_names())]
        )

    def _wa_reminder_template_names(self):
        rules = self.env["dental.whatsapp.reminder.rule"].sudo().with_context(active_test=False)
        names = set(rules.search([]).mapped("template_id.name"))
        return list(names | {TEMPLATE_REMINDER, TEMPLATE_CONFIRMATION, TEMPLATE_MOVED})

    # ------------------------------------------------------------------ sending
    def _wa_send_many(self, template_name):
        if len(self) == 1:
            self._wa_send_template(template_name)
            return self._wa_notify(1, 0, what=_("The WhatsApp message is queued."))
        queued = refused = 0
        for event in self:
            if not event.patient_id:
                refused += 1
                continue
            message = event._wa_send_template(template_name, raise_on_refusal=False)
            if message.state == "cancelled":
                refused += 1
            else:
                queued += 1
        text = _(
            "%(queued)s queued, %(refused)s not sent (see each appointment for why).",
            queued=queued,
            refused=refused,
        )
        return self._wa_notify(queued, refused, what=text)

    def action_wa_send_reminder(self):
        self.env["dental.whatsapp.policy"]._wa_check_sender()
        return self._wa_send_many(TEMPLATE_REMINDER)

    def action_wa_send_confirmation(self):
        self.env["dental.whatsapp.policy"]._wa_check_sender()
        result = self._wa_send_many(TEMPLATE_CONFIRMATION)
        self.filtered(lambda e: e.wa_confirmation_state == "no_answer").with_context(
            wa_no_rearm=True
        ).wa_confirmation_state = "to_confirm"
        return result

    # ------------------------------------------------------------------ answers
    def _wa_apply_patient_reply(self, message, item, opt_out=False):
        """The patient answered a confirmation request. Return True when the answer was
        understood as confirm / reschedule / cancel."""
        self.ensure_one()
        reply = reply_parser.parse_reply(item.text, item.payload)
        words = item.text or item.payload or ""
        if reply.intent == reply_parser.UNCLEAR:
            if opt_out:
                return False  # the opt-out handling answers it
            if self.wa_confirmation_state in ("to_confirm", "no_answer"):
                self._wa_reception_activity(
                    _("Unclear answer about the appointment"), words, message
                )
            return False
        new_state, attendee_state, label = {
            reply_parser.CONFIRM: ("confirmed", "accepted", _("confirmed")),
            reply_parser.RESCHEDULE: (
                "reschedule_requested",
                "declined",
                _("asked to reschedule"),
            ),
            reply_parser.CANCEL: ("cancelled_by_patient", "declined", _("cancelled")),
        }[reply.intent]
        self.sudo().with_context(wa_no_rearm=True).wa_confirmation_state = new_state
        attendees = self.sudo().attendee_ids.filtered(lambda a: a.partner_id == self.patient_id)
        attendees.write({"state": attendee_state})
        self.sudo().message_post(
            body=Markup("%s<br/><i>«%s»</i>")
            % (
                _("%(patient)s %(what)s on WhatsApp.", patient=self.patient_id.name, what=label),
                words,
            ),
            subtype_xmlid="mail.mt_note",
            author_id=self.patient_id.id,
        )
        if reply.intent == reply_parser.RESCHEDULE:
            activity = self._wa_reception_activity(_("Reschedule the appointment"), words, message)
            self.env["dental.whatsapp.slot.offer"]._wa_offer_new_time(self, message, activity)
        elif reply.intent == reply_parser.CANCEL:
            self._wa_reception_activity(
                _("The patient cancelled: the slot is free"), words, message
            )
        return True

    def _wa_reception_activity(self, summary, words, message):
        """A to-do for the receptionist on the patient, who has the activity view (the
        appointment model has none), with the patient's words and the appointment."""
        self.ensure_one()
        user = self.user_id if self.user_id and not self.user_id.share else None
        if not user or not user.active:
            user = (
                self.env["res.users"]
                .sudo()
                .search(
                    [
                        ("groups_id", "in", self.env.ref(GROUP_RECEPTION).id),
                        ("share", "=", False),
                    ],
                    order="id",
                    limit=1,
                )
            )
        when = self._wa_format_datetime(self.start, self.patient_id._wa_lang())
        note = Markup("%s<br/><i>«%s»</i>") % (
            _(
                "%(patient)s about the appointment %(name)s of %(when)s:",
                patient=self.patient_id.name,
                name=self.name,
                when=when,
            ),
            words,
        )
        return self.patient_id.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=note,
            user_id=(user or self.env.user).id,
        )

    def _wa_unfit_templates(self):
        """A live appointment is not sent its cancellation notice; a cancelled or past
        one is not reminded, asked to confirm or told it moved."""
        now = fields.Datetime.now()
        unfit = set()
        for event in self:
            if event.active and event.start > now:
                unfit |= {TEMPLATE_CANCELLED, TEMPLATE_CHECKIN}
            else:
                unfit |= {
                    TEMPLATE_REMINDER,
                    TEMPLATE_CONFIRMATION,
                    TEMPLATE_MOVED,
                    TEMPLATE_FIRST_VISIT_CONFIRMED,
                }
                if event.active:
                    unfit.add(TEMPLATE_CANCELLED)
        return unfit

    def _wa_patient_chose(self):
        """The patient chose this appointment's time themselves: it counts as confirmed."""
        for event in self.sudo():
            event.with_context(wa_no_rearm=True).wa_confirmation_state = "confirmed"
            patient = event.patient_id
            event.attendee_ids.filtered(lambda a, patient=patient: a.partner_id == patient).write(
                {"state": "accepted"}
            )

    # ------------------------------------------------------------------ booking
    def _wa_held_offer(self):
        self.ensure_one()
        return (
            self.env["dental.whatsapp.slot.offer"]
            .sudo()
            .search([("event_id", "=", self.id), ("state", "=", "proposed")], limit=1)
        )

    def _wa_held_offer_for_reception(self):
        """The held new time, for reception (checked here for every path)."""
        self.ensure_one()
        self.env["dental.whatsapp.slot.offer"]._wa_check_reception()
        self.check_access("write")
        offer = self._wa_held_offer()
        if not offer:
            raise UserError(_("%s has no new time waiting to be accepted.", self.name))
        return offer

    def action_wa_accept_new_time(self):
        """Accept the time the patient chose on WhatsApp (setting "Reception accepts the
        move first")."""
        self._wa_held_offer_for_reception()._wa_accept()
        return True

    def action_wa_decline_new_time(self):
        self._wa_held_offer_for_reception()._wa_decline()
        return True

    def action_wa_confirm_first_visit(self):
        """Reception confirms a first visit a new patient booked on WhatsApp."""
        self.ensure_one()
        self.env["dental.whatsapp.slot.offer"]._wa_check_reception()
        self.check_access("write")
        if not self.wa_booking_to_confirm:
            raise UserError(_("%s is not waiting for reception's confirmation.", self.name))
        self.env["dental.whatsapp.slot.offer"]._wa_confirmed_first_visit(self)
        return True

    # ------------------------------------------------------------------ attendance
    def action_wa_mark_attended(self):
        return self._wa_mark_attendance("attended")

    def action_wa_mark_no_show(self):
        return self._wa_mark_attendance("no_show")

    def action_wa_clear_attendance(self):
        return self._wa_mark_attendance(False)

    def _wa_mark_attendance(self, state):
        """Reception says whether the patient came (checked here, for every path)."""
        if not self.env.su and not self.env.user.has_group(GROUP_RECEPTION):
            raise AccessError(_("Only the practice's staff can mark whether a patient came."))
        self.check_access("write")
        now = fields.Datetime.now()
        labels = dict(self._fields["wa_attendance"]._description_selection(self.env))
        for event in self:
            if state and event.start > now:
                raise UserError(
                    _(
                        "%(appointment)s has not started yet: whether the patient came can "
                        "be marked from %(start)s.",
                        appointment=event.display_name,
                        start=event._wa_format_datetime(event.start, self.env.user.lang),
                    )
                )
            if not event.patient_id:
                raise UserError(_("%s has no patient: there is nobody to mark.", event.name))
            event.sudo().with_context(wa_no_rearm=True).write(
                {"wa_attendance": state, "wa_attendance_suggested": False}
            )
            event.message_post(
                body=_(
                    "%(who)s marked the appointment: %(state)s.",
                    who=self.env.user.name,
                    state=labels[state] if state else _("not marked"),
                ),
                subtype_xmlid="mail.mt_note",
            )
            if state == "attended":
                event._wa_plan_checkin()
                event._wa_send_instructions_after()
            else:
                event._wa_cancel_checkin(_("The appointment is no longer marked attended."))
            event._wa_update_recall()
        return True

    # ------------------------------------------------------------------ post-op check-in
    def _wa_plan_checkin(self):
        """Plan the reviewed "how are you?" for an attended appointment whose type asks
        for one: once per appointment, at the type's moment (the next day at the opening,
        or some hours after the end, then the next opening)."""
        for event in self.sudo():
            kind = event.wa_appointment_type_id.checkin
            planned = event.wa_checkin_message_id
            if kind in (False, "none") or not event.patient_id:
                continue
            if planned and planned.state != "cancelled":
                continue  # once per appointment
            company = event._wa_company()
            end = _aware(event.stop)
            rule = (
                care_schedule.NEXT_DAY
                if kind == "next_day"
                else timedelta(hours=event.wa_appointment_type_id.checkin_hours)
            )
            due = care_schedule.checkin_at(
                end, rule, company._wa_opening_intervals(end), company._wa_practice_tz()
            )
            if not due:
                event.message_post(
                    body=_("No check-in planned: the practice has no opening hours soon."),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            account = event.env["dental.whatsapp.account"]._wa_for_company(company)
            template = event._wa_find_template(TEMPLATE_CHECKIN, account, event.patient_id)
            event.wa_checkin_message_id = event.env["dental.whatsapp.message"]._wa_enqueue(
                event.patient_id,
                category="care",
                record=event,
                template=template,
                account=account,
                scheduled_at=_naive_utc(due),
                raise_on_refusal=False,
            )

    def _wa_send_instructions_after(self):
        """An attended appointment whose type says so gets its approved care
        instructions, once (the message log says whether they went)."""
        for event in self.sudo():
            kind = event.wa_appointment_type_id
            if not kind.send_instructions or not event.patient_id:
                continue
            sheets = kind.instruction_ids.filtered(lambda s: s.review_state == "approved")
            for sheet in sheets - event.wa_instruction_sent_ids:
                try:
                    message = sheet._wa_send(event.patient_id, event, raise_on_refusal=False)
                except UserError as error:
                    # Marking the attendance never fails because a sheet cannot leave.
                    event.message_post(
                        body=_(
                            "The care instructions %(sheet)s were not sent: %(why)s",
                            sheet=sheet.name,
                            why=error.args[0],
                        ),
                        subtype_xmlid="mail.mt_note",
                    )
                    continue
                if message.state != "cancelled":
                    event.wa_instruction_sent_ids |= sheet

    def action_wa_send_instructions(self):
        """Send Care Instructions: the approved sheets, in one click."""
        self.ensure_one()
        self.env["dental.whatsapp.policy"]._wa_check_sender()
        return {
            "type": "ir.actions.act_window",
            "name": _("Send Care Instructions"),
            "res_model": "dental.whatsapp.instruction.send",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_id": self.id},
        }

    @api.model
    def _wa_booking_action(self, patient, name, **defaults):
        """The new-appointment form for ``patient``, named ``name`` (the desk's and the
        recall's *Book a Visit*); ``defaults``: more fields of the appointment."""
        context = {
            "default_patient_id": patient.id,
            "default_partner_ids": [patient.id],
            "default_name": name,
        }
        context.update({f"default_{field}": value for field, value in defaults.items()})
        return {
            "type": "ir.actions.act_window",
            "name": _("Book a Visit"),
            "res_model": "calendar.event",
            "view_mode": "form",
            "target": "current",
            "context": context,
        }

    def action_wa_therapies(self):
        """The therapy plans prescribed at this appointment; a new one starts from here
        with the patient and the appointment filled in."""
        self.ensure_one()
        if not self.patient_id:
            raise UserError(_("Choose the patient of %s first.", self.display_name))
        return self.env["dental.whatsapp.therapy"]._wa_action_for(self.patient_id, event=self)

    def _wa_cancel_checkin(self, reason):
        for event in self.sudo():
            checkin = event.wa_checkin_message_id
            if checkin.state == "queued":
                checkin._wa_cancel(reason)

    def _wa_apply_checkin_answer(self, message, payload):
        """The patient answered the check-in: "all good" is noted; "I have a problem"
        becomes a to-do for the dentist in the patient's conversation. Returns whether
        nobody needs to answer (all good)."""
        self.ensure_one()
        event = self.sudo()
        if payload == CHECKIN_OK:
            event.message_post(
                body=_("The patient answered the check-in: all good."),
                subtype_xmlid="mail.mt_note",
            )
            return True
        event.message_post(
            body=_(
                "The patient answered the check-in: they have a problem. The dentist was asked."
            ),
            subtype_xmlid="mail.mt_note",
        )
        conversation = self.env["dental.whatsapp.conversation"]._wa_for(
            message.account_id, message.partner_id, number=message.number
        )
        conversation._wa_route_to_dentist(
            message,
            triage.Triage("clinical", False, (_("check-in after %s", event.display_name),)),
        )
        return False

    @api.model
    def _cron_suggest_no_show(self):
        """Appointments over for a while that nobody marked: suggest "did not attend"
        (the list's *Attendance to Mark* filter, a banner on the appointment)."""
        ended = fields.Datetime.now() - ATTENDANCE_SUGGEST_AFTER
        self.sudo().search(
            [
                ("stop", "<=", ended),
                ("patient_id", "!=", False),
                ("wa_attendance", "=", False),
                ("wa_attendance_suggested", "=", False),
            ]
        ).with_context(wa_no_rearm=True).write({"wa_attendance_suggested": True})

    @api.model
    def _cron_mark_unanswered(self):
        """Confirmation requests still unanswered a day before the appointment become
        "No Answer", and reception gets a call-back to-do (a scheduled action of its own,
        hourly: it is about the patient's silence, not about sending)."""
        now = fields.Datetime.now()
        events = self.sudo().search(
            [
                ("wa_confirmation_state", "=", "to_confirm"),
                ("start", ">", now),
                ("start", "<=", now + NO_ANSWER_BEFORE),
                ("patient_id", "!=", False),
            ]
        )
        for event in events:
            asked = event._wa_confirmation_requests().filtered(
                lambda m: m.state in ("sent", "delivered", "read")
            )
            if not asked:
                continue
            answered = (
                self.env["dental.whatsapp.message"]
                .sudo()
                .search_count(
                    [
                        ("direction", "=", "in"),
                        ("partner_id", "=", event.patient_id.id),
                        ("received_date", ">=", min(asked.mapped("sent_date"))),
                    ]
                )
            )
            if answered:
                continue
            event.with_context(wa_no_rearm=True).wa_confirmation_state = "no_answer"
            event._wa_reception_activity(
                _("No answer to the confirmation request: call the patient"),
                "",
                asked[:1],
            )

    def _wa_confirmation_requests(self):
        return self._wa_outgoing_messages(
            [("template_id.button_ids.payload", "=ilike", "dwa:confirm")], order="id desc"
        )

    # ------------------------------------------------------------------ recall
    def _wa_update_recall(self):
        """The attendance of these appointments changed: their patients' recalls for the
        appointment type count again from the last visit of that type they attended (a
        new round, or none when no attended visit is left)."""
        Recall = self.env["dental.whatsapp.recall"].sudo()
        for event in self.sudo():
            Recall._wa_sync(event.patient_id, event.wa_appointment_type_id)

    def _wa_recall_on_booking(self):
        """An appointment booked (or moved) for a patient closes their due recall."""
        self.env["dental.whatsapp.recall"].sudo()._wa_on_booked(self)
