from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..const import ESSENTIAL_CATEGORIES, GROUP_RECEPTION
from ..tools import keywords, send_policy, text_checks
from ..tools.dates import aware

# Refusals that timing cannot cure: a queued message meeting one is not sent.
FINAL_REFUSALS = frozenset(
    {
        send_policy.NO_NUMBER,
        send_policy.NO_CONSENT,
        send_policy.OPTED_OUT,
        send_policy.WINDOW_CLOSED,
        send_policy.TEMPLATE_NOT_USABLE,
        send_policy.CONTENT_BLOCKED,
    }
)


class DentalWhatsappPolicy(models.AbstractModel):
    """The send policy, asked by the message when it is queued, by the outbox right
    before it leaves and by the composer for its preview: one answer for all three.
    The rules themselves are pure (tools/send_policy.py, tools/text_checks.py); this
    model feeds them the patient, the practice and the clock."""

    _name = "dental.whatsapp.policy"
    _description = "WhatsApp Send Policy"

    @api.model
    def _wa_check_sender(self):
        """Sending is for the dental groups, checked here for every path (buttons,
        RPC, bulk actions); the module's own jobs and listeners run as superuser."""
        if not self.env.su and not self.env.user.has_group(GROUP_RECEPTION):
            raise AccessError(
                _("Only the practice's staff (Dental WhatsApp groups) can send WhatsApp messages.")
            )

    @api.model
    def _wa_decide(
        self,
        partner,
        *,
        category,
        template,
        text,
        not_before=None,
        company=None,
        now=None,
        service_reply=False,
        content_blocks=(),
        immediate=False,
    ):
        """(decision, recipient): whether and when a message may go to ``partner``.
        ``immediate``: the acknowledgement to a patient who has just written, the one
        message that does not wait for the opening hours."""
        recipient = partner._wa_recipient()
        now = aware(now or fields.Datetime.now())
        company = company or self.env.company
        intervals = (
            None
            if immediate
            else company._wa_opening_intervals(max(now, aware(not_before)) if not_before else now)
        )
        decision = send_policy.decide(
            now=now,
            has_number=bool(recipient._wa_address()),
            has_consent=service_reply or partner._wa_has_consent(category),
            opted_out=partner.wa_opt_out or recipient.wa_opt_out,
            essential=category in ESSENTIAL_CATEGORIES,
            is_template=bool(template),
            template_usable=bool(template) and template._is_usable(),
            last_inbound=aware(recipient.wa_last_inbound_date),
            opening_intervals=intervals,
            not_before=aware(not_before),
            content_blocks=content_blocks,
        )
        return decision, recipient

    @api.model
    def _wa_final_refusals(self, decision):
        return [code for code in decision.refusals if code in FINAL_REFUSALS]

    @api.model
    def _wa_check_text(self, text):
        """Server-side checks on staff free text: (blocking findings, warnings).

        Ambiguous emoji and clinical advice (drugs, dosages, diagnoses) are refused: they
        belong in a template a dentist approved. Personal content is sent but flagged for
        a dentist, because such words can also be names ("Bella")."""
        blocks = [f for f in text_checks.check_emoji(text) if f.reason == text_checks.AMBIGUOUS]
        blocks += text_checks.find_clinical_advice(text)
        return blocks, text_checks.find_personal_content(text)

    @api.model
    def _wa_refusal_words(self, refusals, partner, findings=()):
        """Why a message is refused, in words for the person who wanted to send it."""
        words = {
            send_policy.NO_NUMBER: _(
                "%s has no WhatsApp number.", partner._wa_recipient().display_name
            ),
            send_policy.NO_CONSENT: _(
                "%s has not consented to this kind of message.", partner.display_name
            ),
            send_policy.OPTED_OUT: _(
                "%s asked to stop non-essential WhatsApp messages.", partner.display_name
            ),
            send_policy.WINDOW_CLOSED: _(
                "the patient has not written in the last 24 hours: free text is not allowed, "
                "use an approved template."
            ),
            send_policy.TEMPLATE_NOT_USABLE: _(
                "the template is not approved both by the practice and by Meta."
            ),
            send_policy.NO_OPENING: _("the practice has no opening hours in the next three weeks."),
            send_policy.CONTENT_BLOCKED: _(
                "the text contains %s: ambiguous emoji and clinical advice (medicines, doses, "
                "diagnoses) must not be sent as free text; use a template a dentist approved.",
                ", ".join(f"«{f.match}»" for f in findings),
            ),
        }
        return " ".join(words.get(code, code) for code in refusals)

    @api.model
    def _wa_opt_out_words(self):
        """The opt-out keywords the practice configured, else the defaults."""
        config = (
            self.env["ir.config_parameter"].sudo().get_param("dental_whatsapp.opt_out_keywords")
        )
        return keywords.parse_keywords(config) if config else keywords.DEFAULT_OPT_OUT_KEYWORDS

    @api.model
    def _wa_is_opt_out(self, item):
        """Whether an inbound message asks to stop. A pressed button is not typed text:
        its title ("Cancella") opts out only when the button itself is an opt-out button
        (payload STOP)."""
        if not item.text or item.type not in ("text", "button", "interactive"):
            return False
        return keywords.is_opt_out(item.payload or item.text, self._wa_opt_out_words())
