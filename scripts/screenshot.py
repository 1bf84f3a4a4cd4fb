"""Look at a page of a running Odoo as a given user: headless Chromium, a PNG.

    python scripts/screenshot.py --url http://localhost:8069 --db dental_whatsapp_demo \
        --login admin --password admin --path "/odoo/res.partner/7" --out /tmp/partner.png

Logs in over JSON-RPC, hands the session cookie to Chromium through the DevTools
protocol, opens the page, waits for it to settle and saves a screenshot. Optional
``--click`` CSS selectors are clicked and ``--type "SELECTOR=TEXT"`` fields filled, in the
order given, before the picture (e.g. a notebook tab, a reply typed in the desk).
Needs Debian's chromium and the websocket-client package (Odoo's tours use both).
"""

import argparse
import base64
import json
import shutil
import socket
import subprocess
import tempfile
import time

import requests
import websocket


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            answer = json.loads(self.ws.recv())
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")


def wait_for(page, selector, seconds=120):
    """Until the page shows ``selector`` (the first load builds Odoo's assets)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
            return
        time.sleep(0.5)
    raise SystemExit(f"the page never showed {selector}")


def run_step(page, kind, step):
    """One --click or --type step, then a pause for Odoo to react."""
    selector, _sep, text = step.partition("=") if kind == "type" else (step, "", "")
    wait_for(page, selector)
    if kind == "click":
        page.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
    else:
        page.evaluate(
            f"""(() => {{
                const field = document.querySelector({json.dumps(selector)});
                field.focus();
                field.value = {json.dumps(text)};
                field.dispatchEvent(new Event("input", {{bubbles: true}}));
                field.dispatchEvent(new Event("change", {{bubbles: true}}));
                field.blur();
            }})()"""
        )
    time.sleep(2.5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--path", default="/odoo")
    # Steps run in the order given: --click SELECTOR, --type "SELECTOR=TEXT" (fills an
    # input or textarea as typing would, then leaves it so Odoo's onchange runs).
    parser.add_argument(
        "--click", dest="steps", action="append", type=lambda v: ("click", v), default=[]
    )
    parser.add_argument("--type", dest="steps", action="append", type=lambda v: ("type", v))
    parser.add_argument(
        "--wait-for", default=".o_view_controller", help="CSS selector the page must show"
    )
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    session = requests.Session()
    answer = session.post(
        args.url + "/web/session/authenticate",
        json={"params": {"db": args.db, "login": args.login, "password": args.password}},
        timeout=60,
    ).json()
    if answer.get("error"):
        raise SystemExit(f"login failed: {answer['error']['data']['message']}")
    sid = session.cookies.get("session_id")

    port = free_port()
    profile = tempfile.mkdtemp(prefix="dw-shot-")
    browser = subprocess.Popen(  # noqa: S603 - our own fixed argument list
        [
            shutil.which("chromium") or "chromium",
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={port}",
            # Chromium refuses DevTools websockets from an unlisted origin.
            f"--remote-allow-origins=http://127.0.0.1:{port}",
            f"--window-size={args.width},{args.height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
                break
            except requests.RequestException:
                time.sleep(0.2)
        target = next(t for t in targets if t["type"] == "page")
        page = Page(target["webSocketDebuggerUrl"])
        page.call("Network.enable")
        host = args.url.split("//", 1)[1].split("/", 1)[0].split(":")[0]
        page.call("Network.setCookie", name="session_id", value=sid, domain=host, path="/")
        page.call(
            "Emulation.setDeviceMetricsOverride",
            width=args.width,
            height=args.height,
            deviceScaleFactor=1,
            mobile=False,
        )
        page.call("Page.enable")
        page.call("Page.navigate", url=args.url + args.path)
        wait_for(page, args.wait_for)
        time.sleep(1.5)
        for kind, step in args.steps:
            run_step(page, kind, step)
        shot = page.call("Page.captureScreenshot", format="png")
        with open(args.out, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        print(args.out)
    finally:
        browser.terminate()
        browser.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
