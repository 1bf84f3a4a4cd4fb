from odoo import http
from odoo.http import request


class DentalWhatsappTeam(http.Controller):
    @http.route("/dental_whatsapp/team/notices", type="json", auth="user")
    def dental_whatsapp_team_notices(self):
        """The WhatsApp inbox's banner: the practice's current service notices (empty
        outside the dental groups)."""
        return {"html": request.env["dental.whatsapp.notice"]._wa_banner_html()}
