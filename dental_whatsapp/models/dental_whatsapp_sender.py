from odoo import _, models, tools
from odoo.exceptions import AccessError, UserError

from ..const import APPOINTMENT_TIME_FORMATS, GROUP_MANAGER


class DentalWhatsappSenderMixin(models.AbstractModel):
    """What every record the practice writes to a patient from shares (appointments,
    invoices, the patient): whose practice and patient it is, how its dates read, and
    the one way to queue a shipped template for it."""

    _name = "dental.whatsapp.sender.mixin"
    _description = "Record Sending WhatsApp Templates"

    def _wa_company(self):
        """The practice this record belongs to."""
        self.ensure_one()
        return self.company_id or self.env.company

    def _wa_patient(self):
        """Who the record's messages are for (their language, their consent)."""
        self.ensure_one()
        return self.partner_id

    def _wa_format_datetime(self, value, lang):
        """A date and time of this record as people read it, "martedì 24 novembre alle
        09:30", in the practice's time zone and ``lang`` (the patient's in a message,
        the user's in a notice), through Odoo's own date formatting."""
        pattern = APPOINTMENT_TIME_FORMATS.get(lang.split("_")[0], APPOINTMENT_TIME_FORMATS["en"])
        tz = self._wa_company()._wa_practice_tz()
        return tools.format_datetime(self.env, value, tz=tz.zone, dt_format=pattern, lang_code=lang)

    def _wa_send_template(
        self,
        template,
        *,
        partner=None,
        category=None,
        header_attachment=None,
        raise_on_refusal=True,
        immediate=False,
        service_reply=False,
    ):
        """Queue ``template`` (a record, or the name of a shipped template) for the patient
        in their language, through the account of the record's practice; return the
        message (or raise the refusal in words when ``raise_on_refusal``). ``immediate``:
        the module's answer to a patient who has just written (it leaves at once);
        ``service_reply``: an answer the patient asked for (their own booking), which
        needs no consent."""
        self.ensure_one()
        self.env["dental.whatsapp.policy"]._wa_check_sender()
        partner = partner or self._wa_patient()
        if not partner:
            raise UserError(
                _("Choose the patient of %s before sending WhatsApp.", self.display_name)
            )
        account = self.env["dental.whatsapp.account"]._wa_for_company(self._wa_company())
        found = self._wa_find_template(template, account, partner)
        return self.env["dental.whatsapp.message"]._wa_enqueue(
            partner,
            category=category or found.message_category,
            record=self,
            template=found,
            account=account,
            header_attachment=header_attachment if found.header_type == "document" else None,
            raise_on_refusal=raise_on_refusal,
            immediate=immediate,
            service_reply=service_reply,
        )

    def _wa_find_template(self, template, account, partner):
        """The usable template in the patient's language; else the given one (or any of
        that name), which the policy then refuses with the reason in words."""
        Template = self.env["dental.whatsapp.template"].sudo()
        name = template if isinstance(template, str) else template.name
        found = Template._find_for(account, name, partner)
        if not found and not isinstance(template, str):
            found = template
        if not found:
            found = Template.with_context(active_test=False).search([("name", "=", name)], limit=1)
        if not found:
            raise UserError(_("The WhatsApp template %s does not exist.", name))
        return found

    def _wa_notify(self, queued, refused, what=None, close=False):
        """The notification after a send button: how many were queued, how many not
        and where to read why (``close``: and close the dialog it came from)."""
        text = what or self._wa_count_words(queued, refused)
        params = {"message": text, "type": "warning" if refused else "success", "sticky": False}
        if close:
            params["next"] = {"type": "ir.actions.act_window_close"}
        return {"type": "ir.actions.client", "tag": "display_notification", "params": params}

    def _wa_count_words(self, queued, refused):
        """ "1 message queued" / "3 messages queued", in whole sentences a translator can
        get right (no "message(s)")."""
        if queued == 1:
            done = _("1 WhatsApp message queued.")
        else:
            done = _("%s WhatsApp messages queued.", queued)
        if not refused:
            return done
        if refused == 1:
            return done + " " + _("1 not sent: its document's chatter says why.")
        return done + " " + _("%s not sent: each document's chatter says why.", refused)

    def _wa_check_pause_rights(self):
        if not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(_("Only a WhatsApp manager can pause or resume payment reminders."))
