"""The WhatsApp Cloud API (Graph API) client: a plain class, one method does HTTP.

Imports no Odoo: the models build it from an account (``_get_client``) and the tests
point it at the local simulator.
"""

import logging
from dataclasses import dataclass, field

import requests

from .errors import PERMANENT, WhatsAppApiError
from .payloads import (
    build_media,
    build_read_receipt,
    build_reply_buttons,
    build_template,
    build_text,
    template_components,
)

_logger = logging.getLogger(__name__)

__all__ = ["CloudApiClient", "SendResult", "template_components"]

MAX_TEMPLATE_PAGES = 50


@dataclass(frozen=True)
class SendResult:
    message_id: str
    wa_id: str | None = None
    input: str | None = None
    raw: dict = field(default_factory=dict, compare=False)

    @classmethod
    def from_response(cls, body):
        try:
            message_id = body["messages"][0]["id"]
        except (KeyError, IndexError, TypeError) as error:
            raise WhatsAppApiError("The WhatsApp API accepted the request but returned no "
                                   "message id", kind=PERMANENT) from error
        contact = (body.get("contacts") or [{}])[0]
        return cls(message_id, contact.get("wa_id"), contact.get("input"), body)


class CloudApiClient:
    def __init__(self, access_token, phone_number_id, waba_id=None, *,
                 base_url="https://graph.facebook.com", api_version="v23.0", timeout=10,
                 session=None):
        if not timeout:
            raise ValueError("A timeout is required: the client never waits forever")
        self.access_token = access_token
        self.phone_number_id = phone_number_id
        self.waba_id = waba_id
        self.base_url = base_url.rstrip("/")
        self.api_version = api_version
        self.timeout = timeout
        self.session = session or requests.Session()

    def __repr__(self):  # never show the token
        return f"<CloudApiClient {self.base_url} {self.phone_number_id}>"

    # ------------------------------------------------------------------ HTTP
    def _request(self, method, path=None, *, json=None, data=None, files=None, params=None,
                 url=None, raw=False):
        """The only method that talks HTTP."""
        target = url or f"{self.base_url}/{self.api_version}/{path}"
        try:
            response = self.session.request(
                method, target, json=json, data=data, files=files, params=params,
                headers={"Authorization": f"Bearer {self.access_token}"},
                timeout=self.timeout,
            )
        except (requests.Timeout, requests.ConnectionError) as error:
            raise WhatsAppApiError.from_exception(error) from error
        if not response.ok:
            try:
                body = response.json()
            except ValueError:
                body = None
            raise WhatsAppApiError.from_response(
                response.status_code, body, response.text,
                retry_after=response.headers.get("Retry-After"),
            )
        if raw:
            return response.content
        try:
            return response.json()
        except ValueError as error:
            raise WhatsAppApiError.from_response(response.status_code, None, response.text) \
                from error

    def _need_waba(self):
        if not self.waba_id:
            raise ValueError("This operation needs the WhatsApp Business Account id (waba_id)")
        return self.waba_id

    # ------------------------------------------------------------------ messages
    def send(self, payload):
        return SendResult.from_response(
            self._request("POST", f"{self.phone_number_id}/messages", json=payload)
        )

    def send_text(self, to, body, preview_url=False, reply_to=None):
        return self.send(build_text(to, body, preview_url, reply_to))

    def send_template(self, to, name, language_code, components=None, reply_to=None):
        return self.send(build_template(to, name, language_code, components, reply_to))

    def send_reply_buttons(self, to, body, buttons, header=None, footer=None, reply_to=None):
        return self.send(build_reply_buttons(to, body, buttons, header, footer, reply_to))

    def send_media(self, to, media_type, media_id=None, link=None, caption=None, filename=None,
                   reply_to=None):
        return self.send(build_media(to, media_type, media_id, link, caption, filename, reply_to))

    def mark_as_read(self, message_id):
        body = self._request("POST", f"{self.phone_number_id}/messages",
                             json=build_read_receipt(message_id))
        return bool(body.get("success"))

    # ------------------------------------------------------------------ media
    def upload_media(self, content, mimetype, filename):
        body = self._request(
            "POST", f"{self.phone_number_id}/media",
            data={"messaging_product": "whatsapp", "type": mimetype},
            files={"file": (filename, content, mimetype)},
        )
        return body["id"]

    def get_media(self, media_id):
        return self._request("GET", str(media_id))

    def download_media(self, url):
        return self._request("GET", url=url, raw=True)

    def delete_media(self, media_id):
        return bool(self._request("DELETE", str(media_id)).get("success"))

    # ------------------------------------------------------------------ templates
    def list_templates(self, limit=100):
        templates = []
        body = self._request("GET", f"{self._need_waba()}/message_templates",
                             params={"limit": limit})
        for _page in range(MAX_TEMPLATE_PAGES):
            templates.extend(body.get("data") or [])
            next_url = (body.get("paging") or {}).get("next")
            if not next_url:
                break
            body = self._request("GET", url=next_url)
        return templates

    def create_template(self, name, language, category, components, allow_category_change=True):
        return self._request(
            "POST", f"{self._need_waba()}/message_templates",
            json={"name": name, "language": language, "category": category,
                  "components": components, "allow_category_change": allow_category_change},
        )

    # ------------------------------------------------------------------ number
    def get_phone_number(self):
        return self._request(
            "GET", str(self.phone_number_id),
            params={"fields": "display_phone_number,verified_name,quality_rating,"
                              "code_verification_status"},
        )
