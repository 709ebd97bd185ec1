"""Newsletter subscriptions and campaigns: the subscriber list, campaigns from draft
to sent, their deliveries through the outbox, and open and click tracking.

Sending freezes the audience in the request (one delivery row per recipient, with
the random token of its tracking links), then a job hands the deliveries to the
outbox in batches; each batch commits on its own, so a retried job resumes where
the last one stopped and never sends a delivery twice.
"""

from __future__ import annotations

import html
import logging
import re
import secrets
from datetime import datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.auth.principal import Caller
from trident.apps.hibachi.models import Campaign, CampaignDelivery, Subscriber
from trident.apps.hibachi.newsletter import repository
from trident.apps.hibachi.newsletter.schemas import (
    TOKEN_PATTERN,
    CampaignCreate,
    CampaignOut,
    CampaignStats,
    CampaignUpdate,
    DeliveryOut,
    SendResponse,
    SubscribeRequest,
    SubscribeResponse,
    SubscriberOut,
    UnsubscribeRequest,
    UnsubscribeResponse,
    check_campaign,
)
from trident.apps.hibachi.runtime import HibachiRuntime
from trident.core.clock import utcnow
from trident.core.db.tenancy import scoped
from trident.core.errors import Conflict, NotFound, Unprocessable
from trident.core.jobs import queue_job
from trident.core.text import normalize_phone_number

log = logging.getLogger("trident.hibachi.newsletter")

SUBSCRIBED = "subscribed"
UNSUBSCRIBED = "unsubscribed"
DRAFT, SCHEDULED, SENDING = "draft", "scheduled", "sending"
QUEUED, SENT, SKIPPED = "queued", "sent", "skipped"
SEND_CAMPAIGN_JOB = "hibachi.send_campaign"
#: scheduled campaigns started per read of the due list
DUE_BATCH = 50
#: deliveries handed to the outbox per transaction of the send job
SEND_BATCH = 200
#: subscribers read (and deliveries inserted) per statement when a send starts
RECIPIENT_PAGE = 1000
TOKEN_RE = re.compile(TOKEN_PATTERN)


async def _find(
    db: AsyncSession, station_id: int, email: str | None, phone: str | None
) -> Subscriber | None:
    if email:
        found = await repository.subscriber_by_email(db, station_id, email)
        if found is not None:
            return found
    if phone:
        return await repository.subscriber_by_phone(db, station_id, phone)
    return None


async def subscribe(
    db: AsyncSession,
    station_id: int,
    *,
    email: str | None,
    phone: str | None,
    name: str | None = None,
    source: str = "website",
) -> tuple[Subscriber, bool]:
    """Subscribe by email and/or phone; idempotent.  Returns the subscriber and whether
    this call changed anything (a new subscriber, or an unsubscribed one back)."""
    email = email.strip().lower() if email else None
    phone = (normalize_phone_number(phone) or phone.strip()) if phone else None
    if not (email or phone):
        raise ValueError("subscribe needs an email or a phone")
    found = await _find(db, station_id, email, phone)
    if found is not None:
        changed = found.status != SUBSCRIBED
        if changed:
            found.status = SUBSCRIBED
            found.subscribed_at = utcnow()
            found.unsubscribed_at = None
        # fill in what the record lacks, unless another subscriber already has it
        if (
            email
            and not found.email
            and not await repository.subscriber_by_email(db, station_id, email)
        ):
            found.email = email
        if (
            phone
            and not found.phone
            and not await repository.subscriber_by_phone(db, station_id, phone)
        ):
            found.phone = phone
        if name and not found.name:
            found.name = name
        await db.flush()
        return found, changed
    subscriber = Subscriber(
        station_id=station_id,
        email=email,
        phone=phone,
        name=name,
        status=SUBSCRIBED,
        source=source,
        unsubscribe_token=secrets.token_urlsafe(32),
        subscribed_at=utcnow(),
    )
    try:
        async with db.begin_nested():  # a concurrent subscribe of the same address may win
            db.add(subscriber)
            await db.flush()
    except IntegrityError:
        found = await _find(db, station_id, email, phone)
        if found is None:
            raise
        return found, False
    return subscriber, True


