"""18.0.1.3.0: every WhatsApp message is sealed into its conversation's evidence chain
(tools/evidence.py). Seal the messages recorded before, conversation by conversation,
oldest first, as if each had been sealed when it arrived.

The shipped extraction and implant-surgery appointment types (noupdate data) ask for the
post-operative check-in the next day, unless the practice already chose otherwise."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Message = env["dental.whatsapp.message"]
    conversations = Message.search(
        [("conversation_id", "!=", False), ("evidence_hash", "=", False)]
    ).conversation_id
    for conversation in conversations:
        messages = Message.search(
            [("conversation_id", "=", conversation.id), ("evidence_hash", "=", False)]
        )
        messages._wa_seal()
    _logger.info("Sealed the WhatsApp messages of %s conversations", len(conversations))
    for xmlid in ("appointment_type_extraction", "appointment_type_implant"):
        kind = env.ref(f"dental_whatsapp.{xmlid}", raise_if_not_found=False)
        if kind and kind.checkin == "none":
            kind.checkin = "next_day"
