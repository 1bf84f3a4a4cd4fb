"""The simulator object and its HTTP server: routes the Graph API, media downloads, the
control API and the phone page."""

import ipaddress
import json
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import blocklist, control, graph, load
from .errors import ControlError, GraphError
from .page import phone_page
from .state import World
from .webhooks import Deliverer


class Simulator:
    """A local WhatsApp Cloud API. ``start()`` serves in a daemon thread; ``url`` is where."""

    def __init__(
        self,
        host="127.0.0.1",
        port=0,
        *,
        access_token="test-token",  # noqa: S107 - the simulator's test credentials
        app_secret="test-app-secret",  # noqa: S107
        phone_number_id="100000000000001",
        waba_id="200000000000002",
        display_phone_number="390612345678",
        webhook_url=None,
        auto_deliver=True,
        delivery_delay=0.3,
        template_review_delay=1.0,
        verify_token=None,
        api_version="v23.0",
        log_requests=False,
        answer_latency=0.0,
        answer_jitter=0.0,
        rate_limit=0,
    ):
        self.host = host
        self.port = port
        self.access_token = access_token
        self.app_secret = app_secret
        self.phone_number_id = str(phone_number_id)
        self.waba_id = str(waba_id)
        self.display_phone_number = str(display_phone_number)
        self.webhook_url = webhook_url
        # Sent as the Cookie header of every webhook delivery: a test server that routes
        # requests by cookie (Odoo's browser tests) can then take them. Meta sends none.
        self.webhook_cookie = None
        self.auto_deliver = auto_deliver
        self.delivery_delay = delivery_delay
        self.template_review_delay = template_review_delay
        self.verify_token = verify_token
        self.api_version = api_version
        self.log_requests = log_requests
        self.blocklist_limit = blocklist.LIMIT  # Meta's 64,000; lower it to test the limit
        self.messaging_limit_tier = "TIER_250"  # a new number's, once verified
        # A load target (wa_simulator.load): each answer to a send waits answer_latency +
        # uniform(0, answer_jitter) seconds; rate_limit sends per second per phone number
        # are accepted, beyond that 130429 (0: no limit).
        self.answer_latency = float(answer_latency)
        self.answer_jitter = float(answer_jitter)
        self.rate_limit = int(rate_limit)
        self.state = World()
        self.deliverer = Deliverer(self)
        self._server = None
        self._thread = None

    @property
    def url(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def config(self):
        return {
            "url": self.url,
            "webhook_url": self.webhook_url,
            "webhook_cookie": self.webhook_cookie,
            "verify_token": self.verify_token,
            "phone_number_id": self.phone_number_id,
            "waba_id": self.waba_id,
            "display_phone_number": self.display_phone_number,
            "api_version": self.api_version,
            "delivery_delay": self.delivery_delay,
            "template_review_delay": self.template_review_delay,
            "blocklist_limit": self.blocklist_limit,
            "messaging_limit_tier": self.messaging_limit_tier,
            "answer_latency": self.answer_latency,
            "answer_jitter": self.answer_jitter,
            "rate_limit": self.rate_limit,
            "webhook_mode": dict(self.deliverer.mode),
        }

    def start(self):
        if self._server:
            return self
        handler = type("Handler", (_Handler,), {"sim": self})
        server_class = _IPv6Server if ":" in self.host else _Server
        self._server = server_class((self.host, self.port), handler)
        self.port = self._server.server_address[1]
        self.deliverer.start()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            args=(0.05,),  # poll interval: stop() returns quickly
            daemon=True,
            name=f"wa-simulator-{self.port}",
        )
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self.deliverer.stop()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


THREAD_STACK = 1024 * 1024
_STACK_LOCK = threading.Lock()


class _Server(ThreadingHTTPServer):
    """One thread per connection; a listen backlog that takes a burst of clients (the
    default 5 makes the 6th concurrent connect wait for a SYN retry, about 1 s)."""

    daemon_threads = True
    request_queue_size = 128

    def process_request(self, request, client_address):
        # Hundreds of kept-alive connections under load: small thread stacks (Python's
        # default, 8 MiB each, meets a process's address-space limit, as in Odoo's).
        with _STACK_LOCK:
            previous = threading.stack_size(THREAD_STACK)
            try:
                super().process_request(request, client_address)
            finally:
                threading.stack_size(previous)

    def handle_error(self, request, client_address):
        # A client that went away (killed, timed out) is no error of the simulator's.
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class _IPv6Server(_Server):
    address_family = socket.AF_INET6


