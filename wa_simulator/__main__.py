"""python -m wa_simulator: run the local WhatsApp Cloud API simulator until Ctrl-C."""

import argparse
import json
import signal
import sys
import threading

from .server import Simulator


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m wa_simulator",
        description="A local stand-in for Meta's WhatsApp Business Cloud API: the Graph API "
        "(messages, media, templates, phone number), signed webhooks, injectable Meta "
        "errors, a control API under /_sim/ and a phone page at /.",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    add("--port", type=int, default=8765, help="port (0: any free port; default 8765)")
    add("--webhook-url", help="where webhooks are POSTed, e.g. Odoo's /dental_whatsapp/webhook")
    add("--app-secret", default="demo-app-secret", help="signs the webhooks (X-Hub-Signature-256)")
    add("--access-token", default="demo-access-token", help="the bearer token the API accepts")
    add("--verify-token", help="sent in the subscription handshake (POST /_sim/verify-webhook)")
    add("--phone-number-id", default="100000000000001")
    add("--waba-id", default="200000000000002", help="the WhatsApp Business Account id")
    add("--display-phone-number", default="390612345678")
    add(
        "--delivery-delay",
        type=float,
        default=0.3,
        help="seconds between the sent, delivered and read statuses (default 0.3)",
    )
    add(
        "--template-review-delay",
        type=float,
        default=1.0,
        help="seconds before a submitted template is approved or rejected (default 1)",
    )
    add(
        "--manual-delivery",
        action="store_true",
        help="queue webhooks until POST /_sim/flush instead of sending them at once",
    )
    add(
        "--templates",
        metavar="FILE",
        help="a JSON list of templates to preload, as for POST /_sim/templates",
    )
    add(
        "--answer-latency",
        type=float,
        default=0.0,
        help="seconds each answer to a send waits (a load target; default 0)",
    )
    add(
        "--answer-jitter",
        type=float,
        default=0.0,
        help="plus uniform(0, this) seconds (default 0)",
    )
    add(
        "--rate-limit",
        type=int,
        default=0,
        help="sends per second per phone number; beyond, 130429 (default 0: no limit)",
    )
    add("--quiet", action="store_true", help="do not log each request")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    sim = Simulator(
        host=args.host,
        port=args.port,
        access_token=args.access_token,
        app_secret=args.app_secret,
        phone_number_id=args.phone_number_id,
        waba_id=args.waba_id,
        display_phone_number=args.display_phone_number,
        webhook_url=args.webhook_url,
        auto_deliver=not args.manual_delivery,
        delivery_delay=args.delivery_delay,
        template_review_delay=args.template_review_delay,
        verify_token=args.verify_token,
        log_requests=not args.quiet,
        answer_latency=args.answer_latency,
        answer_jitter=args.answer_jitter,
        rate_limit=args.rate_limit,
    )
    if args.templates:
        from .templates import preload  # noqa: PLC0415 - only this option needs it

        with open(args.templates, encoding="utf-8") as handle:
            for template in json.load(handle):
                preload(sim, template)
    sim.start()
    print(f"WhatsApp Cloud API simulator listening on {sim.url}", flush=True)
    print(f"  patients' phones: {sim.url}/   control API: {sim.url}/_sim/", flush=True)
    print(f"  webhooks to: {sim.webhook_url or '(none yet: POST /_sim/config)'}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(1):
            pass
    except KeyboardInterrupt:
        pass
    sim.stop()
    print("Simulator stopped.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
