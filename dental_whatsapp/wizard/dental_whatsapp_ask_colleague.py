from markupsafe import Markup, escape
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..const import GROUP_DENTIST, GROUP_RECEPTION


def _lines(text):
    return Markup("<br/>").join(escape(line) for line in (text or "").strip().splitlines())


class DentalWhatsappAskColleague(models.TransientModel):
    """Ask the team, or one dentist, about what a patient sent (a photo of a lesion, an
    X-ray), in Discuss: the files go along, with a link back to the patient; the answers
    come back to the patient's conversation as internal notes."""

    _name = "dental.whatsapp.ask.colleague"
    _description = "Ask a Colleague"

    wa_message_id = fields.Many2one("dental.whatsapp.message", "About the Message", readonly=True)
    conversation_id = fields.Many2one("dental.whatsapp.conversation", readonly=True)
    partner_id = fields.Many2one("res.partner", "Patient", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    question = fields.Text(required=True)
    destination = fields.Selection(
        [("team", "The Team Channel"), ("dentist", "A Dentist")],
        "Ask",
        required=True,
        default="team",
    )
    dentist_id = fields.Many2one(
        "res.users",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref(GROUP_DENTIST).id),
            ("share", "=", False),
            ("id", "!=", self.env.uid),
        ],
    )
    available_attachment_ids = fields.Many2many(
        "ir.attachment", compute="_compute_available_attachment_ids"
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "dental_whatsapp_ask_colleague_attachment_rel",
        string="Files to Share",
        help="Copied into the discussion; the patient's own files stay where they are.",
    )

    # ------------------------------------------------------------------ defaults
    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        model, res_id = context.get("active_model"), context.get("active_id")
        if not model or not res_id or not self.env.user.has_group(GROUP_RECEPTION):
            return values
        record = self.env[model].browse(res_id).exists() if model in self.env else None
        if not record:
            return values
        message = self.env["dental.whatsapp.message"]
        attachments = self.env["ir.attachment"]
        partner = self.env["res.partner"]
        conversation = self.env["dental.whatsapp.conversation"]
        if model == "dental.whatsapp.message":
            message = record
        elif model == "dental.whatsapp.conversation":
            conversation = record
            message = record.wa_message_ids.filtered(lambda m: m.direction == "in")[:1]
        elif model == "ir.attachment":
            attachments = record
            if record.res_model == "dental.whatsapp.message":
                message = message.browse(record.res_id)
            elif record.res_model == "res.partner":
                partner = partner.browse(record.res_id)
        elif model == "res.partner":
            partner = record
        if message:
            conversation = conversation or message.conversation_id
            partner = partner or message.partner_id
            attachments = attachments or message.attachment_ids
        partner = partner or conversation.partner_id
        if partner and not conversation:
            conversation = conversation.search(
                [("partner_id", "=", partner.id)],
                order="last_inbound_date desc nulls last, id desc",
                limit=1,
            )
        values.update(
            {
                "wa_message_id": message.id,
                "conversation_id": conversation.id,
                "partner_id": partner.id,
                "company_id": (conversation.company_id or self.env.company).id,
                "attachment_ids": [fields.Command.set(attachments.ids)],
            }
        )
        return values

    @api.depends("wa_message_id", "conversation_id", "partner_id")
    def _compute_available_attachment_ids(self):
        for wizard in self:
            wizard.available_attachment_ids = wizard._wa_shareable()

    def _wa_shareable(self):
        """The files this question may share: the message's, the patient's media on
        WhatsApp, the files attached to the patient's record."""
        self.ensure_one()
        inbound = self.conversation_id.wa_message_ids.filtered(lambda m: m.direction == "in")
        found = self.wa_message_id.attachment_ids | inbound.attachment_ids
        if self.partner_id:
            found |= self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", self.partner_id.id),
                    ("res_field", "=", False),
                ]
            )
        return found

    # ------------------------------------------------------------------ asking
    def _check_ask(self):
        """Only the dental staff ask; what they share they may read themselves."""
        if not self.env.user.has_group(GROUP_RECEPTION):
            raise AccessError(_("Only the practice's staff can ask a colleague about a patient."))
        for record in (self.wa_message_id, self.conversation_id, self.partner_id):
            if record:
                record.check_access("read")
        if self.attachment_ids:
            if self.attachment_ids - self._wa_shareable():
                raise AccessError(
                    _("Only the patient's own files can be shared with the question.")
                )
            self.attachment_ids.check("read")
        if self.destination == "dentist":
            dentist = self.dentist_id.sudo()
            if not dentist:
                raise UserError(_("Choose the dentist to ask."))
            if dentist == self.env.user:
                raise UserError(_("Choose another dentist: this one is you."))
            if (
                not dentist.active
                or dentist.share
                or not dentist.has_group(GROUP_DENTIST)
                or self.company_id not in dentist.company_ids
            ):
                raise UserError(
                    _("%s is not a dentist of the practice: ask a dentist.", dentist.name)
                )
        if not (self.question or "").strip():
            raise UserError(_("Write the question first."))

    def _wa_channel(self):
        if self.destination == "team":
            return self.company_id._wa_team_channel()
        return self.env["discuss.channel"].channel_get([self.dentist_id.partner_id.id])

    def _wa_body(self, channel):
        links = []
        if self.partner_id:
            links.append(
                Markup('%s <a href="/odoo/res.partner/%s">%s</a>')
                % (_("Patient:"), self.partner_id.id, self.partner_id.name)
            )
        if self.conversation_id:
            links.append(
                Markup('<a href="/odoo/dental.whatsapp.conversation/%s">%s</a>')
                % (self.conversation_id.id, _("WhatsApp conversation"))
            )
        how = (
            _(
                "Answer with Reply on this message: it goes into the patient's "
                "conversation as an internal note, never to the patient."
            )
            if channel.channel_type == "channel"
            else _(
                "Your answers here go into the patient's conversation as internal notes, "
                "never to the patient."
            )
        )
        return Markup("<p>%s</p><p>%s</p><p><small>%s</small></p>") % (
            _lines(self.question),
            Markup(" · ").join(links),
            how,
        )

    def action_confirm(self):
        self.ensure_one()
        self._check_ask()
        channel = self._wa_channel()
        # sudo: the user's rights on the patient's files were checked above; the copies
        # belong to the discussion (who reads it reads them).
        copies = self.env["ir.attachment"]
        for attachment in self.attachment_ids.sudo():
            copies |= attachment.copy({"res_model": "discuss.channel", "res_id": channel.id})
        message = (
            channel.sudo()
            .with_context(wa_consult_post=True)
            .message_post(
                body=self._wa_body(channel),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.env.user.partner_id.id,
                attachment_ids=copies.ids,
            )
        )
        self.env["dental.whatsapp.consult"].sudo().create(
            {
                "question": self.question.strip(),
                "user_id": self.env.uid,
                "destination": self.destination,
                "dentist_id": self.dentist_id.id if self.destination == "dentist" else False,
                "company_id": self.company_id.id,
                "channel_id": channel.id,
                "message_id": message.id,
                "conversation_id": self.conversation_id.id,
                "partner_id": self.partner_id.id,
                "wa_message_id": self.wa_message_id.id,
                "attachment_count": len(copies),
            }
        )
        where = channel.name if self.destination == "team" else self.dentist_id.name
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": _(
                    "Asked %s in Discuss: the answer will appear here as an internal note.",
                    where,
                ),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
