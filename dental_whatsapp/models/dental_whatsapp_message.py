import logging
from datetime import datetime, timedelta, timezone

import pytz
from markupsafe import Markup, escape
from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError

from ..tools import keywords, send_policy, text_checks
from .res_partner import CATEGORIES, ESSENTIAL_CATEGORIES

_logger = logging.getLogger(__name__)

STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("read", "Read"),
    ("failed", "Failed"),
    ("received", "Received"),
    ("cancelled", "Not Sent"),
]
# Statuses only move forward: a late "delivered" after "read" changes nothing. "failed"
# is final, and cannot follow delivered/read (Meta does not un-deliver a message).
STATE_RANK = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}


class DentalWhatsappMessage(models.Model):
    _name = "dental.whatsapp.message"
    _description = "WhatsApp Message"
    _order = "create_date desc, id desc"
    _rec_name = "display_name"

    account_id = fields.Many2one(
        "dental.whatsapp.account",
        "WhatsApp Account",
        required=True,
        readonly=True,
        ondelete="restrict",
        index=True,
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    direction = fields.Selection(
        [("out", "Sent by the Practice"), ("in", "Received from the Patient")],
        required=True,
        readonly=True,
    )
    partner_id = fields.Many2one("res.partner", "Patient", readonly=True, index=True)
    recipient_partner_id = fields.Many2one(
        "res.partner",
        "Sent To",
        readonly=True,
        help="The contact whose number was used (the patient, or a parent or carer).",
    )
    number = fields.Char("WhatsApp Number", readonly=True, help="The number used, E.164.")
    category = fields.Selection(CATEGORIES, readonly=True, default="care")
    body = fields.Text("Text", readonly=True, help="What the patient reads (templates filled in).")
    template_id = fields.Many2one("dental.whatsapp.template", readonly=True, ondelete="restrict")
    template_values = fields.Json("Template Values", readonly=True)
    language = fields.Char(readonly=True)
    header_attachment_id = fields.Many2one(
        "ir.attachment", "Document Sent", readonly=True, ondelete="restrict"
    )
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments", readonly=True)
    model = fields.Char("Related Document Model", readonly=True, index=True)
    res_id = fields.Many2oneReference("Related Document", model_field="model", readonly=True)
    reply_to_id = fields.Many2one("dental.whatsapp.message", "Answers", readonly=True)
    state = fields.Selection(STATES, required=True, readonly=True, default="queued", index=True)
    meta_message_id = fields.Char("Meta Message ID", readonly=True, copy=False, index=True)
    error_code = fields.Char(readonly=True)
    error_message = fields.Text("Why", readonly=True)
    scheduled_at = fields.Datetime("Send After", readonly=True, index=True)
    sent_date = fields.Datetime("Sent On", readonly=True)
    delivered_date = fields.Datetime("Delivered On", readonly=True)
    read_date = fields.Datetime("Read On", readonly=True)
    failed_date = fields.Datetime("Failed On", readonly=True)
    received_date = fields.Datetime("Received On", readonly=True)
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime("Next Attempt", readonly=True)
    author_id = fields.Many2one("res.users", "Queued By", readonly=True)
    media_state = fields.Selection(
        [
            ("none", "No Media"),
            ("pending", "To Download"),
            ("done", "Downloaded"),
            ("failed", "Download Failed"),
        ],
        default="none",
        readonly=True,
    )
    media_meta = fields.Json(readonly=True)
    ambiguous_partner = fields.Boolean(
        "Several Contacts Share the Number",
        readonly=True,
        help="The message was matched to the contact with the nearest appointment: check it.",
    )
    mail_message_ids = fields.Many2many(
        "mail.message", string="Chatter Entries", readonly=True, copy=False
    )
    flagged = fields.Boolean(
        "Flagged for Review",
        readonly=True,
        help="The text reads as personal (endearments, invitations): a dentist should look.",
    )
    flag_reason = fields.Char("Why Flagged", readonly=True)
    service_reply = fields.Boolean(
        readonly=True,
        help="An answer the patient asked for (e.g. the opt-out confirmation): it needs no "
        "consent, but still leaves only inside the 24-hour window and the opening hours.",
    )

    _sql_constraints = [
        (
            "meta_message_id_uniq",
            "unique(account_id, meta_message_id)",
            "This WhatsApp message is already recorded.",
        ),
    ]

    @api.depends("direction", "partner_id", "create_date")
    def _compute_display_name(self):
        for message in self:
            arrow = "→" if message.direction == "out" else "←"
            message.display_name = (
                f"{arrow} {message.partner_id.display_name or message.number or ''}"
            )

    # ------------------------------------------------------------------ evidence
    def write(self, vals):
        self._check_evidence_change()
        return super().write(vals)

    def unlink(self):
        self._check_evidence_change(deleting=True)
        for message in self:
            _logger.warning(
                "User %s (id %s) deleted WhatsApp message %s (%s, %s)",
                self.env.user.login,
                self.env.uid,
                message.id,
                message.direction,
                message.number,
            )
        return super().unlink()

    def _check_evidence_change(self, deleting=False):
        """Messages are evidence: only the module itself (as superuser) or a system
        administrator may change them; the administrator's changes are logged."""
        if self.env.su or not self:
            return
        if not self.env.user._is_system():
            raise AccessError(
                _("WhatsApp messages are kept as evidence: they cannot be deleted.")
                if deleting
                else _("WhatsApp messages are kept as evidence: they cannot be edited.")
            )
        if not deleting:
            _logger.warning(
                "System administrator %s edited WhatsApp messages %s", self.env.user.login, self.ids
            )

    # ------------------------------------------------------------------ helpers
    def _record(self):
        self.ensure_one()
        if self.model and self.res_id and self.model in self.env:
            return self.env[self.model].browse(self.res_id).exists()
        return self.env["res.partner"]

    @api.model
    def _wa_practice_tz(self, company=None):
        company = company or self.env.company
        name = company.resource_calendar_id.tz or company.partner_id.tz or "UTC"
        return pytz.timezone(name)

    @api.model
    def _wa_opening_intervals(self, start, company=None, days=21):
        """The practice's opening hours from ``start`` for ``days`` days as aware UTC
        ``(start, end)`` pairs, holidays (the calendar's global time off) removed."""
        company = company or self.env.company
        calendar = company.resource_calendar_id
        if not calendar:
            return None
        start = _aware(start)
        intervals = calendar._work_intervals_batch(start, start + timedelta(days=days))[False]
        return [(s.astimezone(timezone.utc), e.astimezone(timezone.utc)) for s, e, _r in intervals]

    @api.model
    def _wa_format_value(self, value, field, record, partner=None):
        """Text for a template parameter, in the practice's time zone and the patient's
        language (``partner``: the patient, when the record's own contact is not)."""
        if not partner:
            partner = record.partner_id if "partner_id" in record._fields else record
        lang = partner._wa_lang() if partner and partner._name == "res.partner" else self.env.lang
        if isinstance(value, models.BaseModel):
            return value.display_name or ""
        if field.type == "datetime" and value:
            tz = self._wa_practice_tz(record.company_id if "company_id" in record._fields else None)
            return tools.format_datetime(
                self.env, value, tz=tz.zone, dt_format="medium", lang_code=lang
            )
        if field.type == "date" and value:
            return tools.format_date(self.env, value, lang_code=lang)
        if field.type == "monetary":
            currency = (
                record[field.get_currency_field(record)]
                if hasattr(field, "get_currency_field")
                else record.currency_id
            )
            return tools.format_amount(self.env, value, currency, lang_code=lang)
        if value is False or value is None:
            return ""
        return str(value)

    # ------------------------------------------------------------------ producers
    @api.model
    def _wa_enqueue(
        self,
        partner,
        *,
        category="care",
        record=None,
        template=None,
        values=None,
        body=None,
        scheduled_at=None,
        account=None,
        header_attachment=None,
        raise_on_refusal=True,
        service_reply=False,
    ):
        """The one entry point for every outgoing message: policy, queue, chatter.

        Returns the message (queued, or "Not Sent" with the reason when the policy refuses
        and ``raise_on_refusal`` is False). Free text (``body`` without ``template``) is
        allowed only inside the patient's 24 h window.
        """
        self._wa_check_sender()
        if not partner:
            raise UserError(_("Choose the patient the message is for."))
        account = account or self._wa_default_account(
            record.company_id if record and "company_id" in record._fields else None
        )
        if not account:
            raise UserError(_("No WhatsApp account is configured: ask a manager to add one."))
        if template and values is None:
            values = template._render_values(record or partner, partner)
        text = template._render_text(values) if template else (body or "")
        blocks, warnings = ([], []) if template or service_reply else self._wa_check_text(text)
        decision, recipient = self._wa_decide(
            partner,
            category=category,
            template=template,
            text=text,
            not_before=scheduled_at,
            company=account.company_id,
            service_reply=service_reply,
            content_blocks=blocks,
        )
        vals = {
            "account_id": account.id,
            "direction": "out",
            "partner_id": partner.id,
            "recipient_partner_id": recipient.id,
            "number": recipient.whatsapp_number,
            "category": category,
            "body": text,
            "template_id": template.id if template else False,
            "template_values": values or [],
            "language": template.language if template else False,
            "header_attachment_id": header_attachment.id if header_attachment else False,
            "model": record._name if record else "res.partner",
            "res_id": record.id if record else partner.id,
            "author_id": self.env.uid,
            "service_reply": service_reply,
            "flagged": bool(warnings),
            "flag_reason": ", ".join(f.match for f in warnings) or False,
        }
        if not decision.allowed:
            reason = self._wa_refusal_words(decision.refusals, partner, blocks)
            if raise_on_refusal:
                raise UserError(_("The message was not sent: %s") % reason)
            vals.update(
                state="cancelled", error_code=",".join(decision.refusals), error_message=reason
            )
        else:
            vals.update(state="queued", scheduled_at=_naive_utc(decision.send_at))
        message = self.sudo().create(vals)
        if header_attachment:
            message._wa_keep_header(header_attachment)
        message._wa_post_chatter()
        if message.state == "queued":
            self.env["dental.whatsapp.outbox"]._wa_trigger(message.scheduled_at)
        return message

    def _wa_obsolete_reason(self):
        """Why this queued message must not go out any more (its document changed since),
        in words, or False. Features extend it."""
        self.ensure_one()
        return False

    @api.model
    def _wa_check_sender(self):
        """Sending is for the dental groups, checked here for every path (buttons,
        RPC, bulk actions); the module's own jobs and listeners run as superuser."""
        if not self.env.su and not self.env.user.has_group("dental_whatsapp.group_reception"):
            raise AccessError(
                _("Only the practice's staff (Dental WhatsApp groups) can send WhatsApp messages.")
            )

    def _wa_keep_header(self, attachment):
        """The document sent becomes the message's own evidence: readable only with the
        message, changed by nobody below administrator."""
        self.ensure_one()
        attachment = attachment.sudo()
        owner = {"res_model": self._name, "res_id": self.id}
        if attachment.res_model and attachment.res_model != self._name:
            # e.g. the invoice's legal PDF: the invoice keeps its own, the message a copy
            # (the file store keeps one file for both).
            attachment = attachment.copy(dict(owner, res_field=False, public=False))
        else:
            attachment.write(owner)
        self.header_attachment_id = attachment

    @api.model
    def _wa_default_account(self, company=None):
        """The WhatsApp account of ``company`` (the current one by default): never
        another practice's number."""
        company = company or self.env.company
        return (
            self.env["dental.whatsapp.account"]
            .sudo()
            .search([("company_id", "=", company.id)], limit=1)
        )

    @api.model
    def _wa_opt_out_words(self):
        """The opt-out keywords the practice configured, else the defaults."""
        config = (
            self.env["ir.config_parameter"].sudo().get_param("dental_whatsapp.opt_out_keywords")
        )
        return keywords.parse_keywords(config) if config else keywords.DEFAULT_OPT_OUT_KEYWORDS

    @api.model
    def _wa_decide(
        self,
        partner,
        *,
        category,
        template,
        text,
        not_before=None,
        company=None,
        now=None,
        service_reply=False,
        content_blocks=(),
    ):
        recipient = partner._wa_recipient()
        now = _aware(now or fields.Datetime.now())
        intervals = self._wa_opening_intervals(
            max(now, _aware(not_before)) if not_before else now, company=company
        )
        decision = send_policy.decide(
            now=now,
            has_number=bool(recipient.whatsapp_number),
            has_consent=service_reply or partner._wa_has_consent(category),
            opted_out=partner.wa_opt_out or recipient.wa_opt_out,
            essential=category in ESSENTIAL_CATEGORIES,
            is_template=bool(template),
            template_usable=bool(template) and template._is_usable(),
            last_inbound=_aware(recipient.wa_last_inbound_date)
            if recipient.wa_last_inbound_date
            else None,
            opening_intervals=intervals,
            not_before=_aware(not_before) if not_before else None,
            content_blocks=content_blocks,
        )
        return decision, recipient

    @api.model
    def _wa_check_text(self, text):
        """Server-side checks on staff free text: (blocking findings, warnings).

        Ambiguous emoji and clinical advice (drugs, dosages, diagnoses) are refused: they
        belong in a template a dentist approved. Personal content is sent but flagged for
        a dentist, because such words can also be names ("Bella")."""
        blocks = [f for f in text_checks.check_emoji(text) if f.reason == text_checks.AMBIGUOUS]
        blocks += text_checks.find_clinical_advice(text)
        return blocks, text_checks.find_personal_content(text)

    @api.model
    def _wa_refusal_words(self, refusals, partner, findings=()):
        words = {
            send_policy.NO_NUMBER: _("%s has no WhatsApp number.")
            % partner._wa_recipient().display_name,
            send_policy.NO_CONSENT: _("%s has not consented to this kind of message.")
            % partner.display_name,
            send_policy.OPTED_OUT: _("%s asked to stop non-essential WhatsApp messages.")
            % partner.display_name,
            send_policy.WINDOW_CLOSED: _(
                "the patient has not written in the last 24 hours: free text is not allowed, "
                "use an approved template."
            ),
            send_policy.TEMPLATE_NOT_USABLE: _(
                "the template is not approved both by the practice and by Meta."
            ),
            send_policy.NO_OPENING: _("the practice has no opening hours in the next three weeks."),
            send_policy.CONTENT_BLOCKED: _(
                "the text contains %s: ambiguous emoji and clinical advice (medicines, doses, "
                "diagnoses) must not be sent as free text; use a template a dentist approved."
            )
            % ", ".join(f"«{f.match}»" for f in findings),
        }
        return " ".join(words.get(code, code) for code in refusals)

    # ------------------------------------------------------------------ chatter
    def _wa_chatter_body(self):
        self.ensure_one()
        if self.direction == "out":
            title = _("WhatsApp to %s") % (self.recipient_partner_id.display_name or self.number)
        else:
            title = _("WhatsApp from %s") % (self.partner_id.display_name or self.number)
        parts = [Markup("<b>%s</b>") % title]
        if self.template_id:
            parts.append(Markup("<small>%s</small>") % (_("Template %s") % self.template_id.name))
        parts.append(
            Markup("<br/>")
            + Markup("<br/>").join(escape(line) for line in (self.body or "").splitlines())
        )
        if self.state == "cancelled":
            parts.append(Markup("<br/><i>%s</i>") % (_("Not sent: %s") % self.error_message))
        return Markup(" ").join(parts)

    def _wa_post_chatter(self):
        """Post the message on its document and on the patient: the evidence trail."""
        subtype = self.env.ref("dental_whatsapp.mt_whatsapp")
        for message in self.sudo():
            targets = [message._record()]
            if message.partner_id and message.partner_id not in targets:
                targets.append(message.partner_id)
            author = (
                message.partner_id
                if message.direction == "in"
                else (message.author_id.partner_id or self.env.user.partner_id)
            )
            posted = self.env["mail.message"]
            for target in targets:
                if not target or not hasattr(target, "message_post"):
                    continue
                posted |= target.with_context(mail_create_nosubscribe=True).message_post(
                    wa_message_id=message.id,
                    body=message._wa_chatter_body(),
                    message_type="notification",
                    subtype_id=subtype.id,
                    author_id=author.id,
                    attachment_ids=message.attachment_ids.ids,
                )
            # The first state line appears with the first change ("Queued → Sent").
            message.mail_message_ids = [fields.Command.link(m.id) for m in posted]

    def _wa_track_state(self, old_state, new_state):
        """Append the state change under each chatter entry (never rewrite the entry)."""
        field = self.env["ir.model.fields"]._get(self._name, "state")
        labels = dict(self._fields["state"]._description_selection(self.env))
        vals = []
        for message in self.sudo():
            for mail_message in message.mail_message_ids:
                vals.append(
                    {
                        "field_id": field.id,
                        "old_value_char": labels.get(old_state, "") if old_state else "",
                        "new_value_char": labels.get(new_state, new_state),
                        "mail_message_id": mail_message.id,
                    }
                )
        if vals:
            self.env["mail.tracking.value"].sudo().create(vals)

    # ------------------------------------------------------------------ state machine
    def _wa_set_state(self, new_state, when=None, error_code=None, error_message=None):
        """Move forward only; return True when the state changed."""
        self.ensure_one()
        old = self.state
        if old == new_state or old in ("failed", "cancelled", "received"):
            return False
        if new_state == "failed":
            if old in ("delivered", "read"):
                return False
        elif STATE_RANK.get(new_state, -1) <= STATE_RANK.get(old, -1):
            return False
        when = _naive_utc(when) if when else fields.Datetime.now()
        vals = {"state": new_state}
        date_field = {
            "sent": "sent_date",
            "delivered": "delivered_date",
            "read": "read_date",
            "failed": "failed_date",
        }.get(new_state)
        if date_field:
            vals[date_field] = when
        if new_state in ("delivered", "read") and not self.sent_date:
            vals["sent_date"] = when
        if error_code is not None:
            vals["error_code"] = str(error_code)
        if error_message is not None:
            vals["error_message"] = error_message
        self.sudo().write(vals)
        self._wa_track_state(old, new_state)
        if new_state == "failed":
            self._wa_notify_failure()
        return True

    def _wa_notify_failure(self):
        """A failed message needs a person: tell whoever queued it, on the document."""
        for message in self.sudo():
            record = message._record()
            user = (
                message.author_id
                if message.author_id and not message.author_id._is_public()
                else None
            )
            if (
                record
                and hasattr(record, "activity_schedule")
                and user
                and user.active
                and user.share is False
            ):
                record.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("WhatsApp message not delivered"),
                    note=escape(message.error_message or ""),
                    user_id=user.id,
                )

    def _wa_on_inbound(self, item):
        """Listener hook: features (appointment confirmations, ...) extend it to react to
        a patient's message. ``item`` is the parsed :class:`InboundMessage`. Return True
        when a feature understood the message as an answer to it: then it is not also
        read as an opt-out ("Cancella" under a reminder cancels the appointment)."""
        return False

    def action_cancel(self):
        """Cancel queued messages (button on the message log)."""
        for message in self.filtered(lambda m: m.state == "queued"):
            message.sudo().write(
                {"state": "cancelled", "error_message": _("Cancelled by %s") % self.env.user.name}
            )
            message._wa_track_state("queued", "cancelled")
        return True


def _aware(value):
    """Odoo stores naive UTC datetimes; the policy compares aware ones only."""
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _naive_utc(value):
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value
