"""A local stand-in for Meta's WhatsApp Cloud API, for tests and the demo.

    sim = Simulator(access_token="t", app_secret="s", webhook_url="http://127.0.0.1:8069/...")
    sim.start()   # sim.url
    sim.stop()
"""

from .server import Simulator

__all__ = ["Simulator"]
