"""How long the checks on one message take, on one core: the triage of what a patient
wrote (target under 20 ms a message) and the checks a reply passes before it leaves
(emoji, clinical advice, personal matters, arguing, spelling). Reports, never fails.

Run by ``make bench`` with the project's Python; the messages are the labelled sets of
``tests/data/``: what patients write, and the patients' texts used as replies.
"""

import json
import pathlib
import statistics
import sys
import time
import types

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
package = types.ModuleType("dental_whatsapp")  # the pure tools, without Odoo
package.__path__ = [str(ROOT / "dental_whatsapp")]
sys.modules.setdefault("dental_whatsapp", package)

from dental_whatsapp.tools import spelling, text_checks, triage  # noqa: E402

TRIAGE_TARGET_MS = 20.0  # the issue's: a patient's message, on one core
REPLY_TARGET_MS = 100.0  # the reply box re-checks while the receptionist types


def messages():
    rows = []
    for path in sorted((ROOT / "tests" / "data").glob("triage_*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return rows


def timed(function, rows, rounds=3):
    """Per-message milliseconds, the best of ``rounds`` for each message."""
    figures = []
    for row in rows:
        best = None
        for _round in range(rounds):
            start = time.perf_counter()
            function(row)
            elapsed = (time.perf_counter() - start) * 1000
            best = elapsed if best is None else min(best, elapsed)
        figures.append(best)
    return figures


def report(name, figures, target):
    figures = sorted(figures)
    p95 = figures[int(len(figures) * 0.95) - 1]
    verdict = "within" if figures[-1] < target else "OVER"
    print(
        f"BENCH {name}: {len(figures)} messages, median {statistics.median(figures):.2f} ms, "
        f"p95 {p95:.2f} ms, max {figures[-1]:.2f} ms (target under {target:.0f} ms: {verdict})"
    )


def reply_checks(row):
    text, lang = row["text"], row["lang"]
    text_checks.check_emoji(text)
    text_checks.find_clinical_advice(text)
    text_checks.find_personal_matters(text)
    text_checks.find_argument(text)
    spelling.check_spelling(text, lang)


def main():
    rows = messages()
    report("triage", timed(lambda row: triage.classify(row["text"]), rows), TRIAGE_TARGET_MS)
    for lang in ("it", "es", "en", "pt"):  # dictionaries load once per process
        start = time.perf_counter()
        spelling.check_spelling("ok", lang)
        loaded = (time.perf_counter() - start) * 1000
        print(f"BENCH spelling dictionary {lang}: loaded in {loaded:.0f} ms (once per process)")
    report("reply checks", timed(reply_checks, rows), REPLY_TARGET_MS)


if __name__ == "__main__":
    main()
