"""Meta's Block Users API, simulator and client, over real HTTP: a real Simulator, a real
webhook receiver, Meta's examples as the reference for the answers' shape. No mocks."""

import time

import pytest
import requests
from test_simulator import load, paths, wait_for

from dental_whatsapp.tools import errors
from dental_whatsapp.tools.cloud_api import (
    BlockedUser,
    BlockUsersResult,
    CloudApiClient,
)
from dental_whatsapp.tools.errors import WhatsAppApiError, classify
from wa_simulator import Simulator

TOKEN = "tok"
PATIENT = "393331234567"
OTHER = "393339876543"
SILENT = "393330000111"
BSUID = "IT.13491208655302741918"
DAY = 24 * 3600
HTTP = requests.Session()
HTTP.trust_env = False


@pytest.fixture
def sim(receiver):
    simulator = Simulator(port=0, access_token=TOKEN, webhook_url=receiver.url, delivery_delay=0.01)
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def client(sim):
    return CloudApiClient(TOKEN, sim.phone_number_id, sim.waba_id, base_url=sim.url, timeout=5)


def control(sim, method, path, **body):
    response = HTTP.request(method, sim.url + path, json=body, timeout=10)
    assert response.ok, response.text
    return response.json()


def graph(sim, method, body=None, token=TOKEN, **params):
    return HTTP.request(
        method,
        f"{sim.url}/v23.0/{sim.phone_number_id}/block_users",
        json=body,
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )


def block_body(*users):
    return {"messaging_product": "whatsapp", "block_users": [{"user": u} for u in users]}


def writes(sim, number=PATIENT, text="Buongiorno", **extra):
    return control(
        sim, "POST", "/_sim/inbound", **{"from": number, "type": "text", "text": text, **extra}
    )


def silent(sim, number=SILENT):
    """A patient whose last message is 25 hours old: the simulator keeps its clock in
    ``last_inbound`` (epoch seconds), which the control API lets a test set."""
    control(sim, "POST", "/_sim/numbers", wa_id=number, last_inbound=time.time() - DAY - 3600)


def blocked_ids(sim):
    return [user["wa_id"] for user in control(sim, "GET", "/_sim/blocklist")["blocked"]]


# ---------------------------------------------------------------------------- block
def test_block_after_an_inbound_message_answers_like_meta(sim, client):
    writes(sim)
    raw = graph(sim, "POST", block_body("+" + PATIENT))
    assert raw.status_code == 200
    fixture = load("meta-cloud-api", "errors", "blockusersresponse-block-user-s.json")
    assert paths(raw.json()) == paths(fixture)
    assert raw.json()["block_users"]["added_users"] == [{"input": "+" + PATIENT, "wa_id": PATIENT}]
    assert blocked_ids(sim) == [PATIENT]
    again = client.block_users([PATIENT])  # already blocked: still done
    assert again == BlockUsersResult(done=(BlockedUser(PATIENT, PATIENT),))
    assert again.ok and again.failed == ()


def test_the_client_blocks_and_reports_what_meta_answered(sim, client):
    writes(sim)
    result = client.block_users(["+39 333 1234567"])
    assert result.ok
    assert result.done == (BlockedUser("+39 333 1234567", PATIENT),)
    assert result.raw["messaging_product"] == "whatsapp"


def test_a_user_silent_for_more_than_24_hours_cannot_be_blocked(sim, client):
    silent(sim)
    result = client.block_users([SILENT])
    assert result.done == ()
    (failure,) = result.failed
    assert (failure.input, failure.wa_id, failure.code) == (SILENT, SILENT, 131047)
    assert failure.message == "Re-engagement required"
    assert "24 hours" in failure.details
    assert not failure.retryable
    assert blocked_ids(sim) == []
    raw = graph(sim, "POST", block_body(SILENT))  # Meta: HTTP 400, the lists and 139100
    assert raw.status_code == 400
    assert raw.json()["error"]["code"] == 139100
    assert raw.json()["error"]["type"] == "OAuthException"
    assert raw.json()["block_users"]["failed_users"][0]["errors"][0]["code"] == 131047


