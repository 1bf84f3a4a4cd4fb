"""Meta delivers webhooks at least once and in parallel: against a running Odoo (not the
test server, which serializes requests), post 50 identical and 50 distinct signed
deliveries from 8 threads at once, and check that every one is answered 200 and that the
database holds each body exactly once.

    python scripts/check_webhook_concurrency.py --url http://127.0.0.1:8069 \
        --secret demo-app-secret --phone-number-id 100000000000001 --dsn "dbname=..."

Prints one line and exits 0 when all held, 1 otherwise. Used by scripts/run-tests.sh.
"""

import argparse
import hashlib
import hmac
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import requests

WEBHOOK_PATH = "/dental_whatsapp/webhook"


def body(phone_number_id, waba_id, tag):
    status = {
        "id": f"wamid.concurrency-{tag}",
        "status": "delivered",
        "timestamp": "1795510800",
        "recipient_id": "393330000000",
    }
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "390200000001", "phone_number_id": phone_number_id},
        "statuses": [status],
    }
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": waba_id, "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(payload).encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--phone-number-id", required=True)
    parser.add_argument("--waba-id", default="0")
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()

    run = str(int(time.time() * 1000))
    same = body(args.phone_number_id, args.waba_id, f"{run}-same")
    bodies = [same] * 50 + [
        body(args.phone_number_id, args.waba_id, f"{run}-{i}") for i in range(50)
    ]
    start = threading.Barrier(args.threads)
    started = threading.local()

    def post(raw):
        if not getattr(started, "done", False):
            started.done = True
            start.wait(timeout=60)  # every thread sends its first delivery at once
        signature = "sha256=" + hmac.new(args.secret.encode(), raw, hashlib.sha256).hexdigest()
        # One connection per delivery (as the test server's keep-alive is not what is
        # measured here): a closed idle socket must not count as a refusal.
        response = requests.post(
            args.url.rstrip("/") + WEBHOOK_PATH,
            data=raw,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": signature,
                "Connection": "close",
            },
            timeout=60,
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        statuses = list(pool.map(post, bodies))

    hashes = {hashlib.sha256(raw).hexdigest() for raw in bodies}
    with psycopg2.connect(args.dsn) as cnx, cnx.cursor() as cr:
        cr.execute(
            "SELECT body_hash, count(*) FROM dental_whatsapp_event "
            "WHERE body_hash = ANY(%s) GROUP BY body_hash",
            (list(hashes),),
        )
        stored = dict(cr.fetchall())
    answered = {code: statuses.count(code) for code in set(statuses)}
    once = len(stored) == len(hashes) and set(stored.values()) == {1}
    ok = answered == {200: len(bodies)} and once
    print(
        f"webhook concurrency: {len(bodies)} deliveries from {args.threads} threads, "
        f"answers {answered}, {len(stored)}/{len(hashes)} bodies stored, "
        f"{'each once' if once else 'NOT each once: ' + str(sorted(stored.values()))}"
        f" -> {'ok' if ok else 'FAILED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
