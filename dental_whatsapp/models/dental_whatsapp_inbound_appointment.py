"""The care features' listener on the inbound pipeline: patients' answers to appointment
reminders, the free times they choose, post-operative check-ins, therapy reminders and
recall invitations."""

from odoo import fields, models

from ..const import (
    CHECKIN_OK,
    CHECKIN_PROBLEM,
    RECALL_BOOK,
    RECALL_LATER,
    REPLY_WINDOW,
    SLOT_CALL_PAYLOAD,
    SLOT_PAYLOAD,
    TEMPLATE_CHECKIN,
)

# A recall whose invitation can still be answered.
_RECALL_ANSWERABLE = ("invited", "reminded", "answered")


class DentalWhatsappInbound(models.AbstractModel):
    _inherit = "dental.whatsapp.inbound"

    def _wa_on_inbound(self, message, item, opt_out=False):
        handled = super()._wa_on_inbound(message, item, opt_out=opt_out)
        if handled or item.type not in ("text", "button", "interactive"):
            return handled
        picked = (item.payload or "").startswith((SLOT_PAYLOAD + ":", SLOT_CALL_PAYLOAD + ":"))
        if (picked and self.env["dental.whatsapp.slot.offer"]._wa_picked(message, item)) or (
            self.env["dental.whatsapp.therapy"]._wa_answered(message, item, opt_out)
        ):
            return True
        if item.payload in (CHECKIN_OK, CHECKIN_PROBLEM):
            event = self._wa_checkin_answered(message)
            if event:
                return event._wa_apply_checkin_answer(message, item.payload)
        recall = self._wa_recall_answered(message)
        if recall and item.payload in (RECALL_BOOK, RECALL_LATER):
            return recall._wa_apply_answer(message, item)
        event = self._wa_appointment_answered(message)
        if event:
            return event._wa_apply_patient_reply(message, item, opt_out=opt_out)
        if recall and not opt_out:  # STOP keeps working as it does
            # Written words: reception books the visit, and the desk still shows them.
            recall._wa_apply_answer(message, item)
        return handled

    def _wa_checkin_answered(self, message):
        """The appointment whose check-in this button answers: the one replied to, else
        the last check-in sent to the patient in the last days."""
        Event = self.env["calendar.event"].sudo()
        origin = message.reply_to_id
        if not (origin and origin.template_id.name == TEMPLATE_CHECKIN) and message.partner_id:
            origin = message.sudo().search(
                [
                    ("direction", "=", "out"),
                    ("partner_id", "=", message.partner_id.id),
                    ("template_id.name", "=", TEMPLATE_CHECKIN),
                    ("state", "in", ("sent", "delivered", "read")),
                    ("sent_date", ">=", fields.Datetime.now() - REPLY_WINDOW),
                ],
                order="sent_date desc",
                limit=1,
            )
        if origin and origin.model == "calendar.event":
            return Event.browse(origin.res_id).exists()
        return Event

    def _wa_appointment_answered(self, message):
        """The appointment this inbound message answers: the one the patient replied to
        (quoted or a button under it), else the upcoming appointment whose confirmation
        request they received in the last days and have not answered yet."""
        Event = self.env["calendar.event"].sudo()
        now = fields.Datetime.now()
        origin = message.reply_to_id
        if origin and origin.model == "calendar.event":
            event = Event.browse(origin.res_id).exists()
            return event if event and event.active and event.start > now else Event
        if not message.partner_id:
            return Event
        requests = message.sudo().search(
            [
                ("direction", "=", "out"),
                ("model", "=", "calendar.event"),
                ("partner_id", "=", message.partner_id.id),
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

    # ------------------------------------------------------------------ recall
    def _wa_recall_answered(self, message):
        """The recall this inbound message answers: the one whose invitation the patient
        replied to (quoted, or a button under it), else the one whose invitation they
        received in the last days."""
        Recall = self.env["dental.whatsapp.recall"].sudo()
        origin = message.reply_to_id
        if origin and origin.model == Recall._name:
            recall = Recall.browse(origin.res_id).exists()
            return recall if recall.state in _RECALL_ANSWERABLE else Recall
        if not message.partner_id:
            return Recall
        invitations = message.sudo().search(
            [
                ("direction", "=", "out"),
                ("model", "=", Recall._name),
                ("partner_id", "=", message.partner_id.id),
                ("state", "in", ("sent", "delivered", "read")),
                ("sent_date", ">=", fields.Datetime.now() - REPLY_WINDOW),
            ],
            order="sent_date desc",
        )
        for invitation in invitations:
            recall = Recall.browse(invitation.res_id).exists()
            if recall.state in _RECALL_ANSWERABLE:
                return recall
        return Recall