# -- public subscribe / unsubscribe -------------------------------------------------


async def subscribe_request(
    db: AsyncSession, station_id: int, body: SubscribeRequest
) -> tuple[SubscribeResponse, bool]:
    """The public form: returns the answer and whether it changed anything (201)."""
    subscriber, changed = await subscribe(
        db,
        station_id,
        email=str(body.email) if body.email else None,
        phone=body.phone,
        name=body.name,
        source=body.source or "website",
    )
    message = (
        "Successfully subscribed to the newsletter."
        if changed
        else "You are already subscribed to the newsletter."
    )
    return SubscribeResponse(message=message, subscriber_id=subscriber.id), changed


def _unsubscribe(subscriber: Subscriber) -> None:
    if subscriber.status != UNSUBSCRIBED:
        subscriber.status = UNSUBSCRIBED
        subscriber.unsubscribed_at = utcnow()


UNSUBSCRIBED_MESSAGE = "You have been unsubscribed. You will receive no more newsletters."


async def unsubscribe(
    db: AsyncSession, station_id: int, body: UnsubscribeRequest
) -> UnsubscribeResponse:
    """Unsubscribe every record the address or token names; an unknown address gets
    the same answer (the form must not tell who is subscribed)."""
    found: list[Subscriber] = []
    if body.token:
        by_token = await repository.subscriber_by_token(db, body.token)
        if by_token is not None:
            found.append(by_token)
    if body.email:
        by_email = await repository.subscriber_by_email(db, station_id, str(body.email).lower())
        if by_email is not None:
            found.append(by_email)
    if body.phone:
        by_phone = await repository.subscriber_by_phone(db, station_id, body.phone)
        if by_phone is not None:
            found.append(by_phone)
    for subscriber in found:
        _unsubscribe(subscriber)
    await db.flush()
    return UnsubscribeResponse(message=UNSUBSCRIBED_MESSAGE)


async def unsubscribe_by_token(db: AsyncSession, token: str) -> UnsubscribeResponse:
    """The one-click link of an email."""
    if TOKEN_RE.fullmatch(token):
        subscriber = await repository.subscriber_by_token(db, token)
        if subscriber is not None:
            _unsubscribe(subscriber)
            await db.flush()
    return UnsubscribeResponse(message=UNSUBSCRIBED_MESSAGE)


def subscriber_out(subscriber: Subscriber) -> SubscriberOut:
    return SubscriberOut(
        id=subscriber.id,
        email=subscriber.email,
        phone=subscriber.phone,
        name=subscriber.name,
        status=subscriber.status,  # type: ignore[arg-type]
        subscribed=subscriber.status == SUBSCRIBED,
        source=subscriber.source,
        subscribed_at=subscriber.subscribed_at,
        unsubscribed_at=subscriber.unsubscribed_at,
        created_at=subscriber.created_at,
    )


# -- campaigns ----------------------------------------------------------------------


def campaign_out(campaign: Campaign, recipients: int = 0) -> CampaignOut:
    return CampaignOut(
        id=campaign.id,
        name=campaign.name,
        subject=campaign.subject,
        content=campaign.content,
        channel=campaign.channel,  # type: ignore[arg-type]
        status=campaign.status,  # type: ignore[arg-type]
        audience=campaign.audience or {},
        scheduled_at=campaign.scheduled_at,
        sent_at=campaign.sent_at,
        recipients=recipients,
        created_by_id=campaign.created_by_id,
        created_at=campaign.created_at,
        updated_at=campaign.updated_at,
    )


async def campaigns_out(db: AsyncSession, campaigns: list[Campaign]) -> list[CampaignOut]:
    counts = await repository.recipient_counts(db, [c.id for c in campaigns])
    return [campaign_out(c, counts.get(c.id, 0)) for c in campaigns]


def _check(channel: str, subject: str | None, content: str) -> None:
    problems = check_campaign(channel, subject, content)
    if problems:
        raise Unprocessable(
            "The campaign is incomplete: " + "; ".join(problems.values()) + ".",
            details=problems,
        )


