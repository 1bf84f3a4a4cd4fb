"""The prefix the simulator prints for its control API, /_sim/, answers with its routes."""

import pytest
import requests

from wa_simulator import Simulator
from wa_simulator.control import ROUTES

HTTP = requests.Session()
HTTP.trust_env = False


@pytest.fixture
def sim():
    with Simulator(
        host="127.0.0.1",
        port=0,
        access_token="test-token",
        app_secret="test-app-secret",
        phone_number_id="100000000000001",
        waba_id="200000000000002",
    ) as simulator:
        yield simulator


@pytest.mark.parametrize("prefix", ["/_sim/", "/_sim"])
def test_the_control_prefix_lists_every_route(sim, prefix):
    answer = HTTP.get(sim.url + prefix, timeout=5)
    assert answer.status_code == 200
    listed = {(route["method"], route["path"]) for route in answer.json()["control_api"]}
    assert listed >= set(ROUTES)
    assert ("POST", "/_sim/inbound") in listed
    assert all(route["does"] for route in answer.json()["control_api"])
    assert answer.json()["phone_page"] == "/"


def test_an_unknown_control_route_still_answers_404(sim):
    answer = HTTP.get(sim.url + "/_sim/no-such-route", timeout=5)
    assert answer.status_code == 404
    assert "no control route" in answer.json()["error"]
