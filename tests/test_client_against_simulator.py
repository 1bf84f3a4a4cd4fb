"""The Cloud API client against the local simulator, over real HTTP: every operation
works, and errors injected the way Meta reports them reach the client classified."""

import pytest
import requests

from dental_whatsapp.tools import errors
from dental_whatsapp.tools.cloud_api import CloudApiClient, template_components
from dental_whatsapp.tools.errors import WhatsAppApiError
from wa_simulator import Simulator

PATIENT = "393331234567"


@pytest.fixture
def sim():
    simulator = Simulator(
        port=0, access_token="tok", auto_deliver=False, template_review_delay=0.05
    )
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def client(sim):
    return CloudApiClient("tok", sim.phone_number_id, sim.waba_id, base_url=sim.url, timeout=1)


def control(sim, path, **body):
    response = requests.post(sim.url + path, json=body, timeout=10)
    response.raise_for_status()
    return response.json()


def test_every_operation_round_trips(sim, client):
    control(
        sim,
        "/_sim/templates",
        name="reminder",
        language="it",
        status="APPROVED",
        components=[{"type": "BODY", "text": "Gentile {{1}}, a domani."}],
    )
    assert client.get_phone_number()["display_phone_number"] == sim.display_phone_number
    text = client.send_text(PATIENT, "Buongiorno")
    assert text.message_id.startswith("wamid.") and text.wa_id == PATIENT
    reminder = client.send_template(PATIENT, "reminder", "it", template_components(body=["Maria"]))
    assert reminder.message_id != text.message_id
    media_id = client.upload_media(b"%PDF-1.4 fattura", "application/pdf", "fattura.pdf")
    document = client.send_media(PATIENT, "document", media_id=media_id, filename="fattura.pdf")
    assert document.message_id
    info = client.get_media(media_id)
    assert client.download_media(info["url"]) == b"%PDF-1.4 fattura"
    received = control(sim, "/_sim/inbound", **{"from": PATIENT, "type": "text", "text": "Ok"})
    assert client.mark_as_read(received["id"])
    created = client.create_template(
        "new_one",
        "es",
        "UTILITY",
        [{"type": "BODY", "text": "Hola {{1}}", "example": {"body_text": [["Ana"]]}}],
    )
    assert created["status"] == "PENDING"
    names = {(t["name"], t["language"]) for t in client.list_templates(limit=1)}
    assert {("reminder", "it"), ("new_one", "es")} <= names  # paging followed


@pytest.mark.parametrize(
    ("fault", "kind", "code"),
    [
        ({"code": 131000, "http_status": 500}, errors.RETRYABLE, 131000),
        ({"code": 130429, "http_status": 400}, errors.RETRYABLE, 130429),
        ({"code": 131056, "http_status": 400}, errors.RETRYABLE, 131056),
        ({"code": 4, "http_status": 429}, errors.RETRYABLE, 4),
        ({"http_status": 503}, errors.RETRYABLE, None),
        ({"code": 131047, "http_status": 400}, errors.NEEDS_TEMPLATE, 131047),
        ({"code": 131026, "http_status": 400}, errors.PERMANENT, 131026),
        ({"code": 100, "http_status": 400}, errors.PERMANENT, 100),
        ({"code": 190, "http_status": 401}, errors.AUTH, 190),
    ],
)
def test_injected_errors_reach_the_client_classified(sim, client, fault, kind, code):
    control(sim, "/_sim/faults", count=1, **fault)
    with pytest.raises(WhatsAppApiError) as caught:
        client.send_text(PATIENT, "Buongiorno")
    assert (caught.value.kind, caught.value.code) == (kind, code)
    # The fault was used up: the next call goes through.
    assert client.send_text(PATIENT, "Buongiorno").message_id


def test_a_server_slower_than_the_timeout_is_retryable(sim, client):
    control(sim, "/_sim/faults", count=1, timeout=True, timeout_seconds=2)
    with pytest.raises(WhatsAppApiError) as caught:
        client.send_text(PATIENT, "Buongiorno")
    assert caught.value.kind == errors.RETRYABLE


def test_a_send_accepted_but_never_answered_has_an_unknown_outcome(sim, client):
    # Meta processed the send and the answer was lost: sending again would repeat it.
    control(sim, "/_sim/faults", count=1, accept_silently=True, silent_seconds=2)
    with pytest.raises(WhatsAppApiError) as caught:
        client.send_text(PATIENT, "Buongiorno")
    assert caught.value.outcome_unknown
    assert len(requests.get(sim.url + "/_sim/messages", timeout=5).json()) == 1


def test_a_refused_connection_never_sent_anything():
    # Nothing listens on port 9 of this machine: the request never left.
    closed = CloudApiClient("tok", "1", base_url="http://127.0.0.1:9", timeout=1)
    with pytest.raises(WhatsAppApiError) as caught:
        closed.send_text(PATIENT, "Buongiorno")
    assert caught.value.kind == errors.RETRYABLE
    assert not caught.value.outcome_unknown


def test_an_error_answer_is_a_known_outcome(sim, client):
    control(sim, "/_sim/faults", count=1, code=131000, http_status=500)
    with pytest.raises(WhatsAppApiError) as caught:
        client.send_text(PATIENT, "Buongiorno")
    assert not caught.value.outcome_unknown


def test_real_validation_errors_are_classified(sim, client):
    with pytest.raises(WhatsAppApiError) as caught:
        client.send_template(PATIENT, "does_not_exist", "it")
    assert (caught.value.code, caught.value.kind) == (132001, errors.PERMANENT)
    wrong = CloudApiClient("wrong", sim.phone_number_id, base_url=sim.url, timeout=1)
    with pytest.raises(WhatsAppApiError) as caught:
        wrong.send_text(PATIENT, "x")
    assert (caught.value.code, caught.value.kind) == (190, errors.AUTH)
