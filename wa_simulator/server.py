"""The HTTP server: routes Graph API, control API, media downloads and the phone page."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import control, graph
from .page import PHONE_PAGE
from .state import World
from .webhooks import Deliverer


class Simulator:
    def __init__(self, host="127.0.0.1", port=0, access_token="test-token",
                 app_secret="test-app-secret", phone_number_id="100000000000001",
                 waba_id="200000000000002", display_phone_number="390612345678",
                 webhook_url=None, verify_token=None, auto_deliver=True, delivery_delay=0.3,
                 template_review_delay=1.0, api_version="v23.0"):
        self.host, self.port = host, port
        self.access_token = access_token
        self.app_secret = app_secret
        self.phone_number_id = phone_number_id
        self.waba_id = waba_id
        self.display_phone_number = display_phone_number
        self.webhook_url = webhook_url
        self.verify_token = verify_token
        self.auto_deliver = auto_deliver
        self.delivery_delay = delivery_delay
        self.template_review_delay = template_review_delay
        self.api_version = api_version
        self.state = World()
        self.deliverer = Deliverer(self)
        self._server = None
        self._thread = None

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    def config(self):
        return {"url": self.url, "webhook_url": self.webhook_url,
                "phone_number_id": self.phone_number_id, "waba_id": self.waba_id,
                "display_phone_number": self.display_phone_number,
                "delivery_delay": self.delivery_delay, "mode": self.deliverer.mode}

    def start(self):
        handler = type("Handler", (_Handler,), {"sim": self})
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="wa-simulator")
        self._thread.start()
        return self

    def serve_forever(self):
        self.start()
        self._thread.join()

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class _Handler(BaseHTTPRequestHandler):
    sim: Simulator
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet: tests read state, not logs
        return

    def _send(self, status, content_type, payload):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _json(self, status, body):
        self._send(status, "application/json", json.dumps(body).encode())

    def _route(self, method):
        split = urlsplit(self.path)
        path, query = split.path.rstrip("/") or "/", dict(parse_qsl(split.query))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        sim = self.sim
        try:
            if path == "/" and method == "GET":
                return self._send(200, "text/html; charset=utf-8", PHONE_PAGE.encode())
            if path.startswith("/_sim/"):
                return self._json(200, control.handle(sim, method, path, query,
                                                      graph.parse_json(raw) if raw else {}))
            if path.startswith("/_media/"):
                graph.check_token(sim, self.headers)
                media = sim.state.media.get(path.rsplit("/", 1)[1])
                if not media:
                    raise graph.GraphError(404, 100, "media not found")
                return self._send(200, media["mime_type"], media["content"])
            return self._graph(method, path, query, raw)
        except graph.GraphError as error:
            return self._json(error.status, error.body())

    def _graph(self, method, path, query, raw):
        sim = self.sim
        parts = path.strip("/").split("/")
        if len(parts) < 2 or not parts[0].startswith("v"):
            raise graph.GraphError(404, 100, f"Unknown path {path}")
        graph.check_token(sim, self.headers)
        sim.state.requests.append((method, path))
        node, edge = parts[1], (parts[2] if len(parts) > 2 else None)
        operation = edge or "node"
        injected = graph.fault_response(sim, operation)
        if injected:
            return self._send(*injected)
        if node == sim.phone_number_id:
            if method == "POST" and edge == "messages":
                return self._json(200, graph.send_message(sim, graph.parse_json(raw)))
            if method == "POST" and edge == "media":
                return self._json(200, graph.upload_media(sim, self.headers, raw))
            if method == "GET" and edge is None:
                info = {"display_phone_number": sim.display_phone_number,
                        "verified_name": "Studio Dentistico Demo", "quality_rating": "GREEN",
                        "code_verification_status": "VERIFIED", "id": sim.phone_number_id}
                fields = query.get("fields")
                if fields:
                    info = {k: v for k, v in info.items() if k in fields.split(",") or k == "id"}
                return self._json(200, info)
        elif node == sim.waba_id and edge == "message_templates":
            if method == "GET":
                return self._json(200, graph.list_templates(sim, query))
            if method == "POST":
                return self._json(200, graph.create_template(sim, graph.parse_json(raw)))
            if method == "DELETE":
                with sim.state.lock:
                    for key in [k for k in sim.state.templates if k[0] == query.get("name")]:
                        del sim.state.templates[key]
                return self._json(200, {"success": True})
        elif edge is None and node in sim.state.media:
            if method == "GET":
                return self._json(200, graph.get_media(sim, node))
            if method == "DELETE":
                sim.state.media.pop(node, None)
                return self._json(200, {"success": True})
        elif node.isdigit() and edge is None and method == "GET":
            raise graph.GraphError(404, 100, "(#100) Unsupported get request: object does not exist")
        raise graph.GraphError(400, 100, f"(#100) Unsupported {method} request on {path}")

    def do_GET(self):  # noqa: N802 - http.server's naming
        self._route("GET")

    def do_POST(self):  # noqa: N802
        self._route("POST")

    def do_DELETE(self):  # noqa: N802
        self._route("DELETE")