async def campaign_of(db: AsyncSession, caller: Caller, campaign_id: int) -> Campaign:
    campaign = await db.scalar(
        scoped(select(Campaign), Campaign, caller.station_id).where(Campaign.id == campaign_id)
    )
    if campaign is None:
        raise NotFound(f"Campaign {campaign_id} was not found.", code="campaign_not_found")
    return campaign


def _not_draft(campaign: Campaign, action: str) -> Conflict:
    return Conflict(
        f"Campaign {campaign.id} is {campaign.status}; only a draft"
        f"{' or scheduled campaign' if action != 'sent' else ''} can be {action}.",
        code="campaign_not_draft",
        details={"status": campaign.status},
    )


async def create_campaign(db: AsyncSession, caller: Caller, body: CampaignCreate) -> CampaignOut:
    _check(body.channel, body.subject, body.content)
    campaign = Campaign(
        station_id=caller.station_id,
        name=body.name,
        subject=body.subject,
        content=body.content,
        channel=body.channel,
        status=DRAFT,
        audience=body.audience.model_dump(exclude_none=True) if body.audience else {},
        scheduled_at=body.scheduled_at,
        created_by_id=caller.user_id,
    )
    db.add(campaign)
    await db.flush()
    return campaign_out(campaign)


async def get_campaign(db: AsyncSession, caller: Caller, campaign_id: int) -> CampaignOut:
    campaign = await campaign_of(db, caller, campaign_id)
    counts = await repository.recipient_counts(db, [campaign.id])
    return campaign_out(campaign, counts.get(campaign.id, 0))


async def update_campaign(
    db: AsyncSession, caller: Caller, campaign_id: int, body: CampaignUpdate
) -> CampaignOut:
    campaign = await campaign_of(db, caller, campaign_id)
    if campaign.status not in (DRAFT, SCHEDULED):
        raise _not_draft(campaign, "changed")
    fields = body.model_dump(exclude_unset=True)
    for name in ("name", "content", "channel"):
        if fields.get(name) is not None:
            setattr(campaign, name, fields[name])
    if "subject" in fields:
        campaign.subject = fields["subject"]
    if "scheduled_at" in fields:
        campaign.scheduled_at = fields["scheduled_at"]
        if campaign.scheduled_at is None and campaign.status == SCHEDULED:
            campaign.status = DRAFT  # unscheduled: it waits for a send again
    if "audience" in fields:
        campaign.audience = body.audience.model_dump(exclude_none=True) if body.audience else {}
    _check(campaign.channel, campaign.subject, campaign.content)
    await db.flush()
    return campaign_out(campaign)


async def delete_campaign(db: AsyncSession, caller: Caller, campaign_id: int) -> None:
    campaign = await campaign_of(db, caller, campaign_id)
    if campaign.status not in (DRAFT, SCHEDULED):
        raise _not_draft(campaign, "deleted")
    await db.delete(campaign)
    await db.flush()


# -- sending ------------------------------------------------------------------------


async def _resume_sending(db: AsyncSession, campaign: Campaign) -> SendResponse:
    """A campaign still sending, perhaps because its job failed for good (the failed
    jobs say why): queue the job again.  It is resumable and never hands a delivery
    over twice, so a second send of a campaign in flight is harmless."""
    left = await repository.queued_left(db, campaign.station_id, campaign.id)
    queue_job(db, SEND_CAMPAIGN_JOB, campaign_id=campaign.id)
    return SendResponse(
        campaign_id=campaign.id,
        status="sending",
        recipients=left,
        message=f"Resuming: {left} message{'s' if left != 1 else ''} still queued.",
    )


