# Mixins first: the models below inherit them.
from . import dental_whatsapp_sender  # isort: skip
from . import dental_whatsapp_document

# isort: split
from . import (
    account_move,
    calendar_event,
    dental_whatsapp_account,
    dental_whatsapp_birthday,
    dental_whatsapp_conversation,
    dental_whatsapp_event,
    dental_whatsapp_evidence_hold,
    dental_whatsapp_greeting_campaign,
    dental_whatsapp_inbound,
    dental_whatsapp_inbound_appointment,
    dental_whatsapp_instruction,
    dental_whatsapp_message,
    dental_whatsapp_message_billing,
    dental_whatsapp_outbox,
    dental_whatsapp_payment,
    dental_whatsapp_policy,
    dental_whatsapp_quick_reply,
    dental_whatsapp_reminder,
    dental_whatsapp_template,
    dental_whatsapp_therapy,
    ir_attachment,
    mail_message,
    mail_notification,
    res_company,
    res_config_settings,
    res_partner,
    res_partner_billing,
)

# isort: split
from . import (
    dental_whatsapp_pace,  # one send rate per number across workers (issue 17)
    dental_whatsapp_recall,  # the recall (issue 15)
    dental_whatsapp_slot_offer,
)

# isort: split
from . import (
    dental_whatsapp_consult,  # the team channel: questions, notices
    dental_whatsapp_notice,
    dental_whatsapp_team,
)

# isort: split
# What the messages achieve: the facts first (the view reads their tables).
from . import dental_whatsapp_response  # isort: skip
from . import dental_whatsapp_outcome  # isort: skip
from . import dental_whatsapp_outcome_summary  # isort: skip
from . import dental_whatsapp_outcome_demo  # isort: skip
