"""18.0.1.3.0: every WhatsApp message is sealed into its conversation's evidence chain
(tools/evidence.py). Seal the messages recorded before, conversation by conversation,
oldest first, as if each had been sealed when it arrived."""

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
