"""Run the outbox dispatcher once in a process of its own, as a second Odoo worker or
server would (used by test_throughput.py and ``make bench``; never imported by tests).

    python dispatcher_process.py <odoo options: -d, --db_host, --addons-path, ...>

Prints the number of messages the run handled."""

import sys


def main(argv):
    import odoo  # noqa: PLC0415 - Odoo is configured from the arguments first
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(argv, setup_logging=True)
    registry = Registry(odoo.tools.config["db_name"])
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        done = env["dental.whatsapp.outbox"]._wa_dispatch(commit=True)
    sys.stdout.write(f"{done}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
