from textwrap import shorten as _shorten

from markupsafe import Markup, escape
from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import html2plaintext

from ..const import GROUP_MANAGER, GROUP_RECEPTION


def _quote(text):
    """Plain ``text`` as HTML, each line escaped, the line breaks kept."""
    return Markup("<br/>").join(escape(line) for line in (text or "").strip().splitlines())


def shorten(text, width):
    """``text`` on one line, cut at a word to ``width`` characters."""
    return _shorten(text or "", width, placeholder="…")


class DentalWhatsappConsult(models.Model):
    """A question asked to colleagues in Discuss about a patient (a photo they sent, an
    X-ray), so that the answers go back to the patient's conversation, or their record,
    as internal notes: never to the patient."""

    _name = "dental.whatsapp.consult"
    _description = "Question to a Colleague"
    _order = "id desc"

    name = fields.Char(compute="_compute_name")
    question = fields.Text(required=True, readonly=True)
    user_id = fields.Many2one("res.users", "Asked By", required=True, readonly=True)
    destination = fields.Selection(
        [("team", "The Team Channel"), ("dentist", "A Dentist")],
        required=True,
        readonly=True,
    )
    dentist_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    channel_id = fields.Many2one("discuss.channel", "Asked In", readonly=True, index=True)
    # A direct chat is its two members' only: the others see where, not what.
    channel_name = fields.Char("Discussion", compute="_compute_channel", compute_sudo=False)
    can_open_channel = fields.Boolean(compute="_compute_channel", compute_sudo=False)
    message_id = fields.Many2one(
        "mail.message", "Question Posted", readonly=True, index=True, ondelete="set null"
    )
    conversation_id = fields.Many2one("dental.whatsapp.conversation", readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", "Patient", readonly=True, index=True)
    wa_message_id = fields.Many2one(
        "dental.whatsapp.message", "About the Message", readonly=True, ondelete="set null"
    )
    attachment_count = fields.Integer("Files Shared", readonly=True)
    state = fields.Selection(
        [("asked", "Asked"), ("answered", "Answered"), ("closed", "Closed")],
        default="asked",
        required=True,
        readonly=True,
        index=True,
        help="Asked: waiting for an answer. Answered: an answer went to the patient's "
        "conversation; more answers still do. Closed: answers are no longer routed.",
    )
    answer_count = fields.Integer("Answers", readonly=True)
    answered_by_id = fields.Many2one("res.partner", "Last Answer By", readonly=True)
    answered_date = fields.Datetime("Last Answer On", readonly=True)
    answer_message_id = fields.Many2one(
        "mail.message", "Last Answer", readonly=True, ondelete="set null"
    )
    note_message_id = fields.Many2one(
        "mail.message", "Last Note", readonly=True, ondelete="set null"
    )

    @api.depends("question")
    def _compute_name(self):
        for consult in self:
            consult.name = shorten(consult.question or "", 60)

    @api.depends("channel_id", "destination", "dentist_id", "user_id")
    @api.depends_context("uid")
    def _compute_channel(self):
        for consult in self:
            channel = consult.channel_id.sudo()
            consult.channel_name = (
                channel.name
                if consult.destination == "team"
                else _(
                    "Direct chat: %(asker)s and %(dentist)s",
                    asker=consult.user_id.sudo().name,
                    dentist=consult.dentist_id.sudo().name,
                )
            )
            consult.can_open_channel = bool(channel) and (
                channel.channel_type == "channel"
                or self.env.user.partner_id in channel.channel_member_ids.partner_id
            )

    # ------------------------------------------------------------------ answers
    @api.model
    def _wa_route_answer(self, channel, message):
        """If ``message``, just posted in ``channel``, answers a question: note it on the
        patient's conversation (or record). An answer replies to the question (Discuss's
        *Reply*, or a thread started on it); in a direct chat, any message of the
        dentist after the question while it is open."""
        author = message.author_id
        if not author:
            return self
        open_consults = self.sudo().search([("state", "!=", "closed")], limit=1)
        if not open_consults:
            return self
        consult = self.browse()
        if message.parent_id:
            consult = self.sudo().search(
                [("message_id", "=", message.parent_id.id), ("state", "!=", "closed")], limit=1
            )
        if not consult and channel.parent_channel_id and channel.from_message_id:
            consult = self.sudo().search(
                [("message_id", "=", channel.from_message_id.id), ("state", "!=", "closed")],
                limit=1,
            )
        if not consult and channel.channel_type == "chat":
            consult = self.sudo().search(
                [
                    ("channel_id", "=", channel.id),
                    ("state", "!=", "closed"),
                    ("message_id", "<", message.id),
                    ("dentist_id.partner_id", "=", author.id),
                ],
                order="id desc",
                limit=1,
            )
        if not consult or author == consult.user_id.partner_id:
            return self.browse()
        consult._wa_note_answer(message)
        return consult

    def _wa_note_answer(self, message):
        """The answer, quoted, as an internal note on the conversation (or the patient),
        with the files the colleague attached."""
        self.ensure_one()
        target = self.conversation_id or self.partner_id
        if not target:
            return
        where = _("in the team channel") if self.destination == "team" else _("in a direct chat")
        intro = _(
            "%(name)s answered %(where)s the question “%(question)s”:",
            name=message.author_id.name,
            where=where,
            question=shorten(self.question, 120),
        )
        body = Markup("<p>%s</p><blockquote>%s</blockquote><p><small>%s</small></p>") % (
            intro,
            _quote(html2plaintext(message.body or "")),
            _("An internal note: the patient does not see it."),
        )
        copies = self.env["ir.attachment"].sudo()
        for attachment in message.attachment_ids.sudo():
            copies |= attachment.copy({"res_model": target._name, "res_id": target.id})
        note = (
            target.sudo()
            .with_context(
                wa_internal_post=True, mail_create_nosubscribe=True, mail_post_autofollow=False
            )
            .message_post(
                body=body,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                author_id=message.author_id.id,
                attachment_ids=copies.ids,
            )
        )
        self.sudo().write(
            {
                "state": "answered",
                "answer_count": self.answer_count + 1,
                "answered_by_id": message.author_id.id,
                "answered_date": fields.Datetime.now(),
                "answer_message_id": message.id,
                "note_message_id": note.id,
            }
        )

    # ------------------------------------------------------------------ buttons
    def action_close(self):
        """No more answers are routed (the asker, or a manager)."""
        for consult in self:
            if consult.user_id != self.env.user and not self.env.user.has_group(GROUP_MANAGER):
                raise AccessError(
                    _("Only who asked the question, or a WhatsApp manager, can close it.")
                )
        self.check_access("read")
        self.sudo().write({"state": "closed"})
        return True

    def action_open_channel(self):
        self.ensure_one()
        if not self.env.user.has_group(GROUP_RECEPTION):
            raise AccessError(_("Only the practice's staff can open the team's questions."))
        return {
            "type": "ir.actions.client",
            "tag": "mail.action_discuss",
            "params": {
                "active_id": f"discuss.channel_{self.channel_id.id}",
                "highlight_message_id": self.message_id.id,
            },
        }
