"""Request bodies of the Cloud API's POST /{phone-number-id}/messages, as Meta documents
them (checked against Meta's own examples in the tests)."""

MEDIA_TYPES = ("image", "document", "audio", "video", "sticker")
MAX_REPLY_BUTTONS = 3
MAX_BUTTON_TITLE = 20


def _message(to, kind, content, reply_to=None):
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": str(to).replace(" ", ""),
        "type": kind,
        kind: content,
    }
    if reply_to:
        payload["context"] = {"message_id": reply_to}
    return payload


def build_text(to, body, preview_url=False, reply_to=None):
    return _message(to, "text", {"body": body, "preview_url": bool(preview_url)}, reply_to)


def _parameter(value):
    return {"type": "text", "text": value} if isinstance(value, str) else value


def template_components(header=None, body=None, buttons=None):
    """Components of a template message: header (a text, or a dict for a document or image
    by ``id``/``link``), body parameters (str or Meta parameter dicts), quick-reply button
    payloads (str) or button dicts. Empty parts are left out."""
    components = []
    if isinstance(header, str):
        components.append({"type": "header", "parameters": [_parameter(header)]})
    elif isinstance(header, dict):
        kind = header.get("type", "document")
        media = {k: v for k, v in header.items() if k in ("id", "link", "filename", "caption")}
        components.append({"type": "header", "parameters": [{"type": kind, kind: media}]})
    if body:
        components.append({"type": "body", "parameters": [_parameter(v) for v in body]})
    for index, button in enumerate(buttons or ()):
        if isinstance(button, dict):
            components.append(button)
        else:
            components.append({
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(index),
                "parameters": [{"type": "payload", "payload": button}],
            })
    return components


def build_template(to, name, language_code, components=None, reply_to=None):
    template = {"name": name, "language": {"code": language_code}}
    if components:
        template["components"] = components
    return _message(to, "template", template, reply_to)


def build_reply_buttons(to, body, buttons, header=None, footer=None, reply_to=None):
    buttons = list(buttons)
    if not 1 <= len(buttons) <= MAX_REPLY_BUTTONS:
        raise ValueError(f"WhatsApp allows 1 to {MAX_REPLY_BUTTONS} reply buttons")
    for _id, title in buttons:
        if len(title) > MAX_BUTTON_TITLE:
            raise ValueError(f"Button title {title!r} is longer than {MAX_BUTTON_TITLE} characters")
    interactive = {
        "type": "button",
        "body": {"text": body},
        "action": {"buttons": [{"type": "reply", "reply": {"id": i, "title": t}} for i, t in buttons]},
    }
    if header:
        interactive["header"] = {"type": "text", "text": header}
    if footer:
        interactive["footer"] = {"text": footer}
    return _message(to, "interactive", interactive, reply_to)


def build_media(to, media_type, media_id=None, link=None, caption=None, filename=None,
                reply_to=None):
    if media_type not in MEDIA_TYPES:
        raise ValueError(f"Unknown media type {media_type!r}")
    if bool(media_id) == bool(link):
        raise ValueError("Give exactly one of media_id and link")
    media = {"id": media_id} if media_id else {"link": link}
    if caption and media_type in ("image", "document", "video"):
        media["caption"] = caption
    if filename and media_type == "document":
        media["filename"] = filename
    return _message(to, media_type, media, reply_to)


def build_read_receipt(message_id):
    return {"messaging_product": "whatsapp", "status": "read", "message_id": message_id}
