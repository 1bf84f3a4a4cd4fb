"""python -m wa_simulator: run the local Cloud API simulator until Ctrl-C."""

import argparse

from .server import Simulator


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m wa_simulator",
        description="A local stand-in for Meta's WhatsApp Cloud API (Graph API), with signed "
        "webhooks, error injection and a phone page at its root.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--webhook-url", help="where to POST webhooks (Odoo's /dental_whatsapp/webhook)")
    parser.add_argument("--app-secret", default="demo-app-secret", help="signs the webhooks")
    parser.add_argument("--access-token", default="demo-access-token", help="the bearer token to accept")
    parser.add_argument("--verify-token", help="sent in the webhook handshake (/_sim/verify-webhook)")
    parser.add_argument("--phone-number-id", default="100000000000001")
    parser.add_argument("--waba-id", default="200000000000002")
    parser.add_argument("--manual-delivery", action="store_true",
                        help="queue webhooks until POST /_sim/flush")
    args = parser.parse_args(argv)
    sim = Simulator(host=args.host, port=args.port, access_token=args.access_token,
                    app_secret=args.app_secret, phone_number_id=args.phone_number_id,
                    waba_id=args.waba_id, webhook_url=args.webhook_url,
                    verify_token=args.verify_token, auto_deliver=not args.manual_delivery)
    print(f"WhatsApp Cloud API simulator on {sim.url if args.port else args.host} "  # noqa: T201
          f"(phones: http://{args.host}:{args.port}/); webhooks to {args.webhook_url}", flush=True)
    try:
        sim.serve_forever()
    except KeyboardInterrupt:
        sim.stop()


if __name__ == "__main__":
    main()