async def send_campaign(db: AsyncSession, caller: Caller, campaign_id: int) -> SendResponse:
    """Send a draft now (or at its ``scheduled_at``, when that is in the future); for
    a campaign still sending, resume its job."""
    campaign = await campaign_of(db, caller, campaign_id)
    if campaign.status == SENDING:
        return await _resume_sending(db, campaign)
    if campaign.status != DRAFT:
        raise _not_draft(campaign, "sent")
    now = utcnow()
    if campaign.scheduled_at is not None and campaign.scheduled_at > now:
        return await _schedule(db, campaign, now)
    if not await repository.claim(db, caller.station_id, campaign.id, DRAFT, SENDING, now):
        raise _not_draft(campaign, "sent")  # another request sent it a moment ago
    recipients = await _freeze_audience(db, campaign)
    if recipients == 0:
        raise Conflict(
            f"No subscriber can receive this {campaign.channel} campaign.",
            code="no_recipients",
            details={"channel": campaign.channel, "audience": campaign.audience or {}},
        )
    queue_job(db, SEND_CAMPAIGN_JOB, campaign_id=campaign.id)
    return SendResponse(
        campaign_id=campaign.id,
        status="sending",
        recipients=recipients,
        message=f"Sending to {recipients} recipient{'s' if recipients != 1 else ''}.",
    )


async def _schedule(db: AsyncSession, campaign: Campaign, now: datetime) -> SendResponse:
    """draft -> scheduled: the periodic job sends it when its time comes, to the
    audience of that moment (``recipients`` is who it would reach now)."""
    if not await repository.claim(db, campaign.station_id, campaign.id, DRAFT, SCHEDULED, now):
        raise _not_draft(campaign, "sent")
    source = (campaign.audience or {}).get("source")
    reach = await repository.audience_size(db, campaign.station_id, campaign.channel, source)
    assert campaign.scheduled_at is not None
    return SendResponse(
        campaign_id=campaign.id,
        status="scheduled",
        recipients=reach,
        message=f"Scheduled for {campaign.scheduled_at:%Y-%m-%d %H:%M} UTC.",
    )


async def _freeze_audience(db: AsyncSession, campaign: Campaign) -> int:
    """One queued delivery per recipient of the moment, inserted in bulk by keyset
    pages; returns how many."""
    source = (campaign.audience or {}).get("source")
    recipients, after = 0, 0
    while True:
        page = await repository.recipients_after(
            db,
            campaign.station_id,
            campaign.channel,
            after_id=after,
            limit=RECIPIENT_PAGE,
            source=source,
        )
        if not page:
            return recipients
        await repository.insert_deliveries(
            db,
            [
                {
                    "station_id": campaign.station_id,
                    "campaign_id": campaign.id,
                    "subscriber_id": subscriber_id,
                    "channel": campaign.channel,
                    "to_address": address,
                    "token": secrets.token_urlsafe(24),
                    "status": QUEUED,
                    "click_count": 0,
                }
                for subscriber_id, address in page
            ],
        )
        recipients += len(page)
        after = page[-1][0]


async def send_due_campaigns(rt: HibachiRuntime) -> int:
    """The periodic job's body: each scheduled campaign whose time has come goes to
    sending (a conditional claim, so two workers ticking at once send it once), its
    audience is frozen and its send job queued.  With nobody to reach it returns to
    draft.  Returns how many started sending."""
    started = 0
    while True:
        async with rt.unit_of_work(write=False) as db:
            due = await repository.due_campaigns(db, utcnow(), DUE_BATCH)
        for campaign_id, station_id in due:
            async with rt.unit_of_work() as db:
                if not await repository.claim(
                    db, station_id, campaign_id, SCHEDULED, SENDING, utcnow()
                ):
                    continue  # another worker took it
                campaign = await repository.campaign_by_id(db, campaign_id)
                assert campaign is not None
                if await _freeze_audience(db, campaign):
                    queue_job(db, SEND_CAMPAIGN_JOB, campaign_id=campaign_id)
                    started += 1
                else:
                    log.warning("campaign %s: nobody to send to; back to draft", campaign_id)
                    await repository.claim(db, station_id, campaign_id, SENDING, DRAFT, utcnow())
        if len(due) < DUE_BATCH:
            return started


