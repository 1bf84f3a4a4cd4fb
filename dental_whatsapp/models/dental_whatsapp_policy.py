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
        send_policy.BLOCKED,
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
        dose_time=False,
    ):
        """(decision, recipient): whether and when a message may go to ``partner``.
        Every message waits for the practice's opening hours, with two exceptions:
        ``immediate``, the module's own answer to a patient who has just written (the
        acknowledgement, the free times they asked for, the booking they just chose); and
        ``dose_time``, a therapy reminder at the dose time the patient agreed to with the
        dentist (the plan keeps those inside the care hours, never at night, and withdraws
        a reminder that could not leave on time)."""
        recipient = partner._wa_recipient()
        now = aware(now or fields.Datetime.now())
        company = company or self.env.company
        intervals = (
            None
            if immediate or dose_time
            else company._wa_opening_intervals(max(now, aware(not_before)) if not_before else now)
        )
        decision = send_policy.decide(
            now=now,
            has_number=bool(recipient._wa_address()),
            has_consent=self._wa_marketing_consented(partner, template)
            if self._wa_is_marketing(template)
            else service_reply or partner._wa_has_consent(category),
            opted_out=partner.wa_opt_out or recipient.wa_opt_out,
            essential=category in ESSENTIAL_CATEGORIES and not self._wa_is_marketing(template),
            is_template=bool(template),
            template_usable=bool(template) and template._is_usable(),
            last_inbound=aware(recipient.wa_last_inbound_date),
            opening_intervals=intervals,
            not_before=aware(not_before),
            content_blocks=content_blocks,
            blocked=self._wa_is_blocked(partner, company),
        )
        return decision, recipient

    @api.model
    def _wa_is_marketing(self, template):
        """Whether Meta counts ``template`` as marketing (greetings, news)."""
        return bool(template) and template.meta_category == "MARKETING"

    @api.model
    def _wa_marketing_consented(self, partner, template):
        """A marketing template goes only to a patient who consented to greetings and
        news, whatever consent category the template names (and even as an answer to
        the patient); an opt-out stops it too (marketing is never essential)."""
        return not self._wa_is_marketing(template) or partner._wa_has_consent("greetings")

    @api.model
    def _wa_is_blocked(self, partner, company):
        """Whether the practice blocked ``partner`` (or the number they are reached
        on) on one of its WhatsApp numbers: then nothing is sent to them, not even an
        acknowledgement."""
        people = partner | partner._wa_recipient()
        return bool(
            self.env["dental.whatsapp.conversation"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "in", people.ids),
                    ("company_id", "=", company.id),
                    ("blocked", "=", True),
                ],
                limit=1,
            )
        )

    @api.model
    def _wa_final_refusals(self, decision):
        return [code for code in decision.refusals if code in FINAL_REFUSALS]

    @api.model
    def _wa_check_text(self, text):
        """Server-side checks on staff free text: (blocking findings, warnings).

        Ambiguous emoji, clinical advice (drugs, dosages, diagnoses: they belong in a
        template a dentist approved) and personal matters (politics, religion, football,
        chain messages) are refused. Personal content is sent but flagged for
        a dentist, because such words can also be names ("Bella")."""
        blocks = [f for f in text_checks.check_emoji(text) if f.reason == text_checks.AMBIGUOUS]
        blocks += text_checks.find_clinical_advice(text)
        blocks += text_checks.find_personal_matters(text)
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
            send_policy.BLOCKED: _(
                "a manager blocked %s on WhatsApp: nothing is sent to them.",
                partner.display_name,
            ),
        }
        if send_policy.CONTENT_BLOCKED in refusals:
            words[send_policy.CONTENT_BLOCKED] = self._wa_content_words(findings)
        return " ".join(words.get(code, code) for code in refusals)

    @api.model
    def _wa_content_words(self, findings):
        """What is wrong with the text, naming only the problems found, each with the
        words that showed it."""

        def quoted(kind, reason=None):
            return ", ".join(
                f"«{f.match}»"
                for f in findings
                if f.kind == kind and (reason is None or f.reason == reason)
            )

        parts = []
        if emoji := quoted("emoji"):
            parts.append(_("ambiguous emoji (%s): say it in words", emoji))
        if clinical := quoted("clinical"):
            parts.append(
                _(
                    "clinical advice (%s): medicines, doses and diagnoses are for the "
                    "dentist, or for a template a dentist approved",
                    clinical,
                )
            )
        topics = {
            "politics": _("politics"),
            "religion": _("religion"),
            "football": _("football"),
            "chain_letter": _("a chain message"),
        }
        matters = [
            f"{label} ({words})"
            for reason, label in topics.items()
            if (words := quoted("personal_matter", reason))
        ]
        if matters:
            parts.append(
                _(
                    "personal matters, %s: in the practice nobody has a football team, a "
                    "party or a religion",
                    ", ".join(matters),
                )
            )
        return _("the text contains %s.", "; ".join(parts))

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
