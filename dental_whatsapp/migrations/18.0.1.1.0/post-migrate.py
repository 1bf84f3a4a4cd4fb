"""18.0.1.1.0: photos are downloaded by the inbound pipeline (dental.whatsapp.inbound),
not by the webhook event store. The scheduled action is noupdate data: point it at its
new model here."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("dental_whatsapp.ir_cron_download_media", raise_if_not_found=False)
    model = env["ir.model"]._get("dental.whatsapp.inbound")
    if cron and model:
        cron.model_id = model
