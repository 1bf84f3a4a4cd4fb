import logging

from markupsafe import Markup
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..const import EVIDENCE_LIFT_KEY, GROUP_MANAGER

_logger = logging.getLogger(__name__)


class DentalWhatsappHoldLift(models.TransientModel):
    """Lift the Evidence Hold: the one way a held conversation becomes changeable again,
    by a manager, with a reason; who, when and why go to the conversation's chatter and
    to the server log."""

    _name = "dental.whatsapp.hold.lift"
    _description = "Lift the Evidence Hold"

    conversation_id = fields.Many2one("dental.whatsapp.conversation", required=True, readonly=True)
    hold_date = fields.Datetime(related="conversation_id.evidence_hold_date")
    hold_reason = fields.Char(related="conversation_id.evidence_hold_reason")
    reason = fields.Text(
        "Why the Hold Is Lifted",
        required=True,
        help="E.g. 'The lawyer confirmed the matter is closed (letter of 3 December)'.",
    )

    @api.model
    def _check_lift_rights(self):
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only a WhatsApp manager can lift an evidence hold."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_lift_rights()
        return super().create(vals_list)

    def action_lift(self):
        self.ensure_one()
        self._check_lift_rights()
        conversation = self.conversation_id
        conversation.check_access("read")
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(_("Write why the evidence hold is lifted."))
        conversation = conversation.sudo()
        if not conversation.evidence_hold:
            raise UserError(_("This conversation is not on evidence hold."))
        since = conversation.evidence_hold_date
        conversation.with_context(**{EVIDENCE_LIFT_KEY: True}).write(
            {"evidence_hold": False, "evidence_hold_date": False, "evidence_hold_reason": False}
        )
        lang = self.env.user.lang or "en_US"
        now = fields.Datetime.now()
        conversation.with_context(wa_internal_post=True).message_post(
            body=Markup("%s<br/>%s")
            % (
                _(
                    "Evidence hold lifted by %(user)s on %(when)s (on hold since %(since)s).",
                    user=self.env.user.name,
                    when=conversation._wa_format_datetime(now, lang),
                    since=conversation._wa_format_datetime(since, lang) if since else "-",
                ),
                _("Reason: %s", reason),
            ),
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )
        _logger.warning(
            "User %s (id %s) lifted the evidence hold of WhatsApp conversation %s: %s",
            self.env.user.login,
            self.env.uid,
            conversation.id,
            reason,
        )
        return {"type": "ir.actions.act_window_close"}