async def deliver_campaign(rt: HibachiRuntime, campaign_id: int) -> int:
    """The send job's body: hand queued deliveries to the outbox, a batch per
    transaction, then mark the campaign sent.  A second run finds nothing queued and
    only finishes the campaign; returns how many messages this run handed over."""
    async with rt.unit_of_work(write=False) as db:
        campaign = await repository.campaign_by_id(db, campaign_id)
    if campaign is None or campaign.status != SENDING:
        return 0
    base = rt.settings.link_base
    handed = 0
    while True:
        async with rt.unit_of_work() as db:
            batch = await repository.queued_batch(db, campaign.station_id, campaign.id, SEND_BATCH)
            if not batch:
                # rows another run holds are still queued: that run finishes the campaign
                if not await repository.queued_left(db, campaign.station_id, campaign.id):
                    await repository.finish_campaign(db, campaign.id, utcnow())
                return handed
            now = utcnow()
            changes: list[dict[str, Any]] = []
            for row in batch:
                if row.subscriber_status != SUBSCRIBED or row.unsubscribe_token is None:
                    changes.append(
                        {"id": row.id, "status": SKIPPED, "error": "unsubscribed before sending"}
                    )
                    continue
                unsubscribe_url = f"{base}/api/newsletter/unsubscribe/{row.unsubscribe_token}"
                if row.channel == "email":
                    text, html_body = render_email(
                        campaign.content,
                        base=base,
                        token=row.token,
                        unsubscribe_url=unsubscribe_url,
                    )
                else:
                    text, html_body = render_sms(campaign.content, unsubscribe_url), None
                message = await rt.notifier.enqueue(
                    db,
                    channel=row.channel,
                    to=row.to_address,
                    subject=campaign.subject if row.channel == "email" else None,
                    body=text,
                    html=html_body,
                    tenant_id=campaign.station_id,
                    reference=f"campaign_delivery:{row.id}",
                )
                changes.append(
                    {
                        "id": row.id,
                        "status": SENT,
                        "outbox_message_id": message.id,
                        "sent_at": now,
                        "error": None,
                    }
                )
                handed += 1
            await repository.mark_deliveries(db, changes)


# -- statistics and deliveries --------------------------------------------------------


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


async def campaign_stats(db: AsyncSession, caller: Caller, campaign_id: int) -> CampaignStats:
    campaign = await campaign_of(db, caller, campaign_id)
    counts = await repository.campaign_stats(db, caller.station_id, campaign.id)
    return CampaignStats(
        campaign_id=campaign.id,
        status=campaign.status,  # type: ignore[arg-type]
        open_rate=_rate(counts["opened"], counts["sent"]),
        click_rate=_rate(counts["clicked"], counts["sent"]),
        **counts,
    )


def delivery_out(delivery: CampaignDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        subscriber_id=delivery.subscriber_id,
        channel=delivery.channel,  # type: ignore[arg-type]
        to=delivery.to_address,
        status=delivery.status,  # type: ignore[arg-type]
        error=delivery.error,
        outbox_message_id=delivery.outbox_message_id,
        sent_at=delivery.sent_at,
        opened_at=delivery.opened_at,
        clicked_at=delivery.clicked_at,
        click_count=delivery.click_count,
    )


# -- tracking -----------------------------------------------------------------------


async def track_open(rt: HibachiRuntime, token: str) -> None:
    """Record the first open; never fails (the answer is an image either way)."""
    if not TOKEN_RE.fullmatch(token):
        return
    try:
        async with rt.unit_of_work() as db:
            await repository.mark_opened(db, token, utcnow())
    except Exception:
        log.warning("could not record an email open", exc_info=True)


async def track_click(rt: HibachiRuntime, token: str, url: str) -> str:
    """Count a click and give the address to redirect to: only a link the campaign
    itself contains (the tracker must not be an open redirect)."""
    if TOKEN_RE.fullmatch(token) and url:
        async with rt.unit_of_work() as db:
            found = await repository.delivery_content(db, token)
            if found is not None and url in links_in(found[1]):
                await repository.mark_clicked(db, found[0], utcnow())
                return url
    raise NotFound("That link was not found.", code="link_not_found")


# -- rendering (pure) ---------------------------------------------------------------