def test_one_request_can_partly_fail(sim, client):
    writes(sim)
    writes(sim, OTHER)
    silent(sim)
    control(sim, "POST", "/_sim/numbers", wa_id="393330000222", on_whatsapp=False)
    users = [PATIENT, SILENT, "not-a-number", OTHER, sim.display_phone_number, "393330000222"]
    result = client.block_users(users)
    assert [u.wa_id for u in result.done] == [PATIENT, OTHER]
    assert {f.input: (f.wa_id, f.code) for f in result.failed} == {
        SILENT: (SILENT, 131047),
        "not-a-number": (None, 131047),  # not a WhatsApp user: Meta leaves wa_id out
        sim.display_phone_number: (sim.display_phone_number, 131021),  # self block
        "393330000222": (None, 131047),
    }
    assert not result.ok
    assert blocked_ids(sim) == [PATIENT, OTHER]
    raw = graph(sim, "POST", block_body(PATIENT, SILENT)).json()
    assert set(raw) == {"messaging_product", "block_users", "error"}
    assert raw["error"]["message"] == "(#139100) Failed to block/unblock users"
    assert paths(raw["block_users"]["failed_users"][0]) == {
        "input",
        "wa_id",
        "errors",
        "errors[]",
        "errors[].message",
        "errors[].code",
        "errors[].error_data",
        "errors[].error_data.details",
    }


def test_a_business_scoped_user_id_is_not_a_user_to_block(sim, client):
    """Meta's Block Users API documents phone numbers and wa_ids only."""
    writes(sim, from_user_id=BSUID)
    with pytest.raises(ValueError, match="business-scoped"):
        client.block_users([BSUID])
    raw = graph(sim, "POST", block_body(BSUID))
    assert raw.status_code == 400
    (failed,) = raw.json()["block_users"]["failed_users"]
    assert failed["input"] == BSUID and "wa_id" not in failed
    assert failed["errors"][0]["code"] == 131047


def test_at_most_1000_users_a_request(sim, client):
    numbers = [f"39333{n:07d}" for n in range(1001)]
    raw = graph(sim, "POST", block_body(*numbers))
    assert raw.status_code == 400
    assert raw.json()["error"]["code"] == 130429
    with pytest.raises(ValueError, match="1000"):
        client.block_users(numbers)
    assert client.block_users([]) == BlockUsersResult()  # nothing asked, nothing sent
    assert control(sim, "GET", "/_sim/requests")[-1]["status"] == 400


def test_the_blocklist_limit(sim, client):
    writes(sim)
    writes(sim, OTHER)
    control(sim, "POST", "/_sim/config", blocklist_limit=1)
    result = client.block_users([PATIENT, OTHER])
    assert [u.wa_id for u in result.done] == [PATIENT]
    assert [(f.wa_id, f.code) for f in result.failed] == [(OTHER, 139101)]


