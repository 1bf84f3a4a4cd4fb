import base64
import hashlib
import logging
from datetime import timedelta

from markupsafe import Markup, escape
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.sql import create_index, drop_index

from ..const import CATEGORIES, GROUP_RECEPTION, MESSAGE_STATES, SUBTYPE_WHATSAPP
from ..tools import care_schedule, evidence, message_state
from ..tools.dates import aware, naive_utc
from .mail_message import told_of_whatsapp

_logger = logging.getLogger(__name__)

# What the module itself (as superuser) still writes on a message of a conversation on
# evidence hold: its progress (state, delivery and read times, errors, retries), the
# patient's own edit and deletion marks, the photo it downloads. None is sealed.
MARKETING_RETRIES = 3  # days a greeting Meta held back (131049) is tried again

HOLD_MUTABLE = frozenset(
    {"state", "sent_date", "delivered_date", "read_date", "failed_date", "error_code"}
    | {"error_message", "attempts", "next_attempt_at", "scheduled_at", "meta_message_id"}
    | {"leaving_date", "leaving_session"}
    | {"media_state", "edited_date", "revoked_date"}
    # what Meta says it charges, from the status webhooks
    | {"pricing_category", "pricing_billable", "pricing_type"}
    # the module's flag for a dentist (a personal reply, a blocked patient's message)
    | {"flagged", "flag_reason"}
)
# Relations the module only adds to (the downloaded photo, a deletion's chatter entry).
HOLD_LINK_ONLY = frozenset({"attachment_ids", "mail_message_ids"})
# Written once, by the seal.
SEAL_FIELDS = frozenset({"evidence_seq", "evidence_prev_id", "evidence_hash"})
SEALING_KEY = "dental_whatsapp_sealing"
# The reference each outgoing message carries to Meta and back (biz_opaque_callback_data).
CALLBACK_PREFIX = "dwa:message:"


