"""The practice's team channel in Discuss: what a staff WhatsApp group did (service news,
a colleague's opinion on a photo), kept inside Odoo where patients' health data belongs.

Its members are the internal users of the dental groups who work for the practice, and
nobody else: membership follows the groups (users created, written, archived; groups
written), and the channel is restricted to the reception group so other employees can
neither read nor join it.
"""

from odoo import _, api, models
from odoo.addons.base.models.res_users import is_boolean_group, is_selection_groups
from odoo.exceptions import AccessError

from ..const import GROUP_RECEPTION

# What, written on a user, may change whether they belong to a practice's team.
TEAM_USER_FIELDS = frozenset({"groups_id", "active", "company_ids", "share"})


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        self.env["res.company"]._wa_sync_team_channels()
        return users

    def write(self, vals):
        result = super().write(vals)
        if TEAM_USER_FIELDS & set(vals) or any(
            is_boolean_group(key) or is_selection_groups(key) for key in vals
        ):
            self.env["res.company"]._wa_sync_team_channels()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["res.company"]._wa_sync_team_channels()
        return result


class ResGroups(models.Model):
    _inherit = "res.groups"

    def write(self, vals):
        result = super().write(vals)
        if {"users", "implied_ids"} & set(vals):
            reception = self.env.ref(GROUP_RECEPTION, raise_if_not_found=False)
            if reception and reception in (self | self.trans_implied_ids):
                self.env["res.company"]._wa_sync_team_channels()
        return result


class DiscussChannel(models.Model):
    _inherit = "discuss.channel"

    def _wa_team_company(self):
        """The practice whose team channel this is (or whose thread it is), if any."""
        self.ensure_one()
        channel = self.parent_channel_id or self
        return self.env["res.company"].sudo().search([("wa_team_channel_id", "=", channel.id)])

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "comment" and not self.env.context.get("wa_consult_post"):
            # A colleague's answer to a question asked from a patient's record goes back
            # to the patient's conversation, as an internal note.
            self.env["dental.whatsapp.consult"].sudo()._wa_route_answer(self, message)
        return result


class DiscussChannelMember(models.Model):
    _inherit = "discuss.channel.member"

    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        members._check_wa_team_member()
        return members

    def _check_wa_team_member(self):
        """Nobody outside the practice's dental staff joins its team channel (invited by
        a colleague included): it carries patients' photos and questions."""
        Company = self.env["res.company"].sudo()
        teams = Company.search([("wa_team_channel_id", "in", self.sudo().channel_id.ids)])
        for company in teams:
            channel = company.wa_team_channel_id
            members = self.sudo().filtered(lambda m, c=channel: m.channel_id == c)
            staff = company._wa_team_members().partner_id
            if any(m.guest_id or m.partner_id not in staff for m in members):
                raise AccessError(
                    _(
                        "Only the practice's staff (Dental WhatsApp groups) can join the "
                        "team channel: it carries patients' health data."
                    )
                )