def _is_loopback(address):
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


class _Handler(BaseHTTPRequestHandler):
    sim: Simulator
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in two writes: no 40 ms stalls
    server_version = "wa-simulator"
    sys_version = ""

    def log_message(self, format, *args):
        if self.sim.log_requests:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")

    def do_DELETE(self):
        self._route("DELETE")

    # ------------------------------------------------------------------ plumbing
    def _send(self, status, content_type, payload, headers=None):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            self.close_connection = True

    def _json(self, status, body):
        self._send(status, "application/json; charset=UTF-8", json.dumps(body).encode())

    def _route(self, method):
        split = urlsplit(self.path)
        path = split.path.rstrip("/") or "/"
        query = dict(parse_qsl(split.query))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            if path.startswith("/_sim") or path == "/":
                return self._local(method, path, query, raw)
            if path.startswith("/_media/") and method == "GET":
                return self._send(
                    *graph.download(self.sim, path.split("/")[2], query, self.headers)
                )
            self._graph(method, path, query, raw)
        except GraphError as error:
            self._json(error.status, error.body())
        except ControlError as error:
            self._json(error.status, {"error": str(error)})
        except Exception as error:
            traceback.print_exc()
            self._json(
                500,
                GraphError(
                    500, 1, "An unknown error occurred", f"{type(error).__name__}: {error}"
                ).body(),
            )

    def _graph(self, method, path, query, raw):
        sim = self.sim
        world = sim.state
        record = {"method": method, "path": path, "time": time.time(), "status": None}
        with world.lock:
            world.requests.append(record)
        send = load.record_send(sim, raw) if load.is_send(method, path) else None
        delay = load.answer_delay(sim) if send is not None else 0.0
        try:
            result = graph.handle(sim, graph.Request(method, path, query, self.headers, raw, send))
        except graph.Withheld as withheld:
            return self._withhold(record, send, withheld)
        except GraphError as error:
            record["status"], record["code"] = error.status, error.code
            if send is None:
                raise
            result = graph.as_json(error.status, error.body())
            load.finish_send(sim, send, error.status, result[2], code=error.code)
        else:
            if send is not None:
                load.finish_send(sim, send, result[0], result[2])
        record["status"] = result[0]
        if delay > 0:
            time.sleep(delay)
        self._send(*result)

    def _withhold(self, record, send, withheld):
        """An accept_silently fault: the call was processed; no answer for ``seconds``,
        then the connection is closed without one (the client most likely gave up)."""
        error = withheld.error
        status, payload = (
            (error.status, graph.as_json(error.status, error.body())[2])
            if error
            else (withheld.result[0], withheld.result[2])
        )
        record["status"], record["withheld"] = status, True  # what it would have answered
        if error:
            record["code"] = error.code
        if send is not None:
            load.finish_send(
                self.sim, send, status, payload, code=error and error.code, answered=False
            )
        time.sleep(withheld.seconds)
        self.close_connection = True

    def _local(self, method, path, query, raw):
        """The phone page and the control API: loopback callers only."""
        if not _is_loopback(self.client_address[0]):
            raise ControlError("the control API answers loopback callers only", status=403)
        if path == "/" and method == "GET":
            return self._send(200, "text/html; charset=utf-8", phone_page())
        if path.startswith("/_sim/media/") and method == "GET":  # for the phone page
            media = self.sim.state.media.get(path.rsplit("/", 1)[1])
            if not media:
                raise ControlError("no such media", status=404)
            return self._send(200, media["mime_type"], media["content"])
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError as error:
            raise ControlError("the body is not JSON") from error
        if not isinstance(body, dict):
            raise ControlError("the body must be a JSON object")
        return self._json(200, control.handle(self.sim, method, path, query, body))
