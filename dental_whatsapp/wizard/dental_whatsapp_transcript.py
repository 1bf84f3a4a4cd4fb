"""The evidence transcript of a conversation: what the dentist shows a lawyer.

Every message with its time (in the practice's time zone), direction, staff author,
content, media, delivery and read times, edits and deletions, and the SHA-256 chain
that seals them (tools/evidence.py); *Verify* recomputes the chain from the database.
Only dentists and managers print, export or verify, checked here on the server."""

import base64
import json

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..const import GROUP_DENTIST
from ..tools import evidence
from ..tools.dates import aware

ALGORITHM = (
    "seal = SHA-256(previous seal as 64 ASCII hex characters || canonical entry), the "
    "canonical entry being sorted-key compact JSON in UTF-8 with times as ISO UTC; the "
    "first message's previous seal is 64 zeros"
)


class DentalWhatsappTranscript(models.TransientModel):
    _name = "dental.whatsapp.transcript"
    _description = "WhatsApp Evidence Transcript"

    conversation_id = fields.Many2one("dental.whatsapp.conversation", required=True, readonly=True)
    verification = fields.Text(readonly=True)
    intact = fields.Boolean(readonly=True)
    json_file = fields.Binary("JSON Export", readonly=True, attachment=False)
    json_filename = fields.Char(readonly=True)

    @api.model
    def _check_transcript_rights(self):
        if not self.env.su and not self.env.user.has_group(GROUP_DENTIST):
            raise AccessError(
                _("Only dentists and managers can print, export or verify the evidence.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_transcript_rights()
        records = super().create(vals_list)
        for record in records:
            record.conversation_id.check_access("read")
        return records

    # ------------------------------------------------------------------ the data
    def _wa_messages(self):
        """The conversation's messages from the database, in the order of the chain
        (sealed first, by position; anything unsealed after, by id)."""
        self.ensure_one()
        self.env.invalidate_all()
        messages = self.conversation_id.sudo().wa_message_ids
        sealed = messages.filtered("evidence_hash").sorted("evidence_seq")
        return sealed, (messages - sealed).sorted("id")

    def _wa_local(self, value):
        if not value:
            return ""
        tz = self.conversation_id.company_id._wa_practice_tz()
        return aware(value).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S %Z")

    @staticmethod
    def _wa_utc(value):
        return evidence.iso_utc(value) if value else None

    def _wa_who(self, message):
        if message.direction == "in":
            return message.partner_id.display_name or message.number or ""
        if message.author_id and not message.author_id._is_public():
            return message.author_id.name
        return _("the practice (automatic)")

    def _wa_where(self, message):
        return {"time": self._wa_local(message._wa_evidence_time()), "who": self._wa_who(message)}

    def _wa_row(self, message):
        """One message as the transcript shows it (and the JSON exports it)."""
        files = message.header_attachment_id | message.attachment_ids
        media = message.media_meta or {}
        return {
            "seq": message.evidence_seq or None,
            "id": message.id,
            "time": self._wa_utc(message._wa_evidence_time()),
            "time_local": self._wa_local(message._wa_evidence_time()),
            "direction": message.direction,
            "direction_label": _("Received") if message.direction == "in" else _("Sent"),
            "author": self._wa_who(message),
            "number": message.number or "",
            "text": message.body or "",
            "template": message.template_id.name or None,
            "language": message.language or None,
            "media": [
                {"name": f.name, "mimetype": f.mimetype, "checksum_sha1": f.checksum} for f in files
            ],
            "meta_media_id": media.get("id"),
            "meta_media_sha256": media.get("sha256"),
            "state": message.state,
            "state_label": dict(message._fields["state"]._description_selection(self.env)).get(
                message.state, message.state
            ),
            "meta_message_id": message.meta_message_id or None,
            "sent": self._wa_utc(message.sent_date),
            "delivered": self._wa_utc(message.delivered_date),
            "delivered_local": self._wa_local(message.delivered_date),
            "read": self._wa_utc(message.read_date),
            "read_local": self._wa_local(message.read_date),
            "failed": self._wa_utc(message.failed_date),
            "error": message.error_message or None,
            "reply_to": message.reply_to_id.evidence_seq or None,
            "edit_of": message.edit_of_id.evidence_seq or None,
            "edit_of_text": message.edit_of_id.body if message.edit_of_id else None,
            "edited": self._wa_utc(message.edited_date),
            "edited_local": self._wa_local(message.edited_date),
            "edits": message.edit_ids.sorted("id").mapped(lambda m: m.evidence_seq or m.id),
            "revoked": self._wa_utc(message.revoked_date),
            "revoked_local": self._wa_local(message.revoked_date),
            "hash": message.evidence_hash or None,
            "prev_hash": message.evidence_prev_id.evidence_hash
            or (evidence.GENESIS if message.evidence_seq == 1 else None),
            "sealed_entry": json.loads(evidence.canonical(message._wa_evidence_entry()))
            if message.evidence_hash
            else None,
        }

    def _wa_verify(self, sealed=None, unsealed=None):
        """(intact, words): the chain recomputed from the database."""
        self.ensure_one()
        if sealed is None:
            sealed, unsealed = self._wa_messages()
        result = evidence.verify(
            [m._wa_evidence_entry() for m in sealed], sealed.mapped("evidence_hash")
        )
        problems = []
        if not result.intact:
            where = self._wa_where(sealed[result.first])
            if result.reason == "missing":
                problems.append(
                    _("A message is missing before the message of %(time)s from %(who)s.", **where)
                )
            elif result.reason == "order":
                problems.append(
                    _(
                        "The messages are not in the order they were sealed, from the "
                        "message of %(time)s from %(who)s.",
                        **where,
                    )
                )
            else:
                problems.append(
                    _("The message of %(time)s from %(who)s differs from its seal.", **where)
                )
            others = [i for i in result.tampered if i != result.first]
            if others:
                # Not nested in the outer _(): the extractor of translatable terms would
                # miss the inner one.
                where = [_("%(time)s from %(who)s", **self._wa_where(sealed[i])) for i in others]
                problems.append(_("Also differing: %s.", ", ".join(where)))
        for message in sealed.filtered(lambda m: not m._wa_media_intact()):
            problems.append(
                _(
                    "The file of the message of %(time)s from %(who)s is not the one "
                    "WhatsApp delivered.",
                    **self._wa_where(message),
                )
            )
        if unsealed:
            problems.append(_("%s messages of the conversation carry no seal.", len(unsealed)))
        if not problems:
            return True, _(
                "Intact: %(count)s messages, last hash %(hash)s.",
                count=result.count,
                hash=result.last_hash,
            )
        return False, " ".join(problems)

    def _wa_transcript(self):
        """Everything the PDF shows and the JSON holds."""
        self.ensure_one()
        self._check_transcript_rights()
        self.conversation_id.check_access("read")
        sealed, unsealed = self._wa_messages()
        conversation = self.conversation_id.sudo()
        rows = [self._wa_row(m) for m in sealed | unsealed]
        intact, words = self._wa_verify(sealed, unsealed)
        times = [m._wa_evidence_time() for m in sealed | unsealed if m._wa_evidence_time()]
        now = fields.Datetime.now()
        return {
            "practice": conversation.company_id.name,
            "patient": conversation.partner_id.display_name,
            "number": conversation.number or conversation.wa_user_id or "",
            "conversation_id": conversation.id,
            "period_from": self._wa_utc(min(times)) if times else None,
            "period_to": self._wa_utc(max(times)) if times else None,
            "period_from_local": self._wa_local(min(times)) if times else "",
            "period_to_local": self._wa_local(max(times)) if times else "",
            "time_zone": conversation.company_id._wa_practice_tz().zone,
            "generated": self._wa_utc(now),
            "generated_local": self._wa_local(now),
            "generated_by": self.env.user.name,
            "evidence_hold": bool(conversation.evidence_hold),
            "evidence_hold_since": self._wa_utc(conversation.evidence_hold_date),
            "algorithm": ALGORITHM,
            "genesis": evidence.GENESIS,
            "messages": rows,
            "last_hash": sealed[-1:].evidence_hash or evidence.GENESIS,
            "intact": intact,
            "verification": words,
        }

    # ------------------------------------------------------------------ buttons
    def _wa_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Evidence Transcript"),
        }

    def action_verify(self):
        self.ensure_one()
        self._check_transcript_rights()
        self.conversation_id.check_access("read")
        intact, words = self._wa_verify()
        self.write({"intact": intact, "verification": words})
        return self._wa_reopen()

    def action_print(self):
        self.ensure_one()
        self._check_transcript_rights()
        self.conversation_id.check_access("read")
        return self.env.ref("dental_whatsapp.action_report_wa_transcript").report_action(self)

    def action_export_json(self):
        self.ensure_one()
        data = self._wa_transcript()
        raw = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
        name = f"whatsapp-evidence-{self.conversation_id.id}-{data['generated'][:10]}.json"
        self.write(
            {
                "json_file": base64.b64encode(raw),
                "json_filename": name,
                "intact": data["intact"],
                "verification": data["verification"],
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/json_file/{name}?download=true",
            "target": "self",
        }
