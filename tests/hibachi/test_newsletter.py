"""Newsletter through HTTP: subscribing and unsubscribing, campaigns from draft to
sent through the outbox, open and click tracking, statistics, roles and stations;
plus the pure rendering of a campaign's email."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from sqlalchemy import select

import trident.apps.hibachi.newsletter.tasks  # noqa: F401  (registers the send job)
from tests.hibachi.helpers import Actor, Client
from trident.apps.hibachi.models import FailedJob, OutboxMessage
from trident.apps.hibachi.newsletter import service
from trident.core.clock import utcnow

BASE = "/api/newsletter"
LINK = "https://myhibachi.com/book?promo=SPRING&ref=mail"
CONTENT = f'<h1>Spring special</h1><p>Book now: <a href="{LINK.replace("&", "&amp;")}">here</a></p>'


async def _subscribe(client: Client, headers: dict[str, str] | None = None, **body: Any) -> Any:
    return await client.post(f"{BASE}/subscribe", json=body, headers=headers or {})


async def _campaign(client: Client, actor: Actor, **overrides: Any) -> dict[str, Any]:
    body = {"name": "Spring", "subject": "Spring special", "content": CONTENT, **overrides}
    response = await client.post(f"{BASE}/campaigns", json=body, headers=actor.headers())
    assert response.status_code == 201, response.text
    return response.json()


async def _outbox(app: FastAPI) -> list[OutboxMessage]:
    async with app.state.runtime.unit_of_work(write=False) as db:
        rows = await db.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.reference.like("campaign_delivery:%"))
            .order_by(OutboxMessage.id)
        )
        return list(rows)


@dataclass
class Sent:
    admin: Actor
    campaign_id: int
    send: dict[str, Any]
    tokens: dict[str, str]  # address -> delivery token


async def _sent_campaign(client: Client, app: FastAPI) -> Sent:
    """Three email subscribers (one unsubscribed) and a phone-only one; an email
    campaign sent to them."""
    admin = await client.staff("admin")
    for email in ("ann@example.com", "bob@example.com", "cy@example.com"):
        assert (await _subscribe(client, email=email)).status_code == 201
    assert (await _subscribe(client, phone="408-555-0199")).status_code == 201
    unsub = await client.post(f"{BASE}/unsubscribe", json={"email": "cy@example.com"})
    assert unsub.status_code == 200
    campaign = await _campaign(client, admin)
    send = await client.post(f"{BASE}/campaigns/{campaign['id']}/send", headers=admin.headers())
    assert send.status_code == 202, send.text
    tokens = {}
    for message in await _outbox(app):
        token = re.search(r"/track/open/([A-Za-z0-9_-]+)\.gif", message.html or "")
        assert token is not None
        tokens[message.to_address] = token.group(1)
    return Sent(admin, campaign["id"], send.json(), tokens)


async def _stats(client: Client, sent: Sent) -> dict[str, Any]:
    response = await client.get(
        f"{BASE}/campaigns/{sent.campaign_id}/stats", headers=sent.admin.headers()
    )
    assert response.status_code == 200, response.text
    return response.json()


# -- subscribe / unsubscribe ------------------------------------------------------------


async def test_subscribe_is_idempotent_201_then_200(client: Client) -> None:
    first = await _subscribe(client, email="Fan@Example.com", name="Fan", source="footer")
    again = await _subscribe(client, email="fan@example.com")
    assert first.status_code == 201
    assert first.json() == {
        "success": True,
        "subscribed": True,
        "message": "Successfully subscribed to the newsletter.",
        "subscriber_id": first.json()["subscriber_id"],
    }
    assert again.status_code == 200
    assert again.json()["subscriber_id"] == first.json()["subscriber_id"]
    assert again.json()["message"] == "You are already subscribed to the newsletter."


async def test_unsubscribe_is_idempotent_and_resubscribe_is_201(client: Client) -> None:
    subscribed = (await _subscribe(client, phone="(408) 555-0123")).json()
    first = await client.post(f"{BASE}/unsubscribe", json={"phone": "+14085550123"})
    second = await client.post(f"{BASE}/unsubscribe", json={"phone": "408.555.0123"})
    back = await _subscribe(client, phone="4085550123")
    assert (first.status_code, second.status_code) == (200, 200)
    assert (
        first.json()
        == second.json()
        == {
            "success": True,
            "subscribed": False,
            "message": service.UNSUBSCRIBED_MESSAGE,
        }
    )
    assert back.status_code == 201
    assert back.json()["subscriber_id"] == subscribed["subscriber_id"]


async def test_unsubscribe_of_an_unknown_address_answers_the_same(client: Client) -> None:
    response = await client.post(f"{BASE}/unsubscribe", json={"email": "nobody@example.com"})
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "subscribed": False,
        "message": service.UNSUBSCRIBED_MESSAGE,
    }


async def test_subscribe_needs_an_email_or_a_phone(client: Client) -> None:
    response = await _subscribe(client, name="No Address")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert "email or a phone" in response.json()["message"]


async def test_subscribe_refuses_a_bad_email(client: Client) -> None:
    response = await _subscribe(client, email="not-an-email")
    assert response.status_code == 422
    assert "email" in response.json()["details"]


# -- subscribers ----------------------------------------------------------------------


async def test_subscribers_list_filters_by_status_source_and_search(client: Client) -> None:
    viewer = await client.staff("viewer")
    await _subscribe(client, email="alpha@example.com", name="Alpha", source="footer")
    await _subscribe(client, email="beta@example.com", source="popup")
    await _subscribe(client, phone="+14085550111", name="Gamma")
    await client.post(f"{BASE}/unsubscribe", json={"email": "beta@example.com"})
    h = viewer.headers()
    subscribed = (await client.get(f"{BASE}/subscribers?status=subscribed", headers=h)).json()
    footer = (await client.get(f"{BASE}/subscribers?source=footer", headers=h)).json()
    by_name = (await client.get(f"{BASE}/subscribers?search=gam", headers=h)).json()
    by_phone = (await client.get(f"{BASE}/subscribers?search=555-0111", headers=h)).json()
    assert sorted(s["email"] or s["phone"] for s in subscribed["items"]) == [
        "+14085550111",
        "alpha@example.com",
    ]
    assert [s["email"] for s in footer["items"]] == ["alpha@example.com"]
    assert [s["name"] for s in by_name["items"]] == ["Gamma"]
    assert [s["phone"] for s in by_phone["items"]] == ["+14085550111"]
    assert subscribed["total"] == 2 and subscribed["items"][0]["subscribed"] is True


async def test_subscribers_are_per_station(client: Client) -> None:
    other = await client.station()
    theirs = await client.staff("admin", station=other["id"])
    ours = await client.staff("admin")
    await _subscribe(client, email="main-fan@example.com")
    await _subscribe(client, {"X-Station-ID": other["code"]}, email="other-fan@example.com")
    mine = (await client.get(f"{BASE}/subscribers", headers=ours.headers())).json()
    their = (await client.get(f"{BASE}/subscribers", headers=theirs.headers())).json()
    assert [s["email"] for s in mine["items"]] == ["main-fan@example.com"]
    assert [s["email"] for s in their["items"]] == ["other-fan@example.com"]


async def test_subscribers_list_needs_a_staff_role(client: Client) -> None:
    customer = await client.customer()
    response = await client.get(f"{BASE}/subscribers", headers=customer.headers())
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_permissions"


# -- campaigns ------------------------------------------------------------------------


async def test_create_campaign_is_a_draft(client: Client) -> None:
    manager = await client.staff("manager")
    campaign = await _campaign(client, manager, audience={"source": "footer"})
    assert campaign["status"] == "draft"
    assert (campaign["channel"], campaign["subject"], campaign["recipients"]) == (
        "email",
        "Spring special",
        0,
    )
    assert campaign["audience"] == {"source": "footer"}
    assert campaign["created_by_id"] == manager.user_id


async def test_an_email_campaign_needs_a_subject(client: Client) -> None:
    admin = await client.staff("admin")
    response = await client.post(
        f"{BASE}/campaigns", json={"name": "X", "content": "Hi"}, headers=admin.headers()
    )
    assert response.status_code == 422
    assert response.json()["details"] == {"subject": "an email campaign needs a subject"}


async def test_staff_cannot_create_campaigns(client: Client) -> None:
    staff = await client.staff("staff")
    response = await client.post(
        f"{BASE}/campaigns",
        json={"name": "X", "subject": "S", "content": "Hi"},
        headers=staff.headers(),
    )
    assert response.status_code == 403
    assert response.json()["details"]["required_permission"] == "newsletter:manage"


async def test_a_draft_can_be_changed_and_deleted(client: Client) -> None:
    admin = await client.staff("admin")
    campaign = await _campaign(client, admin)
    url = f"{BASE}/campaigns/{campaign['id']}"
    changed = await client.put(
        url, json={"channel": "sms", "content": "Spring deals!"}, headers=admin.headers()
    )
    deleted = await client.delete(url, headers=admin.headers())
    gone = await client.get(url, headers=admin.headers())
    assert changed.status_code == 200
    assert (changed.json()["channel"], changed.json()["content"]) == ("sms", "Spring deals!")
    assert deleted.status_code == 204
    assert gone.status_code == 404
    assert gone.json()["code"] == "campaign_not_found"


async def test_campaigns_list_shows_the_stations_own(client: Client) -> None:
    other = await client.station()
    theirs = await client.staff("admin", station=other["id"])
    ours = await client.staff("admin")
    mine = await _campaign(client, ours, name="Ours")
    await _campaign(client, theirs, name="Theirs")
    response = await client.get(f"{BASE}/campaigns", headers=ours.headers())
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["items"]] == [mine["id"]]


async def test_another_stations_campaign_is_not_found(client: Client) -> None:
    other = await client.station()
    theirs = await client.staff("admin", station=other["id"])
    ours = await client.staff("admin")
    campaign = await _campaign(client, ours)
    for path in ("", "/stats", "/deliveries"):
        response = await client.get(
            f"{BASE}/campaigns/{campaign['id']}{path}", headers=theirs.headers()
        )
        assert response.status_code == 404, path
        assert response.json()["code"] == "campaign_not_found"
    send = await client.post(f"{BASE}/campaigns/{campaign['id']}/send", headers=theirs.headers())
    assert send.status_code == 404


async def test_a_campaign_without_recipients_is_409_and_stays_a_draft(client: Client) -> None:
    admin = await client.staff("admin")
    await _subscribe(client, email="fan@example.com", source="footer")
    campaign = await _campaign(client, admin, audience={"source": "popup"})
    send = await client.post(f"{BASE}/campaigns/{campaign['id']}/send", headers=admin.headers())
    after = await client.get(f"{BASE}/campaigns/{campaign['id']}", headers=admin.headers())
    assert send.status_code == 409
    assert send.json()["code"] == "no_recipients"
    assert after.json()["status"] == "draft"


# -- sending --------------------------------------------------------------------------


async def test_send_delivers_to_each_subscribed_email(client: Client, app: FastAPI) -> None:
    sent = await _sent_campaign(client, app)
    outbox = await _outbox(app)
    stats = await _stats(client, sent)
    campaign = await client.get(
        f"{BASE}/campaigns/{sent.campaign_id}", headers=sent.admin.headers()
    )
    assert sent.send == {
        "success": True,
        "campaign_id": sent.campaign_id,
        "status": "sending",
        "recipients": 2,
        "message": "Sending to 2 recipients.",
    }
    assert sorted(m.to_address for m in outbox) == ["ann@example.com", "bob@example.com"]
    assert {(m.channel, m.subject, m.status, m.provider) for m in outbox} == {
        ("email", "Spring special", "sent", "outbox")
    }
    assert stats == {
        "campaign_id": sent.campaign_id,
        "status": "sent",
        "recipients": 2,
        "sent": 2,
        "failed": 0,
        "queued": 0,
        "skipped": 0,
        "opened": 0,
        "clicked": 0,
        "total_clicks": 0,
        "open_rate": 0.0,
        "click_rate": 0.0,
    }
    assert campaign.json()["status"] == "sent" and campaign.json()["sent_at"] is not None


async def test_the_email_tracks_links_and_carries_an_unsubscribe_link(
    client: Client, app: FastAPI
) -> None:
    sent = await _sent_campaign(client, app)
    message = next(m for m in await _outbox(app) if m.to_address == "ann@example.com")
    token = sent.tokens["ann@example.com"]
    assert message.html is not None
    assert f"/api/newsletter/track/open/{token}.gif" in message.html
    assert f"http://testserver/api/newsletter/track/click/{token}?url=" in message.html
    assert 'href="https://myhibachi.com' not in message.html
    assert "http://testserver/api/newsletter/unsubscribe/" in message.body
    assert message.body.startswith("Spring special\nBook now: here (http://testserver/")


async def test_deliveries_list_the_outbox(client: Client, app: FastAPI) -> None:
    sent = await _sent_campaign(client, app)
    response = await client.get(
        f"{BASE}/campaigns/{sent.campaign_id}/deliveries", headers=sent.admin.headers()
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert sorted(d["to"] for d in items) == ["ann@example.com", "bob@example.com"]
    assert {d["status"] for d in items} == {"sent"}
    assert all(d["outbox_message_id"] and d["sent_at"] for d in items)


async def test_sending_twice_is_409(client: Client, app: FastAPI) -> None:
    sent = await _sent_campaign(client, app)
    again = await client.post(
        f"{BASE}/campaigns/{sent.campaign_id}/send", headers=sent.admin.headers()
    )
    assert again.status_code == 409
    assert again.json()["code"] == "campaign_not_draft"
    assert len(await _outbox(app)) == 2


async def test_a_sent_campaign_cannot_be_changed_or_deleted(client: Client, app: FastAPI) -> None:
    sent = await _sent_campaign(client, app)
    url = f"{BASE}/campaigns/{sent.campaign_id}"
    put = await client.put(url, json={"name": "New"}, headers=sent.admin.headers())
    delete = await client.delete(url, headers=sent.admin.headers())
    assert (put.status_code, delete.status_code) == (409, 409)
    assert put.json()["code"] == delete.json()["code"] == "campaign_not_draft"


async def test_the_send_job_runs_again_without_sending_again(client: Client, app: FastAPI) -> None:
    sent = await _sent_campaign(client, app)
    handed = await service.deliver_campaign(app.state.runtime, sent.campaign_id)
    assert handed == 0
    assert len(await _outbox(app)) == 2
    assert (await _stats(client, sent))["sent"] == 2


async def test_sending_again_resumes_a_campaign_whose_job_failed(
    client: Client, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = await client.staff("admin")
    for email in ("ann@example.com", "bob@example.com"):
        assert (await _subscribe(client, email=email)).status_code == 201
    campaign = await _campaign(client, admin)
    url = f"{BASE}/campaigns/{campaign['id']}/send"

    async def smtp_down(_rt: Any, _campaign_id: int) -> int:
        raise ConnectionError("mail relay unreachable")

    with monkeypatch.context() as patch:
        patch.setattr(service, "deliver_campaign", smtp_down)
        first = await client.post(url, headers=admin.headers())
    assert (first.status_code, first.json()["status"]) == (202, "sending")
    async with app.state.runtime.unit_of_work(write=False) as db:
        failed = list(await db.scalars(select(FailedJob.job_name)))
    assert failed == ["hibachi.send_campaign"]
    assert await _outbox(app) == []

    resumed = await client.post(url, headers=admin.headers())
    assert resumed.status_code == 202
    assert resumed.json() == {
        "success": True,
        "campaign_id": campaign["id"],
        "status": "sending",
        "recipients": 2,
        "message": "Resuming: 2 messages still queued.",
    }
    assert sorted(m.to_address for m in await _outbox(app)) == [
        "ann@example.com",
        "bob@example.com",
    ]
    done = await client.get(f"{BASE}/campaigns/{campaign['id']}", headers=admin.headers())
    assert done.json()["status"] == "sent"


# -- scheduled sending ---------------------------------------------------------------


def _at(minutes: int) -> str:
    return (utcnow() + timedelta(minutes=minutes)).isoformat()


async def test_a_campaign_scheduled_for_later_goes_when_its_time_comes(
    client: Client, app: FastAPI
) -> None:
    admin = await client.staff("admin")
    assert (await _subscribe(client, email="ann@example.com")).status_code == 201
    campaign = await _campaign(client, admin, scheduled_at=_at(60))
    url = f"{BASE}/campaigns/{campaign['id']}"

    scheduled = await client.post(f"{url}/send", headers=admin.headers())
    when = datetime.fromisoformat(campaign["scheduled_at"])
    assert scheduled.status_code == 202
    assert scheduled.json() == {
        "success": True,
        "campaign_id": campaign["id"],
        "status": "scheduled",
        "recipients": 1,
        "message": f"Scheduled for {when:%Y-%m-%d %H:%M} UTC.",
    }
    # nothing goes early, and a subscriber who joins before the time is included
    assert await service.send_due_campaigns(app.state.runtime) == 0
    assert await _outbox(app) == []
    assert (await _subscribe(client, email="bob@example.com")).status_code == 201
    again = await client.post(f"{url}/send", headers=admin.headers())
    assert (again.status_code, again.json()["code"]) == (409, "campaign_not_draft")

    # still editable until it goes: bring it forward to now
    moved = await client.put(url, json={"scheduled_at": _at(-1)}, headers=admin.headers())
    assert (moved.status_code, moved.json()["status"]) == (200, "scheduled")
    assert await service.send_due_campaigns(app.state.runtime) == 1
    assert await service.send_due_campaigns(app.state.runtime) == 0

    outbox = sorted(m.to_address for m in await _outbox(app))
    assert outbox == ["ann@example.com", "bob@example.com"]
    done = await client.get(url, headers=admin.headers())
    assert done.json()["status"] == "sent"


async def test_clearing_the_time_unschedules_and_a_scheduled_campaign_can_be_deleted(
    client: Client,
) -> None:
    admin = await client.staff("admin")
    assert (await _subscribe(client, email="ann@example.com")).status_code == 201
    first = await _campaign(client, admin, scheduled_at=_at(60))
    second = await _campaign(client, admin, scheduled_at=_at(60))
    for made in (first, second):
        sent = await client.post(f"{BASE}/campaigns/{made['id']}/send", headers=admin.headers())
        assert sent.json()["status"] == "scheduled"

    cleared = await client.put(
        f"{BASE}/campaigns/{first['id']}", json={"scheduled_at": None}, headers=admin.headers()
    )
    deleted = await client.delete(f"{BASE}/campaigns/{second['id']}", headers=admin.headers())
    gone = await client.get(f"{BASE}/campaigns/{second['id']}", headers=admin.headers())

    assert (cleared.status_code, cleared.json()["status"]) == (200, "draft")
    assert cleared.json()["scheduled_at"] is None
    assert deleted.status_code == 204
    assert (gone.status_code, gone.json()["code"]) == (404, "campaign_not_found")


async def test_a_scheduled_campaign_with_nobody_to_reach_returns_to_draft(
    client: Client, app: FastAPI
) -> None:
    admin = await client.staff("admin")
    assert (await _subscribe(client, email="ann@example.com")).status_code == 201
    campaign = await _campaign(client, admin, scheduled_at=_at(60))
    url = f"{BASE}/campaigns/{campaign['id']}"
    assert (await client.post(f"{url}/send", headers=admin.headers())).status_code == 202
    unsub = await client.post(f"{BASE}/unsubscribe", json={"email": "ann@example.com"})
    assert unsub.status_code == 200
    moved = await client.put(url, json={"scheduled_at": _at(-1)}, headers=admin.headers())
    assert moved.status_code == 200

    assert await service.send_due_campaigns(app.state.runtime) == 0
    after = await client.get(url, headers=admin.headers())
    assert (after.json()["status"], await _outbox(app)) == ("draft", [])


async def test_an_sms_campaign_goes_to_phones(client: Client, app: FastAPI) -> None:
    admin = await client.staff("admin")
    await _subscribe(client, email="mail-only@example.com")
    await _subscribe(client, phone="408-555-0142", email="both@example.com")
    campaign = await _campaign(client, admin, channel="sms", subject=None, content="Deals!")
    send = await client.post(f"{BASE}/campaigns/{campaign['id']}/send", headers=admin.headers())
    outbox = await _outbox(app)
    assert send.status_code == 202
    assert send.json()["recipients"] == 1
    assert [(m.channel, m.to_address) for m in outbox] == [("sms", "+14085550142")]
    assert outbox[0].body.startswith("Deals!\n\nUnsubscribe: http://testserver/")


async def test_sending_needs_campaigns_send(client: Client) -> None:
    admin = await client.staff("admin")
    viewer = await client.staff("viewer")
    campaign = await _campaign(client, admin)
    response = await client.post(
        f"{BASE}/campaigns/{campaign['id']}/send", headers=viewer.headers()
    )
    assert response.status_code == 403
    assert response.json()["details"]["required_permission"] == "campaigns:send"


# -- tracking -------------------------------------------------------------------------


async def test_the_open_pixel_counts_one_open(client: Client, app: FastAPI) -> None:
    sent = await _sent_campaign(client, app)
    url = f"{BASE}/track/open/{sent.tokens['ann@example.com']}.gif"
    first = await client.get(url)
    await client.get(url)
    viewer = await client.staff("viewer")
    stats = await client.get(f"{BASE}/campaigns/{sent.campaign_id}/stats", headers=viewer.headers())
    assert first.status_code == 200
    assert first.headers["content-type"] == "image/gif"
    assert first.content.startswith(b"GIF89a")
    assert stats.status_code == 200
    assert (stats.json()["opened"], stats.json()["open_rate"]) == (1, 0.5)


async def test_the_pixel_of_an_unknown_token_is_still_a_gif(client: Client) -> None:
    unknown = await client.get(f"{BASE}/track/open/no-such-token-at-all.gif")
    malformed = await client.get(f"{BASE}/track/open/{'x' * 300}.gif")
    assert (unknown.status_code, malformed.status_code) == (200, 200)
    assert unknown.headers["content-type"] == malformed.headers["content-type"] == "image/gif"


async def test_a_click_counts_and_redirects(client: Client, app: FastAPI) -> None:
    sent = await _sent_campaign(client, app)
    token = sent.tokens["bob@example.com"]
    first = await client.get(f"{BASE}/track/click/{token}", params={"url": LINK})
    second = await client.get(f"{BASE}/track/click/{token}", params={"url": LINK})
    stats = await _stats(client, sent)
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.headers["location"] == LINK
    assert (stats["clicked"], stats["total_clicks"], stats["click_rate"]) == (1, 2, 0.5)
    assert stats["opened"] == 1  # a click proves an open


async def test_the_tracked_link_in_the_email_leads_to_the_original(
    client: Client, app: FastAPI
) -> None:
    await _sent_campaign(client, app)
    message = (await _outbox(app))[0]
    href = re.search(r'href="([^"]*track/click[^"]*)"', message.html or "")
    assert href is not None
    tracked = urlsplit(href.group(1).replace("&amp;", "&"))
    response = await client.get(tracked.path, params={"url": parse_qs(tracked.query)["url"][0]})
    assert response.status_code == 302
    assert response.headers["location"] == LINK


async def test_a_click_to_a_foreign_url_is_404(client: Client, app: FastAPI) -> None:
    sent = await _sent_campaign(client, app)
    token = sent.tokens["ann@example.com"]
    response = await client.get(
        f"{BASE}/track/click/{token}", params={"url": "https://evil.example.com/phish"}
    )
    assert response.status_code == 404
    assert response.json()["code"] == "link_not_found"
    assert (await _stats(client, sent))["clicked"] == 0


async def test_the_one_click_unsubscribe_link_unsubscribes(client: Client, app: FastAPI) -> None:
    sent = await _sent_campaign(client, app)
    message = next(m for m in await _outbox(app) if m.to_address == "ann@example.com")
    link = re.search(r"http://testserver(/api/newsletter/unsubscribe/\S+)", message.body)
    assert link is not None
    response = await client.get(link.group(1))
    listing = await client.get(f"{BASE}/subscribers?search=ann@", headers=sent.admin.headers())
    assert response.status_code == 200
    assert response.json()["subscribed"] is False
    assert listing.json()["items"][0]["status"] == "unsubscribed"


# -- rendering (pure) -----------------------------------------------------------------


def test_links_in_html_are_its_unescaped_hrefs() -> None:
    content = '<a href="https://a.example/x?a=1&amp;b=2">A</a> <a href="mailto:x@y.z">m</a>'
    assert service.links_in(content) == {"https://a.example/x?a=1&b=2"}


def test_links_in_plain_text_drop_sentence_punctuation() -> None:
    assert service.links_in("See https://a.example/menu. Or (https://b.example/x)!") == {
        "https://a.example/menu",
        "https://b.example/x",
    }


def test_a_plain_text_email_gets_tracked_links_and_escaped_html() -> None:
    text, body_html = service.render_email(
        "Hi <friend>, see https://a.example/x.",
        base="https://api.test",
        token="tok" * 6,
        unsubscribe_url="https://api.test/u",
    )
    tracked = "https://api.test/api/newsletter/track/click/" + "tok" * 6 + "?url="
    assert text.startswith(f"Hi <friend>, see {tracked}https%3A%2F%2Fa.example%2Fx.")
    assert text.endswith("Unsubscribe: https://api.test/u")
    assert "Hi &lt;friend&gt;" in body_html
    assert f'<a href="{tracked}https%3A%2F%2Fa.example%2Fx">https://a.example/x</a>' in body_html
