from odoo import fields, models

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
