import logging
from datetime import timedelta

from markupsafe import Markup, escape
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext

from ..const import (
    ACK_BUSY_TEMPLATE,
    ACK_CLOSED_TEMPLATE,
    CONVERSATION_STATES,
    DEFAULT_ACK_DELAY,
    DEFAULT_ANSWER_TARGET,
    EMERGENCY_TEMPLATE,
    GROUP_DENTIST,
    GROUP_MANAGER,
    GROUP_RECEPTION,
    TRIAGE_SEVERITY,
)
from ..tools import desk, office_hours, send_policy, spelling, text_checks, triage
from ..tools.dates import aware, naive_utc
from ..tools.errors import WhatsAppApiError

_logger = logging.getLogger(__name__)

# What staff may write on a conversation directly (the rest moves through its methods).
STAFF_WRITABLE = frozenset(
    {"reply_body", "quick_reply_id", "reply_attachment_ids", "user_id"}
    | {"message_follower_ids", "message_main_attachment_id"}
)

# What an evidence hold freezes on the conversation record itself: whose conversation it
# is and the hold (lifted only by the lift wizard). The desk's state, clock and reply box
# still move: the patient may keep writing.
HELD_FIELDS = frozenset(
    {"account_id", "partner_id", "evidence_hold", "evidence_hold_date", "evidence_hold_reason"}
)

# Nobody waits any more (answered or closed): the answer clock and the pending
# acknowledgement stop.
CLOCK_STOPPED = {
    "waiting_since": False,
    "answer_due": False,
    "ack_due": False,
    "is_late": False,
    "unread_count": 0,
}

# Where a quick reply shows the practice's weekly hours (in the patient's language).
OPENING_HOURS_MARK = "{opening_hours}"

# The languages the spell checker has dictionaries for.
SPELLING_LANGUAGES = ("it", "es", "en", "pt")

# Meta's answer to a block request for a patient silent for more than 24 hours.
META_NOT_RECENT = 131047

# Media a receptionist may attach to a reply, by the MIME type's first part.
MEDIA_KIND = {"image": "image", "video": "video", "audio": "audio"}


