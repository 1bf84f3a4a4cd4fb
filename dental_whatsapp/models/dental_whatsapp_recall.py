"""The recall: "it is time for your next hygiene visit", planned from the last attended
visit of an appointment type that asks for one, sent by a scheduled action, answered by
the patient, closed when an appointment is booked."""

import logging

from markupsafe import Markup
from odoo import _, api, fields, models, modules, tools
from odoo.exceptions import AccessError, UserError

from ..const import (
    BATCH_SIZE,
    GROUP_RECEPTION,
    RECALL_LATER,
    RECALL_STATES,
    TEMPLATE_RECALL_FIRST,
    TEMPLATE_RECALL_SECOND,
)
from ..tools import care_schedule
from ..tools.claims import claimed_batches
from ..tools.dates import aware as _aware

_logger = logging.getLogger(__name__)

# Recalls still waiting for a message (the scheduled action looks at these).
_TO_SEND = ("planned", "invited")
# Recalls a booking closes: the invitation is due or went, and nothing closed them yet.
_OPEN = ("planned", "invited", "reminded", "answered")


class DentalWhatsappRecall(models.Model):
    _name = "dental.whatsapp.recall"
    _inherit = ["mail.thread", "mail.activity.mixin", "dental.whatsapp.document.mixin"]
    _description = "Recall"
    _order = "first_due_date, id"

    patient_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    appointment_type_id = fields.Many2one(
        "dental.whatsapp.appointment.type",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    last_event_id = fields.Many2one(
        "calendar.event",
        "Last Attended Visit",
        readonly=True,
        ondelete="set null",
        help="The last appointment of this type the patient attended: the recall counts from it.",
    )
    last_visit_date = fields.Date("Last Visit", readonly=True)
    first_due_date = fields.Date(
        "Invitation Due", readonly=True, index=True, help="When the first invitation goes."
    )
    second_due_date = fields.Date(
        "Second Invitation Due",
        readonly=True,
        help="When the second invitation goes, if the patient neither answered nor booked.",
    )
    state = fields.Selection(
        RECALL_STATES, default="planned", required=True, readonly=True, index=True, tracking=True
    )
    first_message_id = fields.Many2one(
        "dental.whatsapp.message", "First Invitation", readonly=True, ondelete="set null"
    )
    second_message_id = fields.Many2one(
        "dental.whatsapp.message", "Second Invitation", readonly=True, ondelete="set null"
    )
    answered_date = fields.Datetime("Answered On", readonly=True)
    answer = fields.Text("Patient's Answer", readonly=True)
    booking_activity_id = fields.Many2one(
        "mail.activity", "Booking To-Do", readonly=True, ondelete="set null"
    )
    booked_event_id = fields.Many2one(
        "calendar.event", "Booked Appointment", readonly=True, ondelete="set null"
    )
    note = fields.Char(
        "Why", readonly=True, help="Why the recall stopped or a message could not go."
    )

    _sql_constraints = [
        (
            "patient_type_uniq",
            "unique(patient_id, appointment_type_id)",
            "The patient already has a recall for this appointment type.",
        ),
    ]

    @api.depends("patient_id", "appointment_type_id")
    def _compute_display_name(self):
        for recall in self:
            recall.display_name = _(
                "%(type)s recall of %(patient)s",
                type=recall.appointment_type_id.name or "",
                patient=recall.patient_id.name or "",
            )

    def _wa_patient(self):
        self.ensure_one()
        return self.patient_id

    # ------------------------------------------------------------------ planning
    @api.model
    def _wa_sync(self, patient, kind):
        """Plan (or move forward, or take back) the recall of ``patient`` for the
        appointment type ``kind`` from the last visit of that type they attended: called
        whenever an appointment's attendance is marked or cleared."""
        if not patient or not kind:
            return self.browse()
        Recall = self.sudo()
        recall = Recall.search(
            [("patient_id", "=", patient.id), ("appointment_type_id", "=", kind.id)], limit=1
        )
        last = (
            self.env["calendar.event"]
            .sudo()
            .search(
                [
                    ("patient_id", "=", patient.id),
                    ("wa_appointment_type_id", "=", kind.id),
                    ("wa_attendance", "=", "attended"),
                ],
                order="start desc, id desc",
                limit=1,
            )
        )
        if not last:
            if recall and recall.last_event_id:
                # The visit it counted from is no longer marked attended.
                if recall.state in _OPEN:
                    recall._wa_close_booking_activity(_("The visit is no longer attended."))
                    recall._wa_stop(_("No attended visit of this type is left to count from."))
                recall.write({"last_event_id": False, "last_visit_date": False})
            return recall
        if kind.recall_months <= 0:
            return recall  # the type asks for no recall (any more)
        company = last._wa_company()
        day = _aware(last.start).astimezone(company._wa_practice_tz()).date()
        if recall and recall.last_event_id == last and recall.last_visit_date == day:
            return recall  # marked twice: the same round
        first, second = care_schedule.recall_due(
            day, kind.recall_months, max(kind.recall_second_weeks, 1)
        )
        vals = {
            "company_id": company.id,
            "last_event_id": last.id,
            "last_visit_date": day,
            "first_due_date": first,
            "second_due_date": second,
            "state": "planned",
            "first_message_id": False,
            "second_message_id": False,
            "answered_date": False,
            "answer": False,
            "booked_event_id": False,
            "note": False,
        }
        if recall:
            recall._wa_close_booking_activity(_("A new visit was marked attended."))
            recall.write(vals)
        else:
            recall = Recall.create(dict(vals, patient_id=patient.id, appointment_type_id=kind.id))
        recall.message_post(
            body=_(
                "Recall planned from the visit of %(day)s: first invitation on %(first)s, "
                "second on %(second)s.",
                day=tools.format_date(self.env, day),
                first=tools.format_date(self.env, first),
                second=tools.format_date(self.env, second),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return recall

    def _wa_stop(self, reason, state="stopped"):
        for recall in self.sudo():
            recall.write({"state": state, "note": reason})
            recall.message_post(body=reason, subtype_xmlid="mail.mt_note")

    def _wa_close_booking_activity(self, feedback):
        for recall in self.sudo():
            activity = recall.booking_activity_id
            if activity.exists():
                activity.action_feedback(feedback=feedback)

    def _wa_upcoming_event(self):
        """The patient's next active appointment still to come (any type), if any."""
        self.ensure_one()
        return (
            self.env["calendar.event"]
            .sudo()
            .search(
                [
                    ("patient_id", "=", self.patient_id.id),
                    ("start", ">", fields.Datetime.now()),
                ],
                order="start",
                limit=1,
            )
        )

    @api.model
    def _wa_on_booked(self, events):
        """Appointments were booked (or moved) for patients: their due or running recalls
        are done, nothing more goes. A recall not yet due stays planned; the scheduled
        action checks again on its day whether something is booked."""
        now = fields.Datetime.now()
        events = events.sudo().filtered(lambda e: e.active and e.patient_id and e.start > now)
        if not events:
            return
        recalls = self.sudo().search(
            [("patient_id", "in", events.patient_id.ids), ("state", "in", _OPEN)]
        )
        for recall in recalls:
            due = recall.first_due_date and recall.first_due_date <= recall._wa_today()
            if recall.state == "planned" and not due:
                continue
            event = events.filtered(lambda e, r=recall: e.patient_id == r.patient_id)[:1]
            recall._wa_mark_booked(event)

    def _wa_today(self):
        self.ensure_one()
        return self.company_id._wa_today()

    def _wa_mark_booked(self, event):
        self.ensure_one()
        when = event._wa_format_datetime(event.start, self.env.user.lang or "en_US")
        reason = _("An appointment was booked: %(name)s, %(when)s.", name=event.name, when=when)
        self._wa_close_booking_activity(reason)
        self.sudo().booked_event_id = event
        self._wa_stop(reason, state="booked")

    # ------------------------------------------------------------------ sending
    @api.model
    def _cron_send_due(self):
        self._wa_send_due(commit=not modules.module.current_test)

    @api.model
    def _wa_send_due(self, batch_size=BATCH_SIZE, commit=False):
        """Send the invitations due today, each once: a recall moves to *Invited* (or
        *Second Invitation Sent*) in the same transaction as the message it queues, so a
        second run the same day, or a second worker, finds nothing left to send."""
        done = 0
        seen = set()
        for recalls in claimed_batches(
            self.env.cr, lambda: self._wa_claim(batch_size, seen), commit
        ):
            seen.update(recalls.ids)
            for recall in recalls:
                recall._wa_send_step()
            done += len(recalls)
            if commit:
                self.env["ir.cron"]._notify_progress(done=done, remaining=0)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    @api.model
    def _wa_claim(self, batch_size, seen):
        self.flush_model()
        # Tomorrow in UTC covers today in every practice's zone; each recall then reads
        # its own practice's day.
        horizon = fields.Date.add(fields.Date.today(), days=1)
        with tools.mute_logger("odoo.sql_db"):
            self.env.cr.execute(
                """
                SELECT id FROM dental_whatsapp_recall
                 WHERE state IN %s AND first_due_date <= %s AND NOT (id = ANY(%s))
                 ORDER BY first_due_date, id
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                (_TO_SEND, horizon, list(seen), batch_size),
            )
        return self.sudo().browse([r[0] for r in self.env.cr.fetchall()])

    def _wa_send_step(self):
        """What the recall does today (care_schedule.recall_state): the first or second
        invitation, a stop when something is booked, or nothing yet."""
        self.ensure_one()
        if self._wa_today() < self.first_due_date:
            return  # due tomorrow where the practice is
        booked = self._wa_upcoming_event()
        step = care_schedule.recall_state(
            self.first_due_date,
            self.second_due_date,
            self._wa_today(),
            booked=bool(booked),
            answered=False,
            sent=care_schedule.RECALL_FIRST if self.state == "invited" else None,
        )
        if step == care_schedule.RECALL_STOP:
            # Only a booking stops it here: an answer or the second invitation already
            # took the recall off the scheduled action's list.
            self._wa_mark_booked(booked)
            return
        if step is None:
            return
        patient = self.patient_id
        if patient.wa_opt_out or patient._wa_recipient().wa_opt_out:
            # Care messages still reach a patient who wrote STOP; an invitation to book
            # is not one they asked for.
            self._wa_stop(
                _("The patient asked to stop non-essential WhatsApp messages: no invitation.")
            )
            return
        first = step == care_schedule.RECALL_FIRST
        field = "first_message_id" if first else "second_message_id"
        try:
            message = self._wa_queue(TEMPLATE_RECALL_FIRST if first else TEMPLATE_RECALL_SECOND)
        except UserError as error:
            # No account or no template: the recall waits, reception reads why.
            if self.note != error.args[0]:
                self.note = error.args[0]
                self.message_post(body=error.args[0], subtype_xmlid="mail.mt_note")
            return
        if message.state == "cancelled":
            self.write({field: message.id})
            self._wa_stop(_("The invitation could not be sent: %s", message.error_message or ""))
            return
        self.write({"state": "invited" if first else "reminded", field: message.id, "note": False})

    def _wa_queue(self, name):
        """Queue the reviewed invitation ``name`` for the patient, in their language,
        through the outbox: the policy holds it until the practice opens."""
        self.ensure_one()
        company = self.company_id
        account = self.env["dental.whatsapp.account"]._wa_for_company(company)
        if not account:
            raise UserError(_("No WhatsApp account is configured: ask a manager to add one."))
        template = self._wa_find_template(name, account, self.patient_id)
        return self.env["dental.whatsapp.message"]._wa_enqueue(
            self.patient_id,
            category="care",
            record=self,
            template=template,
            account=account,
            raise_on_refusal=False,
        )

    # ------------------------------------------------------------------ answers
    def _wa_apply_answer(self, message, item):
        """The patient answered the invitation. "Not now" closes this round; any other
        answer (the "Book a visit" button, a reply) gives reception one to-do to book the
        visit, with the patient's words. Returns whether nobody else needs to answer."""
        self.ensure_one()
        recall = self.sudo()
        words = item.text or message.body or item.payload or ""
        if item.payload == RECALL_LATER:
            recall.write({"answered_date": fields.Datetime.now(), "answer": words})
            recall._wa_stop(_("The patient answered: not now. No more invitations this time."))
            return True
        if recall.state == "answered":
            recall.answer = "\n".join(filter(None, [recall.answer, words]))
            return bool(item.payload)
        recall.write({"state": "answered", "answered_date": fields.Datetime.now(), "answer": words})
        recall.message_post(
            body=Markup("%s<br/><i>«%s»</i>")
            % (_("The patient answered the invitation: book the visit."), words),
            subtype_xmlid="mail.mt_note",
        )
        recall.booking_activity_id = recall._wa_booking_activity(message, words)
        return bool(item.payload)

    def _wa_booking_activity(self, message, words):
        """One to-do for reception where it works: the patient's conversation (else the
        recall itself)."""
        self.ensure_one()
        conversation = message.conversation_id.sudo()
        target = conversation or self
        user = conversation._wa_reception_user() if conversation else self.env["res.users"]
        note = Markup("%s<br/><i>«%s»</i>") % (
            _(
                "%(patient)s answered the recall (last visit: %(day)s):",
                patient=self.patient_id.name,
                day=tools.format_date(self.env, self.last_visit_date),
            ),
            words,
        )
        return target.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self._wa_today(),
            summary=_("Book the %s visit", self.appointment_type_id.name),
            note=note,
            user_id=(user or self.env.user).id,
        )

    # ------------------------------------------------------------------ actions
    def _check_reception(self):
        if not self.env.su and not self.env.user.has_group(GROUP_RECEPTION):
            raise AccessError(_("Only the practice's staff can change recalls."))

    def action_plan_again(self):
        """Start the round again from the last attended visit (after a stop)."""
        self._check_reception()
        self.check_access("write")
        for recall in self.sudo():
            recall.last_event_id = False  # so the sync plans a fresh round
            self._wa_sync(recall.patient_id, recall.appointment_type_id)
        return True

    def action_stop(self):
        """Reception stops the recall (the patient said on the phone, ...)."""
        self._check_reception()
        self.check_access("write")
        self.filtered(lambda r: r.state in _OPEN)._wa_stop(
            _("%s stopped the recall.", self.env.user.name)
        )
        return True

    def action_book_visit(self):
        """Open a new appointment of the recall's type for the patient."""
        self.ensure_one()
        self._check_reception()
        self.check_access("read")
        return self.env["calendar.event"]._wa_booking_action(
            self.patient_id,
            _(
                "%(type)s: %(patient)s",
                type=self.appointment_type_id.name,
                patient=self.patient_id.name,
            ),
            wa_appointment_type_id=self.appointment_type_id.id,
        )
