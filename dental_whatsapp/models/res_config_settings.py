from odoo import fields, models

from ..const import DEFAULT_ACK_DELAY, DEFAULT_ANSWER_TARGET
from ..tools.keywords import DEFAULT_OPT_OUT_KEYWORDS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dental_whatsapp_opt_out_keywords = fields.Char(
        "Opt-out Keywords",
        config_parameter="dental_whatsapp.opt_out_keywords",
        default=", ".join(k.upper() for k in DEFAULT_OPT_OUT_KEYWORDS),
        help="A patient whose whole message is one of these words (commas between them) stops "
        "billing and greetings messages and gets one confirmation.",
    )
    dental_whatsapp_answer_target = fields.Integer(
        "Answer Within (Minutes)",
        config_parameter="dental_whatsapp.answer_target",
        default=DEFAULT_ANSWER_TARGET,
        help="Opening-hours minutes within which a patient's WhatsApp gets a human answer; "
        "later, the conversation turns red and the manager gets a to-do. The clock stops "
        "while the practice is closed.",
    )
    dental_whatsapp_ack_delay = fields.Integer(
        "Acknowledge After (Minutes)",
        config_parameter="dental_whatsapp.ack_delay",
        default=DEFAULT_ACK_DELAY,
        help="While the practice is open, a patient nobody answered within these minutes "
        "gets the reviewed 'message received' template (at most once in 12 hours). While "
        "closed, it leaves at once with the next opening time.",
    )
    dental_whatsapp_emergency_phone = fields.Char(
        related="company_id.wa_emergency_phone", readonly=False
    )
    dental_whatsapp_escalation_user_id = fields.Many2one(
        related="company_id.wa_escalation_user_id", readonly=False
    )
    dental_whatsapp_duty_dentist_id = fields.Many2one(
        related="company_id.wa_duty_dentist_id", readonly=False
    )
    dental_whatsapp_care_hour_from = fields.Float(
        related="company_id.wa_care_hour_from", readonly=False
    )
    dental_whatsapp_care_hour_to = fields.Float(
        related="company_id.wa_care_hour_to", readonly=False
    )
    dental_whatsapp_booking_reschedule = fields.Boolean(
        related="company_id.wa_booking_reschedule", readonly=False
    )
    dental_whatsapp_booking_mode = fields.Selection(
        related="company_id.wa_booking_mode", readonly=False
    )
    dental_whatsapp_booking_first_visit = fields.Boolean(
        related="company_id.wa_booking_first_visit", readonly=False
    )
    dental_whatsapp_booking_notice_days = fields.Integer(
        related="company_id.wa_booking_notice_days", readonly=False
    )
    dental_whatsapp_booking_list_hours = fields.Integer(
        related="company_id.wa_booking_list_hours", readonly=False
    )
    dental_whatsapp_birthday_enabled = fields.Boolean(
        related="company_id.wa_birthday_enabled", readonly=False
    )
    dental_whatsapp_birthday_hour = fields.Integer(
        related="company_id.wa_birthday_hour", readonly=False
    )
