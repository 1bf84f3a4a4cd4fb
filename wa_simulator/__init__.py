"""A local stand-in for Meta's WhatsApp Business Cloud API, for tests and the demo.

    from wa_simulator import Simulator
    sim = Simulator(access_token="t", app_secret="s", webhook_url="http://127.0.0.1:8069/...")
    sim.start()   # serves in a daemon thread at sim.url
    sim.state     # the in-memory world, for assertions
    sim.stop()

``python -m wa_simulator --help`` runs it from a shell. It does not import the addon: it
stands in for Meta, independent of the client it tests.
"""

from .server import Simulator

__all__ = ["Simulator"]