def _only_links(commands):
    """The x2many ``commands`` only add records (no removal, no replacement)."""
    return all(
        isinstance(command, list | tuple) and command[0] == fields.Command.LINK
        for command in commands or ()
    )


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
    template_values = fields.Json(readonly=True)
    language = fields.Char(readonly=True)
    header_attachment_id = fields.Many2one(
        "ir.attachment", "Document Sent", readonly=True, ondelete="restrict"
    )
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments", readonly=True)
    model = fields.Char("Related Document Model", readonly=True, index=True)
    res_id = fields.Many2oneReference("Related Document", model_field="model", readonly=True)
    reply_to_id = fields.Many2one("dental.whatsapp.message", "Answers", readonly=True)
    state = fields.Selection(
        MESSAGE_STATES, required=True, readonly=True, default="queued", index=True
    )
    meta_message_id = fields.Char("Meta Message ID", readonly=True, copy=False, index=True)
    pricing_category = fields.Char(
        "Meta Pricing Category",
        readonly=True,
        copy=False,
        help="What Meta counts the message as (marketing, utility, authentication, "
        "service), from its status webhooks.",
    )
    pricing_billable = fields.Boolean(
        "Charged by Meta",
        readonly=True,
        copy=False,
        help="Meta's status says the practice pays for this message (e.g. not a free "
        "answer inside the patient's 24-hour window).",
    )
    pricing_type = fields.Char(
        "Meta Pricing Type",
        readonly=True,
        copy=False,
        help="Meta's per-message pricing type: regular, free customer service, free entry point.",
    )
    error_code = fields.Char(readonly=True)
    error_message = fields.Text("Why", readonly=True)
    scheduled_at = fields.Datetime("Send After", readonly=True, index=True)
    retry_of_id = fields.Many2one(
        "dental.whatsapp.message",
        readonly=True,
        index=True,
        help="The marketing message Meta held back (its per-user marketing limit, error "
        "131049) that this one tries again, a day later.",
    )
    not_after = fields.Datetime(
        readonly=True,
        help="A message that could only leave after this moment is cancelled: a birthday "
        "wish is never sent late.",
    )
    sent_date = fields.Datetime("Sent On", readonly=True)
    delivered_date = fields.Datetime("Delivered On", readonly=True)
    read_date = fields.Datetime("Read On", readonly=True)
    failed_date = fields.Datetime("Failed On", readonly=True)
    received_date = fields.Datetime("Received On", readonly=True)
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime("Next Attempt", readonly=True)
    leaving_date = fields.Datetime(
        "Left the Outbox",
        readonly=True,
        copy=False,
        help="When the outbox last handed this message to WhatsApp. A message whose "
        "answer never came waits for Meta's status from then on before it is sent again.",
    )
    # The database session of the dispatcher sending it: gone means it crashed.
    leaving_session = fields.Char(readonly=True, copy=False)
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

    conversation_id = fields.Many2one("dental.whatsapp.conversation", readonly=True, index=True)
    immediate = fields.Boolean(
        "Automatic Answer (Leaves at Once)",
        readonly=True,
        help="The module's own answer to a patient who has just written (the "
        "acknowledgement, the free times they asked for, the booking they just chose): it "
        "does not wait for the opening.",
    )
    interactive = fields.Json(
        readonly=True,
        help="A list the patient chooses from (the free times): its button and rows, as "
        "sent. The text of the message shows the same rows.",
    )
    dose_time = fields.Boolean(
        "At the Agreed Dose Time",
        readonly=True,
        help="A therapy reminder: it leaves at the dose time the patient agreed to with the "
        "dentist (inside the care hours), not at the practice's opening.",
    )
    media_kind = fields.Selection(
        [
            ("image", "Photo"),
            ("video", "Video"),
            ("audio", "Voice Message"),
            ("document", "Document"),
        ],
        readonly=True,
    )
    edit_of_id = fields.Many2one(
        "dental.whatsapp.message",
        readonly=True,
        index=True,
        help="The patient's earlier message this one replaces; the original is kept.",
    )
    edit_ids = fields.One2many("dental.whatsapp.message", "edit_of_id", "Edits", readonly=True)
    edited_date = fields.Datetime("Edited by the Patient On", readonly=True)
    revoked_date = fields.Datetime(
        "Deleted by the Patient On",
        readonly=True,
        help="The patient deleted the message on their phone; the practice keeps it.",
    )

    # The evidence chain (tools/evidence.py): see _wa_evidence_entry for what it covers.
    evidence_seq = fields.Integer(
        "Position in the Evidence Chain", readonly=True, copy=False, index="btree_not_null"
    )
    evidence_prev_id = fields.Many2one(
        "dental.whatsapp.message",
        "Sealed After",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The conversation's message sealed just before this one.",
    )
    evidence_hash = fields.Char(
        "Evidence Seal",
        readonly=True,
        copy=False,
        help="SHA-256 over the previous message's seal and what this message must never "
        "change (see the transcript's footnote).",
    )

    record_ref = fields.Reference(
        selection="_selection_record_ref",
        string="Belongs To",
        compute="_compute_record_ref",
        help="The appointment, invoice or patient this message belongs to.",
    )
    document_ids = fields.Many2many(
        "ir.attachment",
        string="Documents",
        compute="_compute_document_ids",
        help="The PDF sent with the message and what the patient sent.",
    )

    _sql_constraints = [
        (
            "meta_message_id_uniq",
            "unique(account_id, meta_message_id)",
            "This WhatsApp message is already recorded.",
        ),
    ]

    def init(self):
        result = super().init()
        # The outbox's claim (outbox._wa_claim) walks the queue in its order and asks, for
        # each message, whether one of the patient's is still leaving or an earlier one
        # is still queued: all three stay small and fast however many messages the table
        # holds.
        create_index(
            self.env.cr,
            "dental_whatsapp_message_queue_index",
            self._table,
            ["scheduled_at NULLS FIRST", "id"],
            where="state = 'queued' AND direction = 'out'",
        )
        create_index(
            self.env.cr,
            "dental_whatsapp_message_leaving_index",
            self._table,
            ["account_id", "COALESCE(recipient_partner_id, partner_id)"],
            where="state = 'sending'",
        )
        # (It replaces the index of earlier versions, which held only the messages
        # waiting for a retry.)
        drop_index(self.env.cr, "dental_whatsapp_message_retry_index", self._table)
        create_index(
            self.env.cr,
            "dental_whatsapp_message_patient_queue_index",
            self._table,
            [
                "account_id",
                "COALESCE(recipient_partner_id, partner_id)",
                "COALESCE(scheduled_at, '-infinity')",
                "id",
            ],
            where="state = 'queued' AND direction = 'out'",
        )
        return result

    @api.depends("direction", "partner_id", "create_date")
    def _compute_display_name(self):
        for message in self:
            arrow = "→" if message.direction == "out" else "←"
            message.display_name = (
                f"{arrow} {message.partner_id.display_name or message.number or ''}"
            )

    @api.model
    def _selection_record_ref(self):
        models_ = (
            "calendar.event",
            "account.move",
            "res.partner",
            "dental.whatsapp.conversation",
            "dental.whatsapp.therapy",
            "dental.whatsapp.notice",
        )
        return [(name, self.env[name]._description) for name in models_ if name in self.env]

    @api.depends("model", "res_id")
    def _compute_record_ref(self):
        allowed = {name for name, _label in self._selection_record_ref()}
        for message in self:
            message.record_ref = (
                f"{message.model},{message.res_id}"
                if message.model in allowed and message.res_id
                else False
            )

    @api.depends("attachment_ids", "header_attachment_id")
    def _compute_document_ids(self):
        for message in self:
            message.document_ids = message.attachment_ids | message.header_attachment_id

    # ------------------------------------------------------------------ evidence
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if SEAL_FIELDS & set(vals):
                raise AccessError(
                    _("The evidence seal of a WhatsApp message is set only by the module.")
                )
        messages = super().create(vals_list)
        messages.filtered("conversation_id")._wa_seal()
        return messages

    def write(self, vals):
        if SEAL_FIELDS & set(vals) and not (self.env.su and self.env.context.get(SEALING_KEY)):
            raise AccessError(
                _("The evidence seal of a WhatsApp message is set only by the module.")
            )
        self._check_evidence_hold(vals)
        self._check_evidence_change()
        result = super().write(vals)
        if vals.get("conversation_id"):
            # A conversation created after the patient's first messages takes them in.
            self.filtered(lambda m: not m.evidence_hash)._wa_seal()
        return result

    def unlink(self):
        self.env["dental.whatsapp.evidence.hold"]._wa_check(self)
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

    def _check_evidence_hold(self, vals):
        """On a conversation on evidence hold nobody changes a message (administrators
        and the superuser included); the module's own progress updates still apply
        (HOLD_MUTABLE, links added to HOLD_LINK_ONLY, the first seal)."""
        Hold = self.env["dental.whatsapp.evidence.hold"]
        if not self or not Hold._wa_any_held():
            return
        held = self.sudo().filtered(lambda m: m.conversation_id.evidence_hold)
        if not held:
            return
        allowed = self.env.su and all(
            field in HOLD_MUTABLE
            or (field in HOLD_LINK_ONLY and _only_links(value))
            or (field in SEAL_FIELDS and not any(held.mapped("evidence_hash")))
            or (field == "number" and set(held.mapped("number")) == {value})
            or (field == "header_attachment_id" and held._wa_same_document(value))
            for field, value in vals.items()
        )
        if not allowed:
            Hold._wa_refuse(held.conversation_id)

    def _wa_same_document(self, attachment_id):
        """The module's own copy of the document a message was created with (same file)."""
        new = self.env["ir.attachment"].sudo().browse(attachment_id)
        return all(
            not m.header_attachment_id or m.header_attachment_id.checksum == new.checksum
            for m in self
        )

    def _wa_evidence_time(self):
        """The message's time: received for the patient's, queued for the practice's."""
        self.ensure_one()
        value = self.received_date if self.direction == "in" else self.create_date
        return value.replace(microsecond=0) if value else None

    def _wa_evidence_entry(self, seq=None):
        """What the seal covers: what must never change. Its id, conversation and place
        in the chain, direction, the patient's number, its time (received, or queued),
        the staff author, the text, template and language, the media (the document
        sent: name, type, checksum; the patient's: Meta's media id, type, SHA-256 and
        file name), the message it answers and the one it edits.

        Not covered, mutable by design and shown in the transcript: the state,
        Meta's message id (known once sent), the sent, delivered, read and failed
        times, errors, and the patient's later edit or deletion marks (an edit is a
        message of its own, sealed; a deletion keeps the content)."""
        self.ensure_one()
        document = self.header_attachment_id.sudo()
        media = self.media_meta or {}
        return {
            "seq": seq or self.evidence_seq,
            "id": self.id,
            "conversation": self.conversation_id.id,
            "direction": self.direction,
            "number": self.number or None,
            "time": self._wa_evidence_time(),
            "author": self.author_id.id if self.direction == "out" and self.author_id else None,
            "text": self.body or "",
            "template": self.template_id.id or None,
            "language": self.language or None,
            "media_kind": self.media_kind or None,
            "document": {
                "name": document.name,
                "mimetype": document.mimetype,
                "checksum": document.checksum,
            }
            if document
            else None,
            "media": {key: media.get(key) for key in ("id", "mime_type", "sha256", "filename")}
            if media
            else None,
            "reply_to": self.reply_to_id.id or None,
            "edit_of": self.edit_of_id.id or None,
        }

    def _wa_media_intact(self):
        """The patient's downloaded files still match the SHA-256 Meta gave with the
        message (the seal covers Meta's hash; the file arrives later)."""
        self.ensure_one()
        expected = (self.media_meta or {}).get("sha256")
        if not expected:
            return True
        for attachment in self.sudo().attachment_ids:
            digest = hashlib.sha256(attachment.raw or b"").digest()
            if expected not in (base64.b64encode(digest).decode(), digest.hex()):
                return False
        return True

    def _wa_seal(self):
        """Seal these messages into their conversations' chains, oldest first.

        The conversation row is locked (``SELECT ... FOR UPDATE``) and touched while
        sealing: two messages arriving at once wait for each other, and under Odoo's
        REPEATABLE READ the second one meets a serialization failure (retried: the
        webhook event is processed again) instead of sealing after a stale last seal
        and forking the chain."""
        cr = self.env.cr
        for conversation in self.sudo().conversation_id:
            todo = self.sudo().filtered(
                lambda m, c=conversation: m.conversation_id == c and not m.evidence_hash
            )
            if not todo:
                continue
            cr.execute(
                "SELECT id FROM dental_whatsapp_conversation WHERE id = %s FOR UPDATE",
                [conversation.id],
            )
            cr.execute(
                "UPDATE dental_whatsapp_conversation SET write_date = write_date WHERE id = %s",
                [conversation.id],
            )
            self.flush_model(["conversation_id", "evidence_seq", "evidence_hash"])
            cr.execute(
                """SELECT id, evidence_seq, evidence_hash FROM dental_whatsapp_message
                    WHERE conversation_id = %s AND evidence_hash IS NOT NULL
                 ORDER BY evidence_seq DESC LIMIT 1""",
                [conversation.id],
            )
            prev_id, seq, prev_hash = cr.fetchone() or (False, 0, evidence.GENESIS)
            for message in todo.sorted(lambda m: (m._wa_evidence_time() or m.create_date, m.id)):
                seq += 1
                sealed = evidence.seal(prev_hash, message._wa_evidence_entry(seq))
                message.with_context(**{SEALING_KEY: True}).write(
                    {"evidence_seq": seq, "evidence_prev_id": prev_id, "evidence_hash": sealed}
                )
                prev_id, prev_hash = message.id, sealed

    # ------------------------------------------------------------------ helpers
    def _record(self):
        self.ensure_one()
        if self.model and self.res_id and self.model in self.env:
            return self.env[self.model].browse(self.res_id).exists()
        return self.env["res.partner"]

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
        immediate=False,
        dose_time=False,
        media_kind=None,
        interactive=None,
    ):
        """The one entry point for every outgoing message: policy, queue, chatter.

        Returns the message (queued, or "Not Sent" with the reason when the policy refuses
        and ``raise_on_refusal`` is False). Free text (``body`` without ``template``) is
        allowed only inside the patient's 24 h window.
        """
        Policy = self.env["dental.whatsapp.policy"]
        Policy._wa_check_sender()
        if not partner:
            raise UserError(_("Choose the patient the message is for."))
        account = account or self.env["dental.whatsapp.account"]._wa_for_company(
            record.company_id if record and "company_id" in record._fields else None
        )
        if not account:
            raise UserError(_("No WhatsApp account is configured: ask a manager to add one."))
        if template and values is None:
            values = template._render_values(record or partner, partner)
        text = template._render_text(values) if template else (body or "")
        duplicate = self._wa_identical_queued(partner, record, template, text, header_attachment)
        if duplicate:
            if raise_on_refusal:
                raise UserError(
                    _(
                        "The same message is already waiting to be sent to %(patient)s: it "
                        "was queued on %(when)s. It was not queued twice.",
                        patient=partner.display_name,
                        when=partner._wa_format_datetime(
                            duplicate.create_date, self.env.user.lang or "en_US"
                        ),
                    )
                )
            return duplicate
        # Staff free text is checked (and flagged) wherever it is written; the module's
        # own service answers (the opt-out confirmation) are its fixed words.
        own_words = template or (service_reply and self.env.su)
        blocks, warnings = ([], []) if own_words else Policy._wa_check_text(text)
        decision, recipient = Policy._wa_decide(
            partner,
            category=category,
            template=template,
            text=text,
            not_before=scheduled_at,
            company=account.company_id,
            service_reply=service_reply,
            content_blocks=blocks,
            immediate=immediate,
            dose_time=dose_time,
        )
        # The patient's conversation holds the message when there is one; the module's
        # own sends (reminders, statements) do not open one: two reminder runs at once
        # must not race to create it. Inbound messages and the desk create it.
        conversation = self.env["dental.whatsapp.conversation"]._wa_find(account, partner)
        vals = {
            "conversation_id": conversation.id,
            "immediate": immediate,
            "dose_time": dose_time,
            "interactive": interactive or False,
            "media_kind": media_kind or False,
            "account_id": account.id,
            "direction": "out",
            "partner_id": partner.id,
            "recipient_partner_id": recipient.id,
            "number": recipient.whatsapp_number or recipient.wa_user_id,
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
            reason = Policy._wa_refusal_words(decision.refusals, partner, blocks)
            if raise_on_refusal:
                raise UserError(_("The message was not sent: %s", reason))
            vals.update(
                state="cancelled", error_code=",".join(decision.refusals), error_message=reason
            )
        else:
            vals.update(state="queued", scheduled_at=naive_utc(decision.send_at))
        message = self.sudo().create(vals)
        if header_attachment:
            message._wa_keep_header(header_attachment)
        later = self.env.context.get("wa_chatter_later")
        if later is not None:  # a run queueing many: see _wa_enqueued_together
            later.append(message.id)
            return message
        message._wa_post_chatter()
        if message.state == "queued":
            self.env["dental.whatsapp.outbox"]._wa_trigger(message.scheduled_at)
        return message

    @api.model
    def _wa_enqueued_together(self, message_ids):
        """After a run that queued many messages with ``wa_chatter_later`` (a list in
        the context that collects their ids): their chatter entries written together,
        and the outbox woken once per distinct time they leave, not once per message."""
        messages = self.sudo().browse(message_ids)
        messages._wa_post_chatter()
        queued = messages.filtered(lambda m: m.state == "queued")
        if queued:
            self.env["dental.whatsapp.outbox"]._wa_trigger(queued.mapped("scheduled_at"))

    @api.model
    def _wa_identical_queued(self, partner, record, template, text, attachment):
        """A message with the same content for the same document still waiting to leave
        (a send button pressed twice), or an empty recordset."""
        return self.sudo().search(
            [
                ("state", "=", "queued"),
                ("direction", "=", "out"),
                ("partner_id", "=", partner.id),
                ("model", "=", record._name if record else "res.partner"),
                ("res_id", "=", record.id if record else partner.id),
                ("template_id", "=", template.id if template else False),
                ("body", "=", text or False),
                ("header_attachment_id.checksum", "=", attachment.checksum)
                if attachment
                else ("header_attachment_id", "=", False),
            ],
            limit=1,
        )

    def _wa_obsolete_reason(self):
        """Why this queued message must not go out any more (its document changed since,
        or its day is over), in words, or False. Features extend it, or give their
        document a ``_wa_outgoing_obsolete(message)`` that answers for its own messages."""
        self.ensure_one()
        if self.not_after and aware(fields.Datetime.now()) >= aware(self.not_after):
            return _(
                "the day this message was meant for is over: it is not sent late (a "
                "birthday wish the day after reads as forgotten)."
            )
        record = self._record()
        ask = getattr(record, "_wa_outgoing_obsolete", None) if record else None
        return ask(self) if ask else False

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

    # ------------------------------------------------------------------ chatter
    def _wa_chatter_body(self):
        self.ensure_one()
        if self.direction == "out":
            title = _("WhatsApp to %s", self.recipient_partner_id.display_name or self.number)
        else:
            title = _("WhatsApp from %s", self.partner_id.display_name or self.number)
        parts = [Markup("<b>%s</b>") % title]
        if self.edit_of_id:
            parts.append(
                Markup("<br/><i>%s</i>")
                % _(
                    "Edited by the patient at %(when)s. The original, kept: «%(original)s»",
                    when=self.partner_id._wa_format_datetime(
                        self.received_date, self.env.user.lang or "en_US"
                    ),
                    original=self.edit_of_id.body or "",
                )
            )
        if self.template_id:
            parts.append(Markup("<small>%s</small>") % _("Template %s", self.template_id.name))
        parts.append(
            Markup("<br/>")
            + Markup("<br/>").join(escape(line) for line in (self.body or "").splitlines())
        )
        if self.state == "cancelled":
            parts.append(Markup("<br/><i>%s</i>") % _("Not sent: %s", self.error_message))
        elif (
            self.state == "queued"
            and self.scheduled_at
            and self.scheduled_at > fields.Datetime.now() + timedelta(minutes=1)
            and self.dose_time
        ):
            parts.append(
                Markup("<br/><i>%s</i>")
                % _(
                    "Therapy reminder: it leaves at the agreed dose time, %s.",
                    self.partner_id._wa_format_datetime(
                        self.scheduled_at, self.env.user.lang or "en_US"
                    ),
                )
            )
        elif (
            self.state == "queued"
            and self.scheduled_at
            and self.scheduled_at > fields.Datetime.now() + timedelta(minutes=1)
        ):
            parts.append(
                Markup("<br/><i>%s</i>")
                % _(
                    "Held: it leaves at the practice's opening, %s.",
                    self.partner_id._wa_format_datetime(
                        self.scheduled_at, self.env.user.lang or "en_US"
                    ),
                )
            )
        if self.immediate:
            parts.append(
                Markup("<br/><small>%s</small>")
                % _("Automatic answer to the patient: it leaves at once, even while closed.")
            )
        return Markup(" ").join(parts)

    def _wa_post_chatter(self):
        """Post the messages on their document, on the patient and on the conversation:
        the evidence trail. An entry that tells someone (the patient's message to the
        desk, a colleague following the document for WhatsApp) or carries the patient's
        photos is posted with ``message_post``; the others, the module's own reminders
        by the thousand, are written together (``_wa_log_entries``)."""
        subtype = self.env.ref(SUBTYPE_WHATSAPP)
        entries, quiet = {}, {}  # message id -> chatter entries; model -> [(message, target)]
        for message in self.sudo():
            entries[message.id] = self.env["mail.message"]
            targets = [message._record()]
            if message.partner_id and message.partner_id not in targets:
                targets.append(message.partner_id)
            conversation = message.conversation_id
            if conversation and conversation not in targets:
                targets.append(conversation)
            for target in targets:
                if not target or not hasattr(target, "message_post"):
                    continue
                # The patient's message on the conversation tells the desk (inbox, bus).
                notify = (
                    target._wa_notify_targets().partner_id.ids
                    if target == conversation and message.direction == "in"
                    else []
                )
                if notify or message.attachment_ids:
                    entries[message.id] |= message._wa_post_entry(target, subtype, notify)
                else:
                    quiet.setdefault(target._name, []).append((message, target))
        for pairs in quiet.values():
            told = self._wa_followed_for_whatsapp(pairs, subtype)
            logged = [(m, t) for m, t in pairs if t.id not in told]
            for message, target in pairs:
                if target.id in told:
                    entries[message.id] |= message._wa_post_entry(target, subtype, [])
            for (message, _target), entry in zip(
                logged, self._wa_log_entries(logged, subtype), strict=True
            ):
                entries[message.id] |= entry
        # Each message keeps its new entries: only links added, never one removed (what
        # an evidence hold allows), in one INSERT rather than one write per message.
        links = [(mid, entry.id) for mid, posted in entries.items() for entry in posted]
        if links:
            field = self._fields["mail_message_ids"]
            self.env.cr.execute(
                SQL(
                    "INSERT INTO %s (%s, %s) VALUES %s ON CONFLICT DO NOTHING",
                    SQL.identifier(field.relation),
                    SQL.identifier(field.column1),
                    SQL.identifier(field.column2),
                    SQL(", ").join(SQL("(%s, %s)", mid, eid) for mid, eid in links),
                )
            )
            self.sudo().browse(list(entries)).invalidate_recordset(["mail_message_ids"])
        Notification = self.env["mail.notification"].sudo()
        Notification.create(
            [vals for message in self.sudo() for vals in message._wa_notification_values(entries)]
        )

    def _wa_chatter_author(self):
        self.ensure_one()
        if self.direction == "in":
            return self.partner_id
        return self.author_id.partner_id or self.env.user.partner_id

    def _wa_post_entry(self, target, subtype, notify):
        """One chatter entry through ``message_post``: it notifies as Odoo does."""
        self.ensure_one()
        return target.with_context(mail_create_nosubscribe=True).message_post(
            wa_message_id=self.id,
            partner_ids=notify,
            body=self._wa_chatter_body(),
            message_type="notification",
            subtype_id=subtype.id,
            author_id=self._wa_chatter_author().id,
            attachment_ids=self.attachment_ids.ids,
        )

    @api.model
    def _wa_followed_for_whatsapp(self, pairs, subtype):
        """The ids, among ``pairs``' targets (one model), of the records a colleague of
        the practice follows for WhatsApp entries: those are told through message_post."""
        records = pairs[0][1].browse(list(dict.fromkeys(t.id for _m, t in pairs)))
        staff = self.env.ref(GROUP_RECEPTION).id
        data = (
            self.env["mail.followers"]
            .sudo()
            ._get_recipient_data(records, "notification", subtype.id)
        )
        return {
            res_id
            for res_id, recipients in data.items()
            if any(told_of_whatsapp(r, staff) for r in recipients.values())
        }

    @api.model
    def _wa_log_entries(self, pairs, subtype):
        """The chatter entries of ``pairs`` (message, target), all targets of one model,
        in one create: the values ``message_post`` would write (author, thread, reply-to,
        the practice), read once per document and author instead of once per entry; no
        one to notify, so no notification."""
        if not pairs:
            return []
        Thread = pairs[0][1].browse(list(dict.fromkeys(t.id for _m, t in pairs))).sudo()
        default = self.env.company
        domains = Thread._mail_get_alias_domains(default_company=default)
        companies = Thread._mail_get_companies(default=default)
        parents = {}
        if Thread._mail_flat_thread:
            # message_post threads every entry under the document's first message
            first = (
                self.env["mail.message"]
                .sudo()
                ._read_group(
                    [
                        ("model", "=", Thread._name),
                        ("res_id", "in", Thread.ids),
                        ("message_type", "!=", "user_notification"),
                    ],
                    ["res_id"],
                    ["id:min"],
                )
            )
            parents = dict(first)
        authors, replies = {}, {}
        values = []
        for message, target in pairs:
            author = message._wa_chatter_author()
            if author.id not in authors:
                authors[author.id] = Thread._message_compute_author(
                    author.id, None, raise_on_email=False
                )
            author_id, email_from = authors[author.id]
            if email_from not in replies:
                replies[email_from] = Thread._notify_get_reply_to(default=email_from)
            values.append(
                {
                    "author_id": author_id,
                    "email_from": email_from,
                    "model": Thread._name,
                    "res_id": target.id,
                    "body": message._wa_chatter_body(),
                    "message_type": "notification",
                    "subtype_id": subtype.id,
                    "parent_id": parents.get(target.id, False),
                    "subject": False,
                    "record_name": target.sudo().display_name,
                    "record_alias_domain_id": domains[target.id].id,
                    "record_company_id": companies[target.id].id,
                    "reply_to": replies[email_from][target.id],
                    "email_add_signature": True,
                    "partner_ids": [],
                    "attachment_ids": [],
                    "wa_message_id": message.id,
                }
            )
        logged = Thread._message_create(values)
        for (_message, target), entry, vals in zip(pairs, logged, values, strict=True):
            target.sudo()._message_post_after_hook(entry, vals)
        return list(logged)

    def _wa_notification_state(self):
        """The values of this outgoing message's WhatsApp notifications."""
        self.ensure_one()
        Notification = self.env["mail.notification"].sudo()
        status = message_state.NOTIFICATION_STATUS[self.state]
        exception = status == "exception"
        return {
            "notification_status": status,
            "failure_type": Notification._wa_failure_type(self.error_code) if exception else False,
            "failure_reason": self.error_message if exception else False,
        }

    def _wa_notification_values(self, entries):
        """The WhatsApp notification of each new chatter entry of this outgoing message
        (``entries``: message id -> entries), as Odoo shows delivery for e-mail."""
        self.ensure_one()
        if self.direction != "out":
            return []
        vals = self._wa_notification_state()
        recipient = self.recipient_partner_id or self.partner_id
        return [
            dict(
                vals,
                mail_message_id=entry.id,
                # whose messaging menu lists the failure: who queued it
                author_id=entry.author_id.id,
                res_partner_id=recipient.id,
                notification_type="whatsapp",
                is_read=True,
            )
            for entry in entries[self.id]
        ]

    def _wa_notify_chatter(self):
        """The delivery state on each chatter entry follows the message. Messages that
        reach the same state are updated together (a dispatcher's batch)."""
        groups = {}
        for message in self.sudo().filtered(lambda m: m.direction == "out"):
            key = tuple(sorted(message._wa_notification_state().items()))
            groups.setdefault(key, self.browse())
            groups[key] |= message
        for key, messages in groups.items():
            vals = dict(key)
            entries = messages.mail_message_ids
            changed = entries.notification_ids.filtered(
                lambda n, s=vals["notification_status"]: (
                    n.notification_type == "whatsapp" and n.notification_status != s
                )
            )
            if changed:
                changed.write(vals)
                changed.mail_message_id._notify_message_notification_update()

    # ------------------------------------------------------------------ state machine
    def _wa_callback_ref(self):
        """Our reference sent with the message (``biz_opaque_callback_data``) and echoed
        in its statuses: the status finds the message even without Meta's id."""
        self.ensure_one()
        return f"{CALLBACK_PREFIX}{self.id}"

    @api.model
    def _wa_from_callback_ref(self, account, ref):
        """The outgoing message of ``account`` our reference ``ref`` names, or none."""
        if not ref or not ref.startswith(CALLBACK_PREFIX):
            return self.sudo().browse()
        try:
            message = self.sudo().browse(int(ref[len(CALLBACK_PREFIX) :])).exists()
        except ValueError:
            return self.sudo().browse()
        return (
            message
            if message.account_id == account and message.direction == "out"
            else (self.sudo().browse())
        )

    def _wa_set_state(self, new_state, when=None, error_code=None, error_message=None):
        """Move along the state machine (tools/message_state.py); return the messages
        whose state changed (empty when none did). The only place a message's state is
        written; a batch moving together is written and shown on the chatter together."""
        moving = self.filtered(lambda m: message_state.can_move(m.state, new_state))
        if not moving:
            return moving
        when = naive_utc(when) if when else fields.Datetime.now()
        vals = {"state": new_state}
        date_field = message_state.DATE_FIELDS.get(new_state)
        if date_field:
            vals[date_field] = when
        if error_code is not None:
            vals["error_code"] = str(error_code)
        if error_message is not None:
            vals["error_message"] = error_message
        if new_state in ("delivered", "read"):
            moving.filtered(lambda m: not m.sent_date).sudo().write({"sent_date": when})
        moving.sudo().write(vals)
        moving._wa_notify_chatter()
        if new_state == "failed":
            moving._wa_notify_failure()
        return moving

    def _wa_retry_marketing_limit(self):
        """Meta held this marketing message back (131049): queue the same template with
        the same values for the first opening of a later day, at most
        MARKETING_RETRIES times; the state of this one never goes backwards. Return the
        new message, or an empty recordset."""
        self.ensure_one()
        Message = self.env["dental.whatsapp.message"].sudo()
        template = self.template_id
        if not template or template.meta_category != "MARKETING" or not self.partner_id:
            return Message
        tries, first = 0, self
        while first.retry_of_id:
            first, tries = first.retry_of_id, tries + 1
        patient = self.partner_id
        if tries >= MARKETING_RETRIES:
            patient.sudo().message_post(
                body=_(
                    "Meta held this greeting back again (too many marketing messages for "
                    "this patient lately): after %s attempts it is not tried again.",
                    tries + 1,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return Message
        company = self.account_id.company_id
        failed_at = aware(self.failed_date or fields.Datetime.now())
        due = care_schedule.marketing_retry_at(
            failed_at, company._wa_practice_tz(), company._wa_opening_intervals(failed_at) or []
        )
        if not due:
            return Message
        record = self._record()
        retry = Message._wa_enqueue(
            patient,
            category=self.category,
            record=record or None,
            template=template,
            values=self.template_values,
            account=self.account_id,
            scheduled_at=naive_utc(due),
            raise_on_refusal=False,
        )
        retry.retry_of_id = self
        patient.sudo().message_post(
            body=_(
                "Meta held this greeting back: the patient has received many marketing "
                "messages lately. It will be tried again on %s.",
                patient._wa_format_datetime(naive_utc(due), self.env.user.lang or "en_US"),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return retry

    def _wa_cancel(self, reason, code=None):
        """Withdraw a queued message ("Not Sent"), with the reason in words."""
        self.ensure_one()
        return self._wa_set_state("cancelled", error_code=code, error_message=reason)

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

    def action_cancel(self):
        """Cancel queued messages (button on the message log)."""
        self.env["dental.whatsapp.policy"]._wa_check_sender()
        for message in self.filtered(lambda m: m.state == "queued"):
            message._wa_cancel(_("Cancelled by %s", self.env.user.name))
        return True
