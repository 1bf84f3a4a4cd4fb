"""The facts "what the messages achieve" needs and nothing else kept: how long each
patient waited for the practice's answer, and what each patient answered to the
confirmation request. The desk and the appointment overwrite their current state
(the answer clock stops, a moved appointment is "to confirm" again); these rows and
this field keep the history, written where it happens."""

from odoo import _, fields, models
from odoo.exceptions import AccessError

from ..const import DEFAULT_ANSWER_TARGET, GROUP_DENTIST, GROUP_RECEPTION
from ..tools import outcome_stats, reply_parser
from ..tools.dates import aware

# The parsed reply's intent -> the answer recorded.
ANSWER_OF_INTENT = {
    reply_parser.CONFIRM: "confirmed",
    reply_parser.RESCHEDULE: "reschedule",
    reply_parser.CANCEL: "cancel",
}
PATIENT_ANSWERS = [
    ("confirmed", "Confirmed"),
    ("reschedule", "Asked to Reschedule"),
    ("cancel", "Cancelled"),
]
TRIAGE_LABELS = [
    ("clinical", "Clinical Question"),
    ("flirt", "Personal Advances"),
    ("hostile", "Heated"),
    ("admin", "Appointments and Payments"),
    ("other", "Other"),
]


class DentalWhatsappResponse(models.Model):
    """One wait of a patient for the practice: from their first unanswered message to
    the first answer a person sent (or to the conversation closed without one)."""

    _name = "dental.whatsapp.response"
    _description = "WhatsApp Answer Time"
    _order = "waiting_since desc, id desc"

    conversation_id = fields.Many2one(
        "dental.whatsapp.conversation", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", "Practice", readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", "Patient", readonly=True, index=True)
    dentist_id = fields.Many2one(
        "res.users", "Patient's Dentist", readonly=True, help="Who clinical questions go to."
    )
    waiting_since = fields.Datetime("Patient Wrote At", required=True, readonly=True, index=True)
    answered_date = fields.Datetime("Answered At", readonly=True)
    answered_by_id = fields.Many2one("res.users", readonly=True)
    minutes = fields.Float(
        "Answer Time (Opening Minutes)",
        readonly=True,
        help="Minutes of opening time (the practice's working schedule, holidays removed) "
        "from the patient's message to the answer; empty when nobody answered.",
    )
    late = fields.Boolean(
        readonly=True,
        help="The answer took longer than the desk's answer-time target, in opening time "
        "(or the desk had already marked the conversation late).",
    )
    triage_label = fields.Selection(TRIAGE_LABELS, "Read As", readonly=True)
    triage_urgent = fields.Boolean("Urgent", readonly=True)
    dentist_taken_date = fields.Datetime(
        "Taken by a Dentist At",
        readonly=True,
        help="A clinical or urgent message: when a dentist first opened the conversation "
        "or answered it.",
    )
    dentist_minutes = fields.Float("Taken by a Dentist After (Opening Minutes)", readonly=True)


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    wa_patient_answer = fields.Selection(
        PATIENT_ANSWERS,
        "Patient's Answer on WhatsApp",
        readonly=True,
        copy=False,
        groups=GROUP_RECEPTION,
        help="The patient's last understood answer to the confirmation request. Kept when "
        "the appointment moves (it is then to confirm again): the outcome figures count "
        "reschedules by reply from it.",
    )

    def write(self, vals):
        if "wa_patient_answer" in vals and not self.env.su:
            raise AccessError(_("The patient's answer is recorded only from their reply."))
        return super().write(vals)

    def _wa_apply_patient_reply(self, message, item, opt_out=False):
        understood = super()._wa_apply_patient_reply(message, item, opt_out=opt_out)
        # What the patient said, parsed as the appointment parsed it (a pure function of
        # the reply): not the state after super(), which other code may also change.
        intent = reply_parser.parse_reply(item.text, item.payload).intent
        answer = understood and ANSWER_OF_INTENT.get(intent)
        if answer:
            self.sudo().with_context(wa_no_rearm=True).write({"wa_patient_answer": answer})
        return understood


class DentalWhatsappConversation(models.Model):
    _inherit = "dental.whatsapp.conversation"

    def _wa_after_human_reply(self):
        facts = [c._wa_response_vals(answered=True) for c in self.sudo() if c.waiting_since]
        result = super()._wa_after_human_reply()
        if facts:
            self.env["dental.whatsapp.response"].sudo().create(facts)
        return result

    def action_done(self):
        facts = [
            c._wa_response_vals(answered=False)
            for c in self.sudo()
            if c.waiting_since and c.state != "done"
        ]
        result = super().action_done()
        if facts:
            self.env["dental.whatsapp.response"].sudo().create(facts)
        return result

    def action_block_number(self):
        # A patient blocked while waiting (flirting, abuse) waited all the same: the wait
        # counts, closed without an answer, as when the reception closes it.
        facts = [
            c._wa_response_vals(answered=False)
            for c in self.sudo()
            if c.waiting_since and not c.blocked
        ]
        result = super().action_block_number()
        if facts:
            self.env["dental.whatsapp.response"].sudo().create(facts)
        return result

    def _wa_response_vals(self, answered):
        """The wait now ending (the patient waited since ``waiting_since``), answered by
        the current user or closed without an answer."""
        self.ensure_one()
        now = fields.Datetime.now()
        start = self.waiting_since
        user = self.env.user
        company = self.company_id

        def opening_minutes(until):
            days = (until - start).days + 2
            intervals = company._wa_opening_intervals(start, days=days)
            return outcome_stats.open_minutes(aware(start), aware(until), intervals)

        waited = opening_minutes(now)
        target = self._wa_setting_minutes("answer_target", DEFAULT_ANSWER_TARGET)
        taken = False
        if self.triage_label == "clinical" or self.triage_urgent:
            opener = self.opened_by_id
            if (
                opener
                and self.opened_date
                and self.opened_date >= start
                and opener.has_group(GROUP_DENTIST)
            ):
                taken = self.opened_date
            elif answered and user.has_group(GROUP_DENTIST):
                taken = now
        return {
            "conversation_id": self.id,
            "company_id": company.id,
            "partner_id": self.partner_id.id,
            "dentist_id": self._wa_dentist().id,
            "waiting_since": start,
            "answered_date": now if answered else False,
            "answered_by_id": user.id if answered else False,
            "minutes": waited if answered else False,
            "late": bool(self.is_late or waited > target),
            "triage_label": self.triage_label or False,
            "triage_urgent": self.triage_urgent,
            "dentist_taken_date": taken,
            "dentist_minutes": opening_minutes(taken) if taken else False,
        }
