"""Make ``dental_whatsapp.tools`` importable without Odoo.

``dental_whatsapp/__init__.py`` imports the Odoo models; the pure tools must be
testable without Odoo, so the package is registered here as a bare namespace whose
``__init__`` is never executed.
"""

import pathlib
import sys
import types

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"  # third-party examples, see its README.md

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if "dental_whatsapp" not in sys.modules:
    _pkg = types.ModuleType("dental_whatsapp")
    _pkg.__path__ = [str(ROOT / "dental_whatsapp")]
    sys.modules["dental_whatsapp"] = _pkg


@pytest.fixture
def receiver():
    """A real HTTP server on loopback that takes the simulator's webhooks."""
    from test_simulator import Receiver  # noqa: PLC0415 - a test module, importable late

    server = Receiver()
    yield server
    server.close()
