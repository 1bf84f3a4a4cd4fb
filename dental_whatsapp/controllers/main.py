import hmac
import json
import logging

from odoo import http
from odoo.http import request
from werkzeug.exceptions import Forbidden

from ..tools.webhook import WebhookFormatError, parse_payload, verify_signature

_logger = logging.getLogger(__name__)


class DentalWhatsappWebhook(http.Controller):
    _webhook_url = "/dental_whatsapp/webhook"

    @http.route(
        _webhook_url, type="http", methods=["GET"], auth="public", csrf=False, save_session=False
    )
    def dental_whatsapp_verify(self, **params):
        """Meta's subscription handshake: echo the challenge when the token is ours."""
        token = params.get("hub.verify_token") or ""
        if params.get("hub.mode") != "subscribe" or not token:
            raise Forbidden()
        accounts = request.env["dental.whatsapp.account"].sudo().search([])
        if not any(a.verify_token and hmac.compare_digest(a.verify_token, token) for a in accounts):
            _logger.warning("WhatsApp webhook handshake with an unknown verify token")
            raise Forbidden()
        return request.make_response(
            params.get("hub.challenge", ""), headers=[("Content-Type", "text/plain")]
        )

    @http.route(
        _webhook_url, type="http", methods=["POST"], auth="public", csrf=False, save_session=False
    )
    def dental_whatsapp_receive(self):
        """Verify, store, answer: processing happens after the response (see the event
        model), so Meta gets its 200 fast and retries create nothing twice."""
        raw = request.httprequest.get_data(cache=False)
        account = self._dental_whatsapp_account_for(
            raw, request.httprequest.headers.get("X-Hub-Signature-256")
        )
        try:
            payload = json.loads(raw)
            parse_payload(payload)
        except (ValueError, WebhookFormatError) as error:
            _logger.warning("Signed WhatsApp webhook body that is not Meta's shape: %s", error)
            return request.make_response(
                "malformed body", status=400, headers=[("Content-Type", "text/plain")]
            )
        request.env["dental.whatsapp.event"].sudo()._wa_store(account, raw)
        return request.make_response("OK", headers=[("Content-Type", "text/plain")])

    def _dental_whatsapp_account_for(self, raw, signature):
        """The account whose app secret signed ``raw``, or 403 (nothing stored)."""
        if not signature:
            _logger.warning("WhatsApp webhook without X-Hub-Signature-256 refused")
            raise Forbidden()
        accounts = request.env["dental.whatsapp.account"].sudo().search([])
        for account in accounts:
            if account.app_secret and verify_signature(account.app_secret, raw, signature):
                return account
        _logger.warning("WhatsApp webhook with a signature that matches no account refused")
        raise Forbidden()
