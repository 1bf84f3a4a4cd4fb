"""Meta's per-user marketing limit in the simulator: a MARKETING template to a patient who
reached it is accepted, then reported failed with 131049; other templates still go."""

import requests
from test_simulator import PHONE_NUMBER_ID, control, graph, receiver, send, sim, template_body  # noqa: F401

NUMBER = "393330000049"


def preload_category(sim, name, category):  # noqa: F811
    control(
        sim,
        "POST",
        "/_sim/templates",
        json={
            "name": name,
            "language": "it",
            "status": "APPROVED",
            "category": category,
            "components": [{"type": "BODY", "text": "Dear {{1}}, see you on {{2}}."}],
        },
    )


def test_marketing_limit_fails_marketing_templates_only(sim, receiver):  # noqa: F811
    preload_category(sim, "birthday_wishes", "MARKETING")
    preload_category(sim, "appointment_reminder", "UTILITY")
    number = control(sim, "POST", "/_sim/numbers", json={"wa_id": NUMBER, "marketing_limit": True})
    assert number["marketing_limit"] is True

    wish = send(sim, template_body("birthday_wishes"), to=NUMBER)
    assert wish.status_code == 200, "the send itself is accepted"
    [failed] = receiver.wait_statuses(wish.json()["messages"][0]["id"], 1)
    assert failed["status"] == "failed"
    error = failed["errors"][0]
    assert error["code"] == 131049
    assert "healthy ecosystem engagement" in error["title"]
    assert "healthy ecosystem engagement" in error["error_data"]["details"]

    reminder = send(sim, template_body("appointment_reminder"), to=NUMBER)
    statuses = receiver.wait_statuses(reminder.json()["messages"][0]["id"], 2)
    assert "failed" not in [s["status"] for s in statuses]

    control(sim, "POST", "/_sim/numbers", json={"wa_id": NUMBER, "marketing_limit": False})
    again = send(sim, template_body("birthday_wishes"), to=NUMBER)
    statuses = receiver.wait_statuses(again.json()["messages"][0]["id"], 2)
    assert "failed" not in [s["status"] for s in statuses]


def test_the_phone_number_reports_its_messaging_limit_tier(sim):  # noqa: F811
    fields = {"fields": "verified_name,messaging_limit_tier"}
    info = graph(sim, "GET", PHONE_NUMBER_ID, params=fields).json()
    assert info["messaging_limit_tier"] == "TIER_250", "a new number's tier"
    control(sim, "POST", "/_sim/config", json={"messaging_limit_tier": "TIER_1K"})
    assert graph(sim, "GET", PHONE_NUMBER_ID, params=fields).json()["messaging_limit_tier"] == (
        "TIER_1K"
    )
    bad = requests.post(
        sim.url + "/_sim/config", json={"messaging_limit_tier": "TIER_7"}, timeout=5
    )
    assert bad.status_code == 400
