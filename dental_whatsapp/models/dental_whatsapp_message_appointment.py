"""The appointment feature's listener on the message pipeline: patients' answers."""

from odoo import api, fields, models, tools

from .calendar_event import APPOINTMENT_TIME_FORMATS, REPLY_WINDOW


class DentalWhatsappMessage(models.Model):
    _inherit = "dental.whatsapp.message"

    def _wa_on_inbound(self, item):
        handled = super()._wa_on_inbound(item)
        if handled or item.type not in ("text", "button", "interactive"):
            return handled
        event = self._wa_appointment_answered(item)
        if event:
            return event._wa_apply_patient_reply(self, item)
        return handled

    def _wa_appointment_answered(self, item):
        """The appointment this inbound message answers: the one the patient replied to
        (quoted or a button under it), else the upcoming appointment whose confirmation
        request they received in the last days and have not answered yet."""
        self.ensure_one()
        Event = self.env["calendar.event"].sudo()
        now = fields.Datetime.now()
        origin = self.reply_to_id
        if origin and origin.model == "calendar.event":
            event = Event.browse(origin.res_id).exists()
            return event if event and event.active and event.start > now else Event
        if not self.partner_id:
            return Event
        requests = self.sudo().search(
            [
                ("direction", "=", "out"),
                ("model", "=", "calendar.event"),
                ("partner_id", "=", self.partner_id.id),
                ("state", "in", ("sent", "delivered", "read")),
                ("sent_date", ">=", now - REPLY_WINDOW),
                ("template_id.button_ids.payload", "=ilike", "dwa:confirm"),
            ],
            order="sent_date desc",
        )
        for request in requests:
            event = Event.browse(request.res_id).exists()
            if (
                event
                and event.active
                and event.start > now
                and event.wa_confirmation_state in ("to_confirm", "no_answer")
            ):
                return event
        return Event

    @api.model
    def _wa_format_value(self, value, field, record, partner=None):
        """An appointment's time as the patient reads it: "martedì 24 novembre alle
        09:30", in the practice's time zone, through Odoo's own date formatting."""
        if field.type == "datetime" and value and record._name == "calendar.event":
            partner = partner or record.patient_id
            lang = partner._wa_lang() if partner else self.env.lang or "en_US"
            pattern = APPOINTMENT_TIME_FORMATS.get(
                lang.split("_")[0], APPOINTMENT_TIME_FORMATS["en"]
            )
            tz = self._wa_practice_tz(record._wa_company())
            return tools.format_datetime(
                self.env, value, tz=tz.zone, dt_format=pattern, lang_code=lang
            )
        return super()._wa_format_value(value, field, record, partner=partner)