class DentalWhatsappConversation(models.Model):
    """Everything one patient and the practice wrote each other on one WhatsApp number:
    the desk's unit of work. The chatter is the log (every message in and out, as
    evidence); the state says whether the patient is waiting for the practice."""

    _name = "dental.whatsapp.conversation"
    _inherit = ["mail.thread", "mail.activity.mixin", "dental.whatsapp.sender.mixin"]
    _description = "WhatsApp Conversation"
    _order = "is_late desc, last_inbound_date desc nulls last, id desc"
    _mail_post_access = "read"

    name = fields.Char(compute="_compute_name", store=True)
    account_id = fields.Many2one(
        "dental.whatsapp.account", "WhatsApp Account", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", "Patient", required=True, readonly=True, index=True, ondelete="restrict"
    )
    number = fields.Char("WhatsApp Number", readonly=True)
    wa_user_id = fields.Char(
        "WhatsApp User ID",
        readonly=True,
        index=True,
        help="Meta's business-scoped user id: the key of a patient who shows no number.",
    )
    state = fields.Selection(
        CONVERSATION_STATES, default="done", required=True, readonly=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        "Assigned To",
        tracking=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(GROUP_RECEPTION).id)],
        help="Who answers this patient. Empty: the whole reception is told.",
    )
    enquiry = fields.Boolean(
        "New Enquiry",
        readonly=True,
        help="Someone the practice does not know yet (a first-visit request).",
    )
    unread_count = fields.Integer("Unread", readonly=True)
    last_inbound_date = fields.Datetime("Last Patient Message", readonly=True)
    last_outbound_date = fields.Datetime("Last Reply", readonly=True)
    last_inbound_preview = fields.Char("Last Message", readonly=True)
    waiting_since = fields.Datetime(
        readonly=True, help="The patient's first message not answered yet."
    )
    answer_due = fields.Datetime(
        readonly=True,
        help="When the answer-time target runs out, counted in opening hours.",
    )
    is_late = fields.Boolean("Late", readonly=True, index=True)
    ack_due = fields.Datetime("Acknowledgement Due", readonly=True)
    last_ack_date = fields.Datetime("Acknowledged On", readonly=True)
    callback_at = fields.Datetime(
        "Call Back At",
        readonly=True,
        help="A first-visit request written while closed: reception gets a to-do then.",
    )
    first_visit_event_id = fields.Many2one(
        "calendar.event",
        "First Visit Booked",
        readonly=True,
        help="The first visit the new patient chose on WhatsApp, waiting for reception.",
    )
    opened_by_id = fields.Many2one("res.users", readonly=True)
    opened_date = fields.Datetime("Opened On", readonly=True)
    # Conduct safeguards: what the patient's last messages read as (tools/triage.py).
    triage_label = fields.Selection(
        [
            ("clinical", "Clinical Question"),
            ("flirt", "Personal Advances"),
            ("hostile", "Heated"),
            ("admin", "Appointments and Payments"),
            ("other", "Other"),
        ],
        "Reads As",
        readonly=True,
        index=True,
        help="What the patient's last message reads as, to route it: a clinical question "
        "goes to the dentist, personal advances are kept as evidence, a heated "
        "conversation is better continued by phone.",
    )
    triage_urgent = fields.Boolean(
        "Urgent",
        readonly=True,
        index=True,
        help="The patient describes a dental emergency (spreading swelling, trouble "
        "swallowing or breathing, bleeding that does not stop, a knocked-out tooth, pain "
        "painkillers do not control).",
    )
    triage_cues = fields.Char("Why", readonly=True, help="The words that decided the triage.")
    triage_date = fields.Datetime("Triaged On", readonly=True)
    heated = fields.Boolean(
        "Heated Conversation",
        readonly=True,
        index=True,
        help="The patient wrote in anger: continue by phone or in person, not on WhatsApp.",
    )
    evidence_hold = fields.Boolean(
        readonly=True,
        index=True,
        copy=False,
        help="Nothing in this conversation can be altered or deleted, by anyone, until a "
        "manager lifts the hold with a reason.",
    )
    evidence_hold_date = fields.Datetime("On Hold Since", readonly=True, copy=False)
    evidence_hold_reason = fields.Char("Why on Hold", readonly=True, copy=False)
    blocked = fields.Boolean(
        "Number Blocked",
        readonly=True,
        index=True,
        copy=False,
        help="A manager blocked this patient: nothing is sent to them; what they still "
        "write is stored and flagged.",
    )
    blocked_date = fields.Datetime("Blocked On", readonly=True, copy=False)
    blocked_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    suggested_reply_id = fields.Many2one(
        "dental.whatsapp.quick.reply",
        compute="_compute_triage_help",
        help="The reviewed reply that fits what the patient wrote.",
    )
    dentist_id = fields.Many2one(
        "res.users",
        "Dentist Who Answers",
        compute="_compute_triage_help",
        help="The patient's dentist (next or last appointment), else the dentist on duty.",
    )
    wa_message_ids = fields.One2many(
        "dental.whatsapp.message", "conversation_id", "WhatsApp Messages", readonly=True
    )
    # The reply box (a draft: kept if the send is refused).
    reply_body = fields.Text("Reply")
    quick_reply_id = fields.Many2one(
        "dental.whatsapp.quick.reply",
        domain=[("usage", "=", False)],
        help="A short text the practice reviewed: fills the reply box.",
    )
    reply_attachment_ids = fields.Many2many(
        "ir.attachment",
        "dental_whatsapp_conversation_reply_attachment_rel",
        string="Attach",
        help="Photos and PDFs sent as WhatsApp media with the reply.",
    )
    reply_check = fields.Text(compute="_compute_reply_check")
    reply_warning = fields.Text(compute="_compute_reply_check")
    window_open = fields.Boolean("Reply Window Open", compute="_compute_window")
    window_closes = fields.Datetime("Free Text Until", compute="_compute_window")
    next_opening = fields.Datetime(compute="_compute_next_opening")
    sla_color = fields.Integer("Answer-Time Colour", compute="_compute_sla_color")
    # The patient at a glance.
    # A name, not the contact's selection: a patient's language need not be installed.
    patient_lang = fields.Char("Language", compute="_compute_glance")
    consent_care = fields.Boolean(related="partner_id.wa_consent_care", string="Care Consent")
    consent_billing = fields.Boolean(
        related="partner_id.wa_consent_billing", string="Billing Consent"
    )
    opted_out = fields.Boolean(related="partner_id.wa_opt_out", string="Opted Out")
    call_number = fields.Char("Number to Call", compute="_compute_glance")
    next_event_id = fields.Many2one("calendar.event", "Next Appointment", compute="_compute_glance")
    next_event_state = fields.Char("Confirmation", compute="_compute_glance")
    last_event_id = fields.Many2one("calendar.event", "Last Visit", compute="_compute_glance")
    open_balance = fields.Monetary(compute="_compute_glance")
    currency_id = fields.Many2one(related="company_id.currency_id")
    flags = fields.Char(compute="_compute_glance")

    _sql_constraints = [
        (
            "account_partner_uniq",
            "unique(account_id, partner_id)",
            "A patient has one conversation per WhatsApp number of the practice.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id.name", "number", "wa_user_id")
    def _compute_name(self):
        for conversation in self:
            conversation.name = (
                conversation.partner_id.name or conversation.number or conversation.wa_user_id
            )

    @api.depends("reply_body", "partner_id")
    def _compute_reply_check(self):
        # What the reply box says while typing is what sending will answer.
        for conversation in self:
            text = conversation.reply_body or ""
            check = warning = False
            if conversation.partner_id and (text.strip() or not conversation.window_open):
                decision, blocks, warnings = conversation._wa_reply_decision(text)
                if decision.refusals:
                    # The words continue "The reply was not sent: ..."; alone, a sentence.
                    words = conversation._wa_reply_refusal_words(decision, blocks)
                    check = words[:1].upper() + words[1:]
                elif decision.send_at and decision.send_at > aware(fields.Datetime.now()):
                    warning = _(
                        "The practice is closed: the reply leaves at the opening, %s.",
                        conversation._wa_format_datetime(
                            naive_utc(decision.send_at), self.env.user.lang or "en_US"
                        ),
                    )
                words = conversation._wa_warning_words(warnings)
                if words:
                    warning = f"{warning} {words}" if warning else words
            conversation.reply_check = check
            conversation.reply_warning = warning

    def _wa_warning_words(self, warnings):
        """The warnings on a reply, in words (none of them stops the reply)."""

        def quoted(kind):
            words = dict.fromkeys(f"«{f.match}»" for f in warnings if f.kind == kind)
            return ", ".join(words)

        sentences = []
        if personal := quoted("personal"):
            sentences.append(
                _("The text reads as personal (%s): a dentist will be asked to look.", personal)
            )
        if argument := quoted("argument"):
            sentences.append(
                _(
                    "This reads as arguing (%s): the patient is upset, do not argue on "
                    "WhatsApp; call them, or offer to talk by phone or in person.",
                    argument,
                )
            )
        typos = [
            f"«{f.match}» ({', '.join(f.suggestions[:3])}?)" if f.suggestions else f"«{f.match}»"
            for f in warnings
            if f.kind == "spelling"
        ]
        if typos:
            sentences.append(
                _(
                    "Check the spelling: %s. You can send it as it is.",
                    ", ".join(typos),
                )
            )
        return " ".join(sentences)

    def _wa_spelling(self, text):
        """Words of ``text`` the dictionary of its language does not know. The
        language is the patient's, unless the reply reads better in the practice's or
        the receptionist's (a patient filed as English, answered in Italian)."""
        self.ensure_one()
        known = self._wa_known_words()
        preferred = [
            self.partner_id._wa_lang(),
            self.account_id._wa_practice_lang() if self.account_id else None,
            self.env.user.lang,
        ]
        # The reply's language is the one whose dictionary knows most of its words; on a
        # tie, the patient's, then the practice's, then the receptionist's. The other
        # dictionaries (tens of MB each) are loaded only for a reply that reads as none
        # of these languages (a third of its words unknown).
        first = list(dict.fromkeys(code.split("_")[0] for code in preferred if code))
        results = [spelling.check_spelling(text, code, known_words=known) for code in first]
        best = min(results, key=len) if results else []
        if len(best) * 3 > len(text.split()):
            others = [code for code in SPELLING_LANGUAGES if code not in first]
            results = [best] + [
                spelling.check_spelling(text, code, known_words=known) for code in others
            ]
            best = min(results, key=len)
        return best

    def _wa_known_words(self):
        """Names the spell checker must know: the practice's, its staff's, the
        patient's (and their carer's)."""
        self.ensure_one()
        names = [self.company_id.name or "", self.partner_id.name or ""]
        names += [self.partner_id._wa_recipient().name or ""]
        names += self._wa_staff().mapped("name")
        return {word for name in names for word in name.replace("-", " ").split()}

    @api.depends("triage_label", "triage_urgent", "heated", "partner_id")
    def _compute_triage_help(self):
        Reply = self.env["dental.whatsapp.quick.reply"]
        for conversation in self:
            label = "hostile" if conversation.heated else conversation.triage_label
            conversation.suggested_reply_id = (
                Reply.search(
                    [
                        ("suggested_for", "=", label),
                        ("company_id", "in", (False, conversation.company_id.id)),
                    ],
                    limit=1,
                )
                if label in ("clinical", "flirt", "hostile")
                else False
            )
            conversation.dentist_id = (
                conversation._wa_dentist() if conversation.triage_label == "clinical" else False
            )

    @api.depends("partner_id.wa_last_inbound_date")
    def _compute_window(self):
        now = aware(fields.Datetime.now())
        for conversation in self:
            last = conversation.partner_id._wa_recipient().wa_last_inbound_date
            conversation.window_open = bool(last) and send_policy.window_open(aware(last), now)
            conversation.window_closes = (
                last + send_policy.WINDOW if conversation.window_open else False
            )

    def _compute_next_opening(self):
        now = fields.Datetime.now()
        for conversation in self:
            opening = conversation._wa_next_opening_at(now)
            conversation.next_opening = naive_utc(opening) if opening else False

    @api.depends("is_late", "answer_due", "state")
    def _compute_sla_color(self):
        # Kanban colours: 1 red (late), 2 orange (due within ten minutes), 10 green.
        soon = fields.Datetime.now() + timedelta(minutes=10)
        for conversation in self:
            if conversation.state not in ("new", "opened"):
                conversation.sla_color = 0
            elif conversation.is_late:
                conversation.sla_color = 1
            elif conversation.answer_due and conversation.answer_due <= soon:
                conversation.sla_color = 2
            else:
                conversation.sla_color = 10

    def _compute_glance(self):
        Event = self.env["calendar.event"]
        now = fields.Datetime.now()
        for conversation in self:
            partner = conversation.partner_id
            code = partner._wa_lang() if partner else False
            language = self.env["res.lang"]._get_data(code=code) if code else None
            conversation.patient_lang = (language.name if language else None) or code
            conversation.call_number = partner.whatsapp_number or partner.phone or False
            upcoming = Event.search(
                [("partner_ids", "in", partner.ids), ("start", ">=", now)], order="start", limit=1
            )
            past = Event.search(
                [("partner_ids", "in", partner.ids), ("stop", "<", now)],
                order="start desc",
                limit=1,
            )
            conversation.next_event_id = upcoming
            conversation.last_event_id = past
            state_field = upcoming._fields.get("wa_confirmation_state")
            conversation.next_event_state = (
                dict(state_field._description_selection(self.env)).get(
                    upcoming.wa_confirmation_state
                )
                if upcoming and state_field
                else False
            )
            conversation.open_balance = partner.sudo().credit if partner else 0.0
            flags = []
            if partner.wa_opt_out:
                flags.append(_("asked to stop non-essential messages"))
            if conversation.enquiry:
                flags.append(_("new enquiry"))
            if conversation.wa_message_ids.filtered("ambiguous_partner")[:1]:
                flags.append(_("number shared by several contacts"))
            if conversation.wa_message_ids.filtered("flagged")[:1]:
                flags.append(_("a reply was flagged for a dentist"))
            conversation.flags = ", ".join(flags) or False

    # ------------------------------------------------------------------ clock
    def _wa_intervals(self, start):
        return self.company_id._wa_opening_intervals(start)

    def _wa_next_opening_at(self, moment):
        """``moment`` when the practice is open then, else the next opening (aware), or
        None without opening hours."""
        intervals = self._wa_intervals(moment)
        return office_hours.next_opening(aware(moment), intervals) if intervals else None

    def _wa_setting_minutes(self, key, default):
        value = self.env["ir.config_parameter"].sudo().get_param(f"dental_whatsapp.{key}")
        try:
            return max(int(value), 0) if value not in (None, "", False) else default
        except (TypeError, ValueError):
            return default

    # ------------------------------------------------------------------ rights
    def _check_desk_rights(self):
        if not self.env.su and not self.env.user.has_group(GROUP_RECEPTION):
            raise AccessError(_("Only the practice's staff can work on WhatsApp conversations."))

    # ------------------------------------------------------------------ finding
    @api.model
    def _wa_find(self, account, partner):
        """The conversation of ``partner`` on ``account``, or an empty recordset."""
        if not account or not partner:
            return self.sudo().browse()
        return self.sudo().search(
            [("account_id", "=", account.id), ("partner_id", "=", partner.id)], limit=1
        )

    @api.model
    def _wa_for(self, account, partner, number=None, user_id=None):
        """The conversation of ``partner`` on ``account`` (created when missing, with
        the messages exchanged before it existed)."""
        Conversation = self.sudo()
        conversation = self._wa_find(account, partner)
        if not conversation:
            conversation = Conversation.with_context(mail_create_nosubscribe=True).create(
                {
                    "account_id": account.id,
                    "partner_id": partner.id,
                    "number": number or partner.whatsapp_number,
                    "wa_user_id": user_id or partner.wa_user_id,
                    "enquiry": partner.wa_new_enquiry,
                }
            )
            self.env["dental.whatsapp.message"].sudo().search(
                [
                    ("account_id", "=", account.id),
                    ("partner_id", "=", partner.id),
                    ("conversation_id", "=", False),
                ]
            ).write({"conversation_id": conversation.id})
        else:
            vals = {}
            if number and conversation.number != number:
                vals["number"] = number
            if user_id and conversation.wa_user_id != user_id:
                vals["wa_user_id"] = user_id
            if vals:
                conversation.write(vals)
        return conversation

    # ------------------------------------------------------------------ inbound
    def _wa_on_patient_message(self, message, handled=False, acknowledge=True):
        """A patient's ``message`` arrived: the desk's state, clock, acknowledgement and
        notifications. ``handled``: a feature already answered it (a reminder answer);
        ``acknowledge``: False for an edit (the patient had their acknowledgement)."""
        self.ensure_one()
        conversation = self.sudo()
        now = fields.Datetime.now()
        read = conversation._wa_triage(message)
        if conversation.blocked:
            # Blocked by a manager: kept and flagged as evidence, nobody is asked to answer
            # and nothing is sent back.
            message.sudo().write(
                {"flagged": True, "flag_reason": _("Written by a blocked patient")}
            )
            conversation.write(
                {
                    "last_inbound_date": message.received_date or now,
                    "last_inbound_preview": (message.body or "")[:120],
                }
            )
            conversation._wa_notify_desk()
            return
        # A photo captioned "grazie" still needs a person to look at it.
        bare = not message.media_meta and desk.is_bare_acknowledgement(message.body)
        intervals = conversation._wa_intervals(now)  # once: acknowledgement, call-back
        vals = {
            "last_inbound_date": message.received_date or now,
            "last_inbound_preview": (message.body or "")[:120],
            "unread_count": conversation.unread_count + 1,
        }
        if handled:
            pass  # a reminder answer the module handled: nobody has to answer it
        elif bare and conversation.state in ("waiting", "done"):
            vals["state"] = "done"  # "Ok, grazie" after an answer: nothing is pending
        else:
            vals["state"] = "new"
            if not conversation.waiting_since:
                # The answer time counts opening hours only (Odoo's own planning on the
                # practice's schedule, holidays included): the clock stops while closed.
                target = conversation._wa_setting_minutes("answer_target", DEFAULT_ANSWER_TARGET)
                calendar = conversation.company_id.resource_calendar_id
                due = (
                    calendar.plan_hours(target / 60, now, compute_leaves=True)
                    if calendar
                    else now + timedelta(minutes=target)
                )
                vals.update(waiting_since=now, answer_due=due or False)
        conversation.write(vals)
        if conversation.state == "new" and acknowledge:
            conversation._wa_plan_acknowledgement(
                message, handled, intervals, urgent=bool(read and read.urgent)
            )
            if (
                conversation.enquiry
                and not conversation.callback_at
                and not conversation._wa_callback_todo()
            ):
                # One call-back per enquiry: a second message does not add another.
                conversation._wa_plan_callback(now, intervals)
            if conversation.enquiry and not (
                read and (read.urgent or read.label in ("hostile", "flirt"))
            ):
                # After the acknowledgement: the first-visit times to choose from (not
                # to an emergency, an angry message or an advance: a person answers).
                self.env["dental.whatsapp.slot.offer"]._wa_offer_first_visit(conversation, message)
        conversation._wa_schedule_desk_cron()
        conversation._wa_notify_desk()

    def _wa_staff(self):
        """The practice's desk staff: active internal users of the dental groups who work
        for this conversation's practice. Nobody else is told anything of a patient."""
        self.ensure_one()
        return (
            self.env.ref(GROUP_RECEPTION)
            .sudo()
            .users.filtered(lambda u: u.active and not u.share and self.company_id in u.company_ids)
        )

    def _wa_notify_targets(self):
        """Who is told of a new patient message: the assignee, else the reception."""
        self.ensure_one()
        staff = self._wa_staff()
        return self.user_id if self.user_id in staff else staff

    @api.constrains("user_id", "company_id")
    def _check_user_id(self):
        for conversation in self:
            if conversation.user_id and conversation.user_id not in conversation._wa_staff():
                raise ValidationError(
                    _(
                        "%s cannot be assigned this conversation: only the practice's staff "
                        "(Dental WhatsApp groups) may read a patient's messages.",
                        conversation.user_id.name,
                    )
                )

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        # Patient data never leaves Odoo by e-mail: staff are told in their inbox, the
        # patient (and any outside follower) is not notified of the practice's log.
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        staff = set(self._wa_staff().ids) if len(self) == 1 else set()
        return [
            dict(recipient, notif="inbox")
            for recipient in recipients
            if recipient.get("uid") in staff
        ]

    def _message_get_default_recipients(self):
        # A conversation never e-mails the patient (a mass-mail composer on it included).
        return {
            conversation.id: {"partner_ids": [], "email_to": False, "email_cc": False}
            for conversation in self
        }

    def _wa_notify_desk(self):
        """Tell the desk's open screens that this conversation changed (Odoo's bus)."""
        users = (
            self.env.ref(GROUP_RECEPTION)
            .sudo()
            .users.filtered(lambda u: u.active and not u.share and u.company_ids & self.company_id)
        )
        payload = [{"id": c.id, "state": c.state} for c in self]
        for partner in users.partner_id:
            partner._bus_send("dental_whatsapp/conversation", payload)

    # ------------------------------------------------------------------ acknowledgement
    def _wa_plan_acknowledgement(self, message, handled, intervals, urgent=False):
        """``urgent``: the patient describes an emergency; while closed they get the
        reviewed emergency instructions instead of the "closed" acknowledgement."""
        self.ensure_one()
        now = fields.Datetime.now()
        kind = desk.acknowledgement(
            now=aware(now),
            intervals=intervals,
            last_ack=aware(self.last_ack_date) if self.last_ack_date else None,
            text=message.body if message.body and not message.media_meta else "…",
            handled=handled,
        )
        if kind == desk.CLOSED and urgent:
            sent = self._wa_send_acknowledgement(EMERGENCY_TEMPLATE, quiet=True)
            if not sent:
                self._wa_send_acknowledgement(ACK_CLOSED_TEMPLATE)
        elif kind == desk.CLOSED:
            self._wa_send_acknowledgement(ACK_CLOSED_TEMPLATE)
        elif kind == desk.BUSY and not self.ack_due:
            delay = self._wa_setting_minutes("ack_delay", DEFAULT_ACK_DELAY)
            self.ack_due = now + timedelta(minutes=delay)

    def _wa_send_acknowledgement(self, name, quiet=False):
        """Queue the reviewed acknowledgement template in the patient's language; it
        leaves at once, even while the practice is closed. ``quiet``: without the
        template, return nothing instead of noting it (the caller has another)."""
        self.ensure_one()
        Template = self.env["dental.whatsapp.template"].sudo()
        template = Template._find_for(self.account_id, name, self.partner_id)
        if not template and quiet:
            return self.env["dental.whatsapp.message"]
        self.sudo().ack_due = False
        if not template:
            self.sudo().message_post(
                body=_(
                    "No automatic acknowledgement was sent: the template %s is not approved "
                    "by a dentist and by Meta.",
                    name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return self.env["dental.whatsapp.message"]
        self.sudo().last_ack_date = fields.Datetime.now()
        return (
            self.env["dental.whatsapp.message"]
            .sudo()
            ._wa_enqueue(
                self.partner_id,
                category="care",
                record=self,
                template=template,
                account=self.account_id,
                raise_on_refusal=False,
                service_reply=True,
                immediate=True,
            )
        )

    # ------------------------------------------------------------------ first visits
    def _wa_plan_callback(self, now, intervals):
        self.ensure_one()
        opening = office_hours.next_opening(aware(now), intervals) if intervals else aware(now)
        self.sudo().callback_at = naive_utc(opening) if opening else now

    def _wa_reception_user(self):
        self.ensure_one()
        users = self._wa_notify_targets()
        non_managers = users.filtered(lambda u: not u.has_group(GROUP_MANAGER))
        return (non_managers or users).sorted("id")[:1]

    def _wa_create_callback_activity(self):
        for conversation in self.sudo():
            user = conversation._wa_reception_user()
            first = conversation.wa_message_ids.filtered(lambda m: m.direction == "in").sorted(
                "id"
            )[:1]
            booked = conversation.first_visit_event_id
            summary, note = (
                (_("Confirm the first visit"), conversation._wa_first_visit_note(booked))
                if booked.wa_booking_to_confirm
                else (
                    _("Call back: first visit request"),
                    escape(first.body or conversation.last_inbound_preview or ""),
                )
            )
            conversation.activity_schedule(
                "dental_whatsapp.mail_activity_type_callback",
                date_deadline=conversation.company_id._wa_today(),
                summary=summary,
                note=note,
                user_id=user.id or self.env.user.id,
            )
            conversation.callback_at = False

    def _wa_callback_todo(self):
        """The enquiry's open call-back to-do, if reception has it."""
        self.ensure_one()
        kind = self.env.ref("dental_whatsapp.mail_activity_type_callback")
        return self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def _wa_first_visit_note(self, event):
        self.ensure_one()
        when = event._wa_format_datetime(event.start, self.env.lang or "en_US")
        return escape(
            _(
                "%(patient)s chose a first visit on WhatsApp: %(when)s with %(dentist)s. "
                "Confirm it on the appointment (the patient is then told), or cancel it "
                "and call them.",
                patient=self.partner_id.name,
                when=when,
                dentist=event.wa_dentist_id.name or "",
            )
        )

    def _wa_first_visit_booked(self, event, words):
        """The new patient booked ``event``: the call-back to-do (at the next opening,
        or the one reception already has) becomes "confirm the first visit"."""
        self.ensure_one()
        conversation = self.sudo()
        conversation.first_visit_event_id = event
        todo = conversation._wa_callback_todo()
        if todo:
            todo.write(
                {
                    "summary": _("Confirm the first visit"),
                    "note": conversation._wa_first_visit_note(event),
                }
            )
        elif not conversation.callback_at:
            intervals = conversation._wa_intervals(fields.Datetime.now())
            conversation._wa_plan_callback(fields.Datetime.now(), intervals)
            conversation._wa_schedule_desk_cron()

    def _wa_first_visit_confirmed(self, words):
        """Reception confirmed the first visit: its to-do is done."""
        self.ensure_one()
        conversation = self.sudo()
        todo = conversation._wa_callback_todo()
        todo.action_feedback(feedback=words)
        conversation.callback_at = False

    # ------------------------------------------------------------------ the desk's cron
    def _wa_schedule_desk_cron(self):
        cron = self.env.ref("dental_whatsapp.ir_cron_desk", raise_if_not_found=False)
        if not cron:
            return
        now = fields.Datetime.now()
        for conversation in self:
            for moment in (
                conversation.ack_due,
                conversation.answer_due,
                conversation.callback_at,
            ):
                if moment:
                    cron.sudo()._trigger(at=moment if moment > now else None)

    @api.model
    def _cron_desk(self):
        """Late answers, acknowledgements after the delay, first-visit call-backs."""
        now = fields.Datetime.now()
        Conversation = self.sudo()
        waiting = [("state", "in", ("new", "opened"))]

        def in_practice_lang(conversation):
            return conversation.with_context(lang=conversation.account_id._wa_practice_lang())

        for conversation in Conversation.search(
            [*waiting, ("is_late", "=", False), ("answer_due", "<=", now)]
        ):
            in_practice_lang(conversation)._wa_mark_late()
        for conversation in Conversation.search([*waiting, ("ack_due", "<=", now)]):
            in_practice_lang(conversation)._wa_send_acknowledgement(ACK_BUSY_TEMPLATE)
        for conversation in Conversation.search([("callback_at", "<=", now)]):
            in_practice_lang(conversation)._wa_create_callback_activity()

    def _wa_mark_late(self):
        for conversation in self.sudo():
            conversation.is_late = True
            managers = conversation._wa_staff().filtered(lambda u: u.has_group(GROUP_MANAGER))
            manager = (
                conversation.company_id.wa_escalation_user_id
                or managers.filtered(lambda u: not u._is_superuser()).sorted("id")[:1]
            )
            conversation.activity_schedule(
                "dental_whatsapp.mail_activity_type_late",
                date_deadline=conversation.company_id._wa_today(),
                summary=_("WhatsApp not answered in time"),
                note=_(
                    "%(patient)s wrote at %(when)s and has had no answer yet.",
                    patient=conversation.partner_id.display_name,
                    when=conversation._wa_format_datetime(
                        conversation.waiting_since, self.env.user.lang or "en_US"
                    ),
                ),
                user_id=(manager or managers[:1]).id or self.env.user.id,
            )
        self._wa_notify_desk()

    # ------------------------------------------------------------------ conduct safeguards
    def _wa_triage(self, message):
        """Read what the patient wrote (tools/triage.py, on this server) and act on it:
        a clinical question goes to the dentist, an emergency alerts the dentists at once,
        advances put the conversation on evidence hold and tell the dentist, anger marks
        it heated. The conversation shows the most serious reading since the practice
        last answered. Returns the :class:`~..tools.triage.Triage`, or None."""
        self.ensure_one()
        conversation = self.sudo()
        text = (message.body or "").strip()
        if not text:
            return None
        # All languages: the number's country does not say which one the patient types.
        read = triage.classify(text)
        fresh = conversation.state in ("waiting", "done") or not conversation.triage_label
        vals = {"triage_date": fields.Datetime.now()}
        current = False if fresh else conversation.triage_label
        if TRIAGE_SEVERITY[read.label] >= TRIAGE_SEVERITY.get(current, -1):
            vals.update(triage_label=read.label, triage_cues=", ".join(read.cues)[:250] or False)
        if read.urgent or fresh:
            vals["triage_urgent"] = read.urgent
        if read.label == "hostile":
            vals["heated"] = True
        elif fresh:
            vals["heated"] = False  # answered since, and calm now
        conversation.write(vals)
        if read.label == "clinical":
            conversation._wa_route_to_dentist(message, read)
        elif read.label == "flirt":
            conversation._wa_on_advances(message, read)
        return read

    def _wa_dentists(self):
        """The practice's dentists who work on WhatsApp (Dentist group), managers last."""
        self.ensure_one()
        dentists = self._wa_staff().filtered(lambda u: u.has_group(GROUP_DENTIST))
        return dentists.sorted(lambda u: (u.has_group(GROUP_MANAGER), u.id))

    def _wa_dentist(self):
        """Who answers this patient's clinical questions: the dentist of their next (else
        last) appointment, else the dentist on duty, else the practice's first dentist."""
        self.ensure_one()
        dentists = self._wa_dentists()
        Event = self.env["calendar.event"].sudo()
        now = fields.Datetime.now()
        for when, order in (((">=", now), "start"), (("<", now), "start desc")):
            event = Event.search(
                [
                    ("partner_ids", "in", self.partner_id.ids),
                    ("wa_dentist_id", "in", dentists.ids),
                    ("start", *when),
                ],
                order=order,
                limit=1,
            )
            if event:
                return event.wa_dentist_id
        duty = self.company_id.wa_duty_dentist_id
        return duty if duty in dentists else dentists[:1]

    def _wa_route_to_dentist(self, message, read):
        """A clinical question: a to-do for the patient's dentist with the patient's
        words (one open to-do per conversation, new words added to it); an emergency
        makes it urgent and alerts the practice's dentists at once."""
        self.ensure_one()
        clinical = self.env.ref("dental_whatsapp.mail_activity_type_clinical")
        urgent = self.env.ref("dental_whatsapp.mail_activity_type_urgent")
        summary = (
            _("Urgent: a patient describes a dental emergency on WhatsApp")
            if read.urgent
            else _("Clinical question on WhatsApp: the dentist answers")
        )
        note = Markup("<p>%s</p><p><i>%s</i></p>") % (
            message.body or "",
            _("Read as clinical because of: %s", ", ".join(read.cues)),
        )
        todo = self.activity_ids.filtered(lambda a: a.activity_type_id in clinical | urgent)[:1]
        dentist = self._wa_dentist()
        if todo:
            vals = {"note": (todo.note or Markup()) + note}
            if read.urgent and todo.activity_type_id != urgent:
                vals.update(
                    activity_type_id=urgent.id,
                    summary=summary,
                    date_deadline=self.company_id._wa_today(),
                )
            todo.write(vals)
        else:
            self.activity_schedule(
                activity_type_id=(urgent if read.urgent else clinical).id,
                date_deadline=self.company_id._wa_today(),
                summary=summary,
                note=note,
                user_id=dentist.id or self.env.user.id,
            )
        if read.urgent:
            self._wa_alert(
                self._wa_dentists(),
                _("Dental emergency on WhatsApp"),
                _(
                    "%(patient)s: %(words)s",
                    patient=self.partner_id.display_name,
                    words=(message.body or "")[:200],
                ),
            )

    def _wa_on_advances(self, message, read):
        """Personal advances: the conversation is kept as evidence (hold) and the
        patient's dentist (or the dentist on duty) is told at once and gets a to-do."""
        self.ensure_one()
        self._wa_put_on_hold(
            _("Personal advances from the patient (%s).", ", ".join(read.cues)), by_module=True
        )
        dentist = self._wa_dentist()
        conduct = self.env.ref("dental_whatsapp.mail_activity_type_conduct")
        if not self.activity_ids.filtered(lambda a: a.activity_type_id == conduct):
            self.activity_schedule(
                activity_type_id=conduct.id,
                date_deadline=self.company_id._wa_today(),
                summary=_("Personal advances on WhatsApp: look at the conversation"),
                note=Markup("<p>%s</p>") % (message.body or ""),
                user_id=dentist.id or self.env.user.id,
            )
        self._wa_alert(
            dentist or self._wa_dentists(),
            _("Personal advances on WhatsApp"),
            _(
                "%s wrote something personal to the practice: the conversation is kept "
                "as evidence.",
                self.partner_id.display_name,
            ),
        )

    def _wa_alert(self, users, title, text):
        """A sticky notification on the open screens of ``users`` (Odoo's bus)."""
        for user in users:
            user._bus_send(
                "simple_notification",
                {"type": "danger", "title": title, "message": text, "sticky": True},
            )

    def _wa_put_on_hold(self, reason, by_module=False):
        """Keep everything in the conversation as evidence: nothing can be changed or
        deleted, by anyone, until a manager lifts the hold with a reason."""
        for conversation in self.sudo().filtered(lambda c: not c.evidence_hold):
            conversation.write(
                {
                    "evidence_hold": True,
                    "evidence_hold_date": fields.Datetime.now(),
                    "evidence_hold_reason": reason[:250],
                }
            )
            conversation._wa_note(
                _(
                    "Evidence hold: %s Nothing in this conversation can be changed or "
                    "deleted until a manager lifts the hold.",
                    reason,
                ),
                author=self.env.ref("base.partner_root") if by_module else None,
            )
            _logger.info(
                "WhatsApp conversation %s put on evidence hold: %s", conversation.id, reason
            )

    def action_put_on_hold(self):
        """A dentist or a manager keeps the conversation as evidence by hand."""
        if not self.env.su and not self.env.user.has_group(GROUP_DENTIST):
            raise AccessError(_("Only a dentist or a manager can put a conversation on hold."))
        self.check_access("write")
        self._wa_put_on_hold(_("Put on hold by %s.", self.env.user.name))
        return True

    def action_block_number(self):
        """A manager blocks the patient: at WhatsApp through Meta's block-users API
        when Meta accepts it (only within 24 hours of the patient's last message), and
        always in Odoo, where nothing is sent to them any more and what they still write
        is stored and flagged."""
        self._check_manager()
        for conversation in self.sudo().filtered(lambda c: not c.blocked):
            outcome = conversation._wa_meta_block(block=True)
            # Nobody has to answer a blocked patient: the answer clock stops.
            conversation.write(
                dict(
                    CLOCK_STOPPED,
                    state="done",
                    blocked=True,
                    blocked_date=fields.Datetime.now(),
                    blocked_by_id=self.env.uid,
                )
            )
            conversation._wa_note(
                _(
                    "%(who)s blocked the patient. %(outcome)s",
                    who=self.env.user.name,
                    outcome=outcome,
                )
            )
        self._wa_notify_desk()
        return True

    def action_unblock_number(self):
        self._check_manager()
        for conversation in self.sudo().filtered("blocked"):
            outcome = conversation._wa_meta_block(block=False)
            conversation.write({"blocked": False, "blocked_date": False, "blocked_by_id": False})
            conversation._wa_note(
                _(
                    "%(who)s unblocked the patient. %(outcome)s",
                    who=self.env.user.name,
                    outcome=outcome,
                )
            )
        self._wa_notify_desk()
        return True

    def _wa_note(self, body, author=None):
        """An internal note in the conversation, by ``author`` (default: the user)."""
        self.ensure_one()
        self.sudo().with_context(wa_internal_post=True).message_post(
            body=body,
            subtype_xmlid="mail.mt_note",
            author_id=(author or self.env.user.partner_id).id,
        )

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only a WhatsApp manager can block or unblock a patient."))
        self.check_access("write")

    def _wa_meta_block(self, block):
        """Block (or unblock) the patient at WhatsApp too; the outcome in words."""
        self.ensure_one()
        user = (self.number or "").lstrip("+") or self.wa_user_id
        if self.account_id._wa_neutralized():
            return _("This database is a copy: WhatsApp itself was not asked.")
        try:
            client = self.account_id._get_client()
            result = client.block_users([user]) if block else client.unblock_users([user])
        except (WhatsAppApiError, UserError) as error:
            _logger.info("Block request for conversation %s failed: %s", self.id, error)
            return _("WhatsApp could not be asked (%s): the block is in Odoo only.", error)
        if result.ok:
            return (
                _("WhatsApp blocked the number too: the patient cannot write to the practice.")
                if block
                else _("WhatsApp unblocked the number too.")
            )
        failure = result.failed[0]
        if block and failure.code == META_NOT_RECENT:
            return _(
                "WhatsApp blocks only patients who wrote in the last 24 hours: the block "
                "is in Odoo only (nothing is sent; what the patient writes is kept and "
                "flagged)."
            )
        return _(
            "WhatsApp refused (%s): the change is in Odoo only.",
            failure.details or failure.message,
        )

    # ------------------------------------------------------------------ opening
    def action_mark_opened(self):
        """A person opened the conversation: the patient gets the blue ticks now (never on
        arrival), and the desk sees that someone is on it."""
        self._check_desk_rights()
        for conversation in self:
            conversation.check_access("read")
            vals = {"unread_count": 0}
            if conversation.state == "new":
                vals.update(
                    state="opened",
                    opened_by_id=self.env.uid,
                    opened_date=fields.Datetime.now(),
                )
            conversation.sudo().write(vals)
            conversation._wa_send_read_receipt()
        # Seen here: the inbox notifications of these conversations are read too (the
        # messaging menu's counter drops).
        self.env["mail.message"].mark_all_as_read(
            domain=[("model", "=", self._name), ("res_id", "in", self.ids)]
        )
        self._wa_notify_desk()
        return True

    def _wa_last_inbound(self, unread=False):
        """The patient's last message Meta knows (``unread``: not read by us yet)."""
        self.ensure_one()
        domain = [
            ("conversation_id", "=", self.id),
            ("direction", "=", "in"),
            ("meta_message_id", "!=", False),
        ]
        if unread:
            domain.append(("read_date", "=", False))
        return self.env["dental.whatsapp.message"].sudo().search(domain, order="id desc", limit=1)

    def _wa_send_read_receipt(self, typing=False):
        """Mark the patient's messages read at WhatsApp (the last one marks those before
        it); ``typing``: and show "typing…" to the patient. Best effort: a failure is
        logged, the desk goes on."""
        self.ensure_one()
        # Typing shows under the last message, read or not; a receipt only for unread ones.
        message = self._wa_last_inbound(unread=not typing)
        if not message or self.account_id._wa_neutralized():
            return False
        try:
            client = self.account_id._get_client()
            if typing:
                client.send_typing_indicator(message.meta_message_id)
            else:
                client.mark_as_read(message.meta_message_id)
        except (WhatsAppApiError, UserError) as error:
            _logger.info("Read receipt for WhatsApp message %s not sent: %s", message.id, error)
            return False
        if not message.read_date:
            self.env["dental.whatsapp.message"].sudo().search(
                [
                    ("conversation_id", "=", self.id),
                    ("direction", "=", "in"),
                    ("read_date", "=", False),
                    ("id", "<=", message.id),
                ]
            ).write({"read_date": fields.Datetime.now()})
        return True

    def write(self, vals):
        # Staff write the reply box and the assignee; the state, the clock and the
        # acknowledgements move only through the desk's own methods (a late conversation
        # cannot be made to look answered over RPC).
        if HELD_FIELDS & set(vals):
            Hold = self.env["dental.whatsapp.evidence.hold"]
            if not Hold._wa_lifting():
                Hold._wa_check(self)
        if not self.env.su and set(vals) - STAFF_WRITABLE:
            raise AccessError(
                _(
                    "A conversation's state and timing change only by opening, answering "
                    "or closing it."
                )
            )
        result = super().write(vals)
        if vals.get("reply_body") and not self.env.su:
            # Someone is writing a reply: WhatsApp shows the patient "typing…".
            for conversation in self:
                conversation._wa_send_read_receipt(typing=True)
        return result

    def unlink(self):
        self.env["dental.whatsapp.evidence.hold"]._wa_check(self)
        return super().unlink()

    @api.onchange("quick_reply_id")
    def _onchange_quick_reply_id(self):
        if self.quick_reply_id:
            self.reply_body = self._wa_quick_reply_text(self.quick_reply_id)

    def _wa_quick_reply_text(self, reply):
        # In the patient's language, not the receptionist's.
        lang = self.partner_id._wa_lang() if self.partner_id else None
        body = reply.with_context(lang=lang).body or ""
        if OPENING_HOURS_MARK in body:
            body = body.replace(OPENING_HOURS_MARK, self.company_id._wa_opening_hours_text(lang))
        return body

    def action_use_suggested_reply(self):
        """Fill the reply box with the reviewed reply that fits (not sent yet)."""
        self.ensure_one()
        self._check_desk_rights()
        self.check_access("write")
        reply = self.suggested_reply_id
        if not reply:
            raise UserError(_("There is no suggested reply for this conversation."))
        self.write({"reply_body": self._wa_quick_reply_text(reply), "quick_reply_id": reply.id})
        return True

    # ------------------------------------------------------------------ replying
    def action_send_reply(self):
        """Send the reply box: free text (inside the 24 h window, through the same
        policy checks as every message) and its attachments as WhatsApp media."""
        self.ensure_one()
        self._check_desk_rights()
        self.check_access("write")
        text = (self.reply_body or "").strip()
        attachments = self.reply_attachment_ids
        if not text and not attachments:
            raise UserError(_("Write the reply (or attach a photo or a PDF) first."))
        sent = self._wa_reply(text, attachments)
        self.write({"reply_body": False, "quick_reply_id": False, "reply_attachment_ids": False})
        return self._wa_held_notification(sent)

    def _wa_reply(self, text, attachments=None):
        """Queue a staff reply (``text`` and/or ``attachments``); refusals raise in words,
        with the fitting reviewed template named when the window is closed."""
        self.ensure_one()
        Message = self.env["dental.whatsapp.message"]
        attachments = attachments or self.env["ir.attachment"]
        self._wa_check_reply_allowed(text)
        messages = Message
        for index, attachment in enumerate(attachments):
            kind = MEDIA_KIND.get((attachment.mimetype or "").split("/")[0], "document")
            messages |= Message._wa_enqueue(
                self.partner_id,
                category="care",
                record=self,
                body=text if index == 0 and kind in ("image", "video", "document") else "",
                account=self.account_id,
                header_attachment=attachment,
                media_kind=kind,
                service_reply=True,
            )
        if text and not (messages and messages[0].body):
            messages |= Message._wa_enqueue(
                self.partner_id,
                category="care",
                record=self,
                body=text,
                account=self.account_id,
                service_reply=True,
            )
        if messages:
            self._wa_after_human_reply()
        return messages

    def _wa_reply_decision(self, text, with_warnings=True):
        """(decision, blocking findings, warnings) for a free-text reply now: the send
        policy on the patient, with the text checks staff free text always passes.
        ``with_warnings``: also the warnings only the reply box shows (arguing,
        spelling); sending does not need them."""
        self.ensure_one()
        Policy = self.env["dental.whatsapp.policy"]
        blocks, warnings = Policy._wa_check_text(text) if text.strip() else ([], [])
        if text.strip() and with_warnings:
            if self.heated:
                warnings = warnings + text_checks.find_argument(text)
            warnings = warnings + self._wa_spelling(text)
        decision, _recipient = Policy._wa_decide(
            self.partner_id,
            category="care",
            template=None,
            text=text,
            company=self.company_id,
            service_reply=True,
            content_blocks=blocks,
        )
        return decision, blocks, warnings

    def _wa_reply_refusal_words(self, decision, blocks):
        """Why the reply cannot go, in words, with the reviewed templates that fit when
        only a template may be sent."""
        reason = self.env["dental.whatsapp.policy"]._wa_refusal_words(
            decision.refusals, self.partner_id, blocks
        )
        if any(f.kind == "clinical" for f in blocks):
            reply = self.env["dental.whatsapp.quick.reply"].search(
                [("suggested_for", "=", "clinical")], limit=1
            )
            if reply:
                reason += " " + _("The reviewed reply «%s» fits.", reply.name)
        if send_policy.WINDOW_CLOSED in decision.refusals:
            templates = self.env["dental.whatsapp.template"].search([("is_usable", "=", True)])
            lang = self.partner_id._wa_lang()
            fitting = templates.filtered(lambda t: t.language in (lang, lang.split("_")[0]))
            if fitting:
                reason += " " + _(
                    "Reviewed templates you can send instead: %s.",
                    ", ".join(fitting.mapped(lambda t: t.label or t.name)),
                )
        return reason

    def _wa_check_reply_allowed(self, text):
        """Refuse a free-text reply before anything is queued, in words."""
        decision, blocks, _warnings = self._wa_reply_decision(text, with_warnings=False)
        if decision.refusals:
            raise UserError(
                _("The reply was not sent: %s", self._wa_reply_refusal_words(decision, blocks))
            )

    def _wa_after_human_reply(self):
        late_type = self.env.ref("dental_whatsapp.mail_activity_type_late")
        for conversation in self.sudo():
            activities = conversation.activity_ids.filtered(
                lambda a: a.activity_type_id == late_type
            )
            conversation.write(
                dict(
                    CLOCK_STOPPED,
                    state="waiting",
                    last_outbound_date=fields.Datetime.now(),
                )
            )
            if activities:
                activities.action_feedback(feedback=_("Answered."))
        self._wa_notify_desk()

    def _wa_held_notification(self, messages):
        """The pop-up after a send: sent now, or held until the opening (and why)."""
        now = fields.Datetime.now()
        held = messages.filtered(lambda m: m.scheduled_at and m.scheduled_at > now)
        lang = self.env.user.lang or "en_US"
        if held:
            text = _(
                "The practice is closed: the reply waits and leaves at the opening, %s.",
                self._wa_format_datetime(held[0].scheduled_at, lang),
            )
            kind = "warning"
        else:
            text = _("Reply queued: it leaves now.")
            kind = "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": text,
                "type": kind,
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------ the chatter's composer
    def message_post(self, **kwargs):
        """On a conversation, the chatter's *Send message* writes to the patient on
        WhatsApp (never an e-mail); *Log note* stays an internal note."""
        if (
            kwargs.get("wa_message_id")
            or self.env.context.get("wa_internal_post")
            or kwargs.get("message_type", "notification") != "comment"
            or self._wa_is_note(kwargs)
        ):
            return super().message_post(**kwargs)
        self.ensure_one()
        self._check_desk_rights()
        self.check_access("read")
        text = html2plaintext(str(kwargs.get("body") or "")).strip()
        attachments = self.env["ir.attachment"].browse(kwargs.get("attachment_ids") or [])
        if not text and not attachments:
            raise UserError(_("Write the reply (or attach a photo or a PDF) first."))
        messages = self._wa_reply(text, attachments)
        return messages.mail_message_ids.filtered(
            lambda m: m.model == self._name and m.res_id == self.id
        )[:1]

    def _wa_is_note(self, kwargs):
        subtype = kwargs.get("subtype_xmlid") or ""
        if subtype == "mail.mt_note":
            return True
        subtype_id = kwargs.get("subtype_id")
        return bool(subtype_id) and subtype_id == self.env.ref("mail.mt_note").id

    # ------------------------------------------------------------------ other actions
    def action_done(self):
        self._check_desk_rights()
        self.check_access("write")
        for conversation in self.filtered(lambda c: c.state != "done"):
            note = (
                _("Closed without an answer by %s, although it was late.", self.env.user.name)
                if conversation.is_late
                else _("Marked as done by %s: nothing left to answer.", self.env.user.name)
            )
            conversation._wa_note(note)
        self.sudo().write(dict(CLOCK_STOPPED, state="done"))
        self._wa_notify_desk()
        return True

    def action_take(self):
        """Assign the conversation to me."""
        self._check_desk_rights()
        self.check_access("write")
        self.sudo().write({"user_id": self.env.uid})
        return True

    def action_open_patient(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_send_template(self):
        """Outside the 24 h window: a reviewed template, with the usual composer."""
        self.ensure_one()
        self._check_desk_rights()
        return self.env["dental.whatsapp.composer"]._action_open(self.partner_id)

    def action_register_patient(self):
        self.ensure_one()
        self._check_desk_rights()
        return {
            "type": "ir.actions.act_window",
            "name": _("Register the Patient"),
            "res_model": "dental.whatsapp.enquiry",
            "view_mode": "form",
            "target": "new",
            "context": {"default_conversation_id": self.id},
        }

    def action_book_visit(self):
        self.ensure_one()
        self._check_desk_rights()
        return self.env["calendar.event"]._wa_booking_action(
            self.partner_id, _("First visit: %s", self.partner_id.name)
        )