#: content is HTML when it has a real HTML tag ("Hi <name>" in a text is not one)
HTML_TAG = re.compile(
    r"</?(html|body|head|a|p|div|span|br|hr|img|table|tr|td|th|tbody|thead|ul|ol|li|h[1-6]"
    r"|strong|em|b|i|u|center|font|section|article|header|footer|blockquote|pre|code)\b[^>]*>",
    re.IGNORECASE,
)
HREF = re.compile(r"""(\bhref\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
ANCHOR = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*(["'])(.*?)\1[^>]*>(.*?)</a\s*>""", re.IGNORECASE | re.DOTALL
)
BARE_URL = re.compile(r"""https?://[^\s<>"']+""", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""
BLOCK_END = re.compile(r"<br\s*/?>|</(p|div|h[1-6]|li|tr)\s*>", re.IGNORECASE)
INVISIBLE = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def is_html(content: str) -> bool:
    return bool(HTML_TAG.search(content))


def _web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _bare_urls(text: str) -> list[tuple[int, int, str]]:
    """Each bare URL in plain text (start, end, url), without the punctuation that
    ends the sentence it sits in."""
    found = []
    for match in BARE_URL.finditer(text):
        url = match.group().rstrip(TRAILING)
        found.append((match.start(), match.start() + len(url), url))
    return found


def links_in(content: str) -> set[str]:
    """The web links a campaign's content carries: its ``href`` values when it is
    HTML, its bare URLs when it is plain text."""
    if is_html(content):
        urls = {html.unescape(m.group(3)).strip() for m in HREF.finditer(content)}
    else:
        urls = {url for _, _, url in _bare_urls(content)}
    return {url for url in urls if _web(url)}


def click_url(base: str, token: str, url: str) -> str:
    return f"{base}/api/newsletter/track/click/{token}?url={quote(url, safe='')}"


def open_pixel_url(base: str, token: str) -> str:
    return f"{base}/api/newsletter/track/open/{token}.gif"


def _sub_bare(text: str, replace: Any) -> str:
    out, last = [], 0
    for start, end, url in _bare_urls(text):
        out.append(text[last:start])
        out.append(replace(url))
        last = end
    out.append(text[last:])
    return "".join(out)


def _plain_text(content_html: str, track: Any) -> str:
    """A text part for clients that show no HTML: links spelled out, tags gone."""
    text = INVISIBLE.sub("", content_html)
    text = ANCHOR.sub(
        lambda m: (
            f"{m.group(3)} ({track(html.unescape(m.group(2)).strip())})"
            if _web(html.unescape(m.group(2)).strip())
            else m.group(3)
        ),
        text,
    )
    text = BLOCK_END.sub("\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def render_email(content: str, *, base: str, token: str, unsubscribe_url: str) -> tuple[str, str]:
    """(text, html) of one recipient's email: links through the click tracker, an
    open pixel, an unsubscribe link."""

    def track(url: str) -> str:
        return click_url(base, token, url)

    if is_html(content):

        def rewrite(match: re.Match[str]) -> str:
            url = html.unescape(match.group(3)).strip()
            if not _web(url):
                return match.group(0)
            quote_char = match.group(2)
            return f"{match.group(1)}{quote_char}{html.escape(track(url))}{quote_char}"

        body_html = HREF.sub(rewrite, content)
        text = _plain_text(content, track)
    else:
        body_html = _sub_bare(
            html.escape(content, quote=False),
            lambda url: f'<a href="{html.escape(track(html.unescape(url)))}">{url}</a>',
        ).replace("\n", "<br>\n")
        text = _sub_bare(content, track)
    footer = (
        '<p style="font-size:12px;color:#888888">'
        f'<a href="{html.escape(unsubscribe_url)}">Unsubscribe</a></p>'
        f'<img src="{html.escape(open_pixel_url(base, token))}" width="1" height="1" alt=""'
        ' style="border:0">'
    )
    closing = re.search(r"</body\s*>", body_html, re.IGNORECASE)
    if closing:
        body_html = body_html[: closing.start()] + footer + body_html[closing.start() :]
    else:
        body_html = body_html + "\n" + footer
    text = f"{text}\n\n--\nUnsubscribe: {unsubscribe_url}"
    return text, body_html


def render_sms(content: str, unsubscribe_url: str) -> str:
    return f"{content}\n\nUnsubscribe: {unsubscribe_url}"