def test_a_request_that_fails_as_a_whole_raises(sim, client):
    writes(sim)
    control(sim, "POST", "/_sim/faults", code=139103, http_status=500, operations=["block_users"])
    with pytest.raises(WhatsAppApiError) as caught:
        client.block_users([PATIENT])
    assert caught.value.code == 139103 and caught.value.retryable
    wrong = CloudApiClient("wrong", sim.phone_number_id, base_url=sim.url, timeout=5)
    with pytest.raises(WhatsAppApiError) as caught:
        wrong.unblock_users([PATIENT])
    assert caught.value.kind == errors.AUTH
    bad = graph(sim, "POST", {"messaging_product": "whatsapp", "block_users": "x"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == 100
    assert "block_users" not in bad.json()
    assert client.block_users([PATIENT]).ok  # the fault was used up


# ---------------------------------------------------------------------------- unblock
def test_unblock_has_no_24_hour_rule_and_answers_like_meta(sim, client):
    writes(sim)
    assert client.block_users([PATIENT]).ok
    control(sim, "POST", "/_sim/numbers", wa_id=PATIENT, last_inbound=time.time() - 3 * DAY)
    raw = graph(sim, "DELETE", block_body("+" + PATIENT))
    assert raw.status_code == 200
    fixture = load("meta-cloud-api", "errors", "unblockusersresponse-unblock-user-s.json")
    assert paths(raw.json()) == paths(fixture)
    assert raw.json()["block_users"]["removed_users"] == [
        {"input": "+" + PATIENT, "wa_id": PATIENT}
    ]
    assert blocked_ids(sim) == []
    result = client.unblock_users([PATIENT, "nonsense"])
    assert result.done == (BlockedUser(PATIENT, PATIENT),)
    assert [(f.input, f.code) for f in result.failed] == [("nonsense", 131047)]


# ---------------------------------------------------------------------------- list
def test_list_follows_the_pages_and_answers_like_meta(sim, client):
    numbers = [PATIENT, OTHER, "393330000333"]
    for number in numbers:
        writes(sim, number)
    assert client.block_users(numbers).ok
    assert client.list_blocked_users(limit=2) == tuple(numbers)
    assert client.list_blocked_users() == tuple(numbers)
    first = graph(sim, "GET", limit=1).json()
    fixture = load("meta-cloud-api", "errors", "getblockedusersresponse-get-blocked-users.json")
    assert paths(fixture) <= paths(first)
    assert first["data"] == [{"messaging_product": "whatsapp", "wa_id": PATIENT}]
    second = graph(sim, "GET", limit=1, after=first["paging"]["cursors"]["after"]).json()
    assert second["data"][0]["wa_id"] == OTHER and "previous" in second["paging"]
    assert client.unblock_users(numbers).ok
    assert client.list_blocked_users() == ()
    assert graph(sim, "GET").json() == {"data": []}


def test_a_blocklist_changed_while_paging_answers_139102(sim, client):
    writes(sim)
    writes(sim, OTHER)
    assert client.block_users([PATIENT]).ok
    first = graph(sim, "GET", limit=1).json()
    assert client.block_users([OTHER]).ok  # the list changes between the pages
    stale = graph(sim, "GET", limit=1, after=first["paging"]["cursors"]["after"])
    assert stale.status_code == 400
    assert stale.json()["error"]["code"] == 139102
    assert classify(139102, 400) == errors.RETRYABLE


# ---------------------------------------------------------------------------- effects
def test_a_send_to_a_blocked_user_fails_with_130403(sim, client):
    writes(sim)
    assert client.send_text(PATIENT, "Prima del blocco").message_id
    assert client.block_users([PATIENT]).ok
    with pytest.raises(WhatsAppApiError) as caught:
        client.send_text(PATIENT, "Dopo il blocco")
    assert caught.value.code == errors.CODE_BLOCKED_BY_BUSINESS == 130403
    assert caught.value.kind == errors.PERMANENT
    assert caught.value.http_status == 400
    sent = control(sim, "GET", f"/_sim/messages?to={PATIENT}")
    assert [m["view"]["text"] for m in sent] == ["Prima del blocco"]
    assert client.unblock_users([PATIENT]).ok
    assert client.send_text(PATIENT, "Sbloccato").message_id


def test_a_send_by_bsuid_to_a_blocked_user_fails_too(sim, client):
    writes(sim, from_user_id=BSUID)  # the patient has a number and a BSUID
    assert client.block_users([PATIENT]).ok
    with pytest.raises(WhatsAppApiError) as caught:
        client.send(
            {
                "messaging_product": "whatsapp",
                "recipient": BSUID,
                "type": "text",
                "text": {"body": "Ciao"},
            }
        )
    assert caught.value.code == 130403


def test_a_blocked_users_message_never_reaches_the_webhook(sim, client, receiver):
    first = writes(sim)["id"]
    receiver.wait_messages(1)
    assert client.block_users([PATIENT]).ok
    answer = writes(sim, text="Ci sei?")
    assert answer == {
        "id": None,
        "delivered": False,
        "blocked": True,
        "wa_id": PATIENT,
        "reason": answer["reason"],
    }
    assert "blocked" in answer["reason"]
    by_user_id = control(sim, "POST", "/_sim/edit", message_id=first, text="Modificato")
    assert by_user_id["delivered"] is False
    assert control(sim, "POST", "/_sim/revoke", message_id=first)["blocked"] is True
    time.sleep(0.3)  # time enough for a delivery that should not happen
    assert [m["id"] for m in receiver.messages()] == [first]
    deliveries = control(sim, "GET", "/_sim/deliveries")["deliveries"]
    assert [d["kind"] for d in deliveries] == ["message"]
    conversation = next(c for c in control(sim, "GET", "/_sim/conversations") if c["id"] == PATIENT)
    assert [m["id"] for m in conversation["messages"] if m["direction"] == "in"] == [first]
    assert client.unblock_users([PATIENT]).ok
    again = writes(sim, text="E adesso?")["id"]
    wait_for(lambda: again in [m["id"] for m in receiver.messages()])


def test_the_blocklist_control_route_and_reset(sim, client):
    writes(sim)
    assert client.block_users(["+" + PATIENT]).ok
    listed = control(sim, "GET", "/_sim/blocklist")
    assert listed["phone_number_id"] == sim.phone_number_id
    assert [(u["wa_id"], u["input"]) for u in listed["blocked"]] == [(PATIENT, "+" + PATIENT)]
    assert listed["limit"] == 64000
    routes = {(r["method"], r["path"]) for r in control(sim, "GET", "/_sim/")["control_api"]}
    assert ("GET", "/_sim/blocklist") in routes
    control(sim, "POST", "/_sim/reset")
    assert blocked_ids(sim) == []


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (139100, errors.PERMANENT),
        (139101, errors.PERMANENT),
        (139102, errors.RETRYABLE),
        (139103, errors.RETRYABLE),
        (130403, errors.PERMANENT),
        (131021, errors.PERMANENT),
    ],
)
def test_block_codes_are_classified(code, kind):
    assert classify(code, 400) == kind
