from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import RedirectResponse

from trident.apps.hibachi.auth.auth import OPTIONAL_AUTH, PublicStation, station_caller
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.newsletter import repository, service
from trident.apps.hibachi.newsletter.schemas import (
    CampaignCreate,
    CampaignOut,
    CampaignStats,
    CampaignStatus,
    CampaignUpdate,
    DeliveryOut,
    DeliveryStatus,
    SendResponse,
    SubscribeRequest,
    SubscribeResponse,
    SubscriberOut,
    UnsubscribeRequest,
    UnsubscribeResponse,
)
from trident.apps.hibachi.responses import ListResponse, PageQuery, list_response
from trident.apps.hibachi.runtime import hibachi_runtime
from trident.core.app import DbSession
from trident.core.ids import PathId
from trident.core.pagination import fetch_page

router = APIRouter(tags=["newsletter"])

Reader = station_caller("newsletter:read")
Manager = station_caller("newsletter:manage")
Sender = station_caller("campaigns:send")
LinkToken = Annotated[str, Path(min_length=1, max_length=64)]

#: a transparent 1x1 GIF: the open pixel
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
NO_STORE = {"Cache-Control": "no-store, no-cache, must-revalidate, private", "Pragma": "no-cache"}


# -- public -------------------------------------------------------------------------


@router.post(
    "/subscribe",
    response_model=SubscribeResponse,
    status_code=201,
    responses={
        200: {"model": SubscribeResponse, "description": "Already subscribed"},
        **errors(401, 404, 422),
    },
    openapi_extra=OPTIONAL_AUTH,
)
async def subscribe(
    body: SubscribeRequest, response: Response, station: PublicStation, db: DbSession
) -> SubscribeResponse:
    """Subscribe an email and/or phone (public; 201 new or back, 200 already subscribed)."""
    answer, changed = await service.subscribe_request(db, station.id, body)
    if not changed:
        response.status_code = 200
    return answer


@router.post(
    "/unsubscribe",
    response_model=UnsubscribeResponse,
    responses=errors(401, 404, 422),
    openapi_extra=OPTIONAL_AUTH,
)
async def unsubscribe(
    body: UnsubscribeRequest, station: PublicStation, db: DbSession
) -> UnsubscribeResponse:
    """Unsubscribe by email, phone or link token (public; the same answer for anyone)."""
    return await service.unsubscribe(db, station.id, body)


@router.get("/unsubscribe/{token}", response_model=UnsubscribeResponse, responses=errors(422))
async def unsubscribe_link(token: LinkToken, request: Request) -> UnsubscribeResponse:
    """The one-click unsubscribe link of a newsletter."""
    rt = hibachi_runtime(request)
    # a GET that writes: its own writing transaction, audited like any write
    async with rt.unit_of_work() as db:
        rt.on_write_session(db, request)
        return await service.unsubscribe_by_token(db, token)


@router.post("/unsubscribe/{token}", response_model=UnsubscribeResponse, responses=errors(422))
async def unsubscribe_link_post(token: LinkToken, db: DbSession) -> UnsubscribeResponse:
    """One-click unsubscribe by POST (RFC 8058 List-Unsubscribe-Post)."""
    return await service.unsubscribe_by_token(db, token)


@router.get(
    "/track/open/{token}.gif",
    response_class=Response,
    response_model=None,
    responses={200: {"content": {"image/gif": {}}, "description": "A 1x1 transparent GIF"}},
)
async def track_open(token: str, request: Request) -> Response:
    """The open pixel: records the first open, always answers the image."""
    await service.track_open(hibachi_runtime(request), token)
    return Response(PIXEL, media_type="image/gif", headers=NO_STORE)


@router.get(
    "/track/click/{token}",
    response_class=RedirectResponse,
    response_model=None,
    status_code=302,
    responses={302: {"description": "To the link's address"}, **errors(404, 422)},
)
async def track_click(
    token: LinkToken,
    request: Request,
    url: Annotated[str, Query(min_length=1, max_length=2000, description="The link clicked")],
) -> RedirectResponse:
    """A tracked link: counts the click, then redirects to a link of the campaign."""
    target = await service.track_click(hibachi_runtime(request), token, url)
    return RedirectResponse(target, status_code=302, headers=NO_STORE)


# -- subscribers --------------------------------------------------------------------


@router.get(
    "/subscribers", response_model=ListResponse[SubscriberOut], responses=errors(401, 403, 422)
)
async def list_subscribers(
    caller: Reader,
    db: DbSession,
    page: PageQuery,
    status: Literal["subscribed", "unsubscribed"] | None = None,
    search: Annotated[
        str | None, Query(max_length=100, description="Part of an email, phone or name")
    ] = None,
    source: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    """The station's subscribers, newest first, filtered by status, source or search."""
    stmt = repository.subscribers_query(
        caller.station_id,
        status=status,
        source=source.strip().lower() if source else None,
        search=search.strip() if search and search.strip() else None,
    )
    result = await fetch_page(db, stmt, page)
    return list_response(SubscriberOut, [service.subscriber_out(s) for s in result.items], result)


# -- campaigns ----------------------------------------------------------------------


@router.get("/campaigns", response_model=ListResponse[CampaignOut], responses=errors(401, 403, 422))
async def list_campaigns(
    caller: Reader,
    db: DbSession,
    page: PageQuery,
    status: CampaignStatus | None = None,
    channel: Literal["email", "sms"] | None = None,
) -> Response:
    """The station's campaigns, newest first, with their recipient counts."""
    stmt = repository.campaigns_query(caller.station_id, status=status, channel=channel)
    result = await fetch_page(db, stmt, page)
    return list_response(CampaignOut, await service.campaigns_out(db, result.items), result)


@router.post(
    "/campaigns", response_model=CampaignOut, status_code=201, responses=errors(401, 403, 422)
)
async def create_campaign(body: CampaignCreate, caller: Manager, db: DbSession) -> CampaignOut:
    """Create a campaign (a draft) for email or SMS."""
    return await service.create_campaign(db, caller, body)


@router.get(
    "/campaigns/{campaign_id}", response_model=CampaignOut, responses=errors(401, 403, 404, 422)
)
async def get_campaign(campaign_id: PathId, caller: Reader, db: DbSession) -> CampaignOut:
    """One campaign of the station."""
    return await service.get_campaign(db, caller, campaign_id)


@router.put(
    "/campaigns/{campaign_id}",
    response_model=CampaignOut,
    responses=errors(401, 403, 404, 409, 422),
)
async def update_campaign(
    campaign_id: PathId, body: CampaignUpdate, caller: Manager, db: DbSession
) -> CampaignOut:
    """Change a draft or scheduled campaign (409 once it is sending or sent)."""
    return await service.update_campaign(db, caller, campaign_id, body)


@router.delete(
    "/campaigns/{campaign_id}", status_code=204, responses=errors(401, 403, 404, 409, 422)
)
async def delete_campaign(campaign_id: PathId, caller: Manager, db: DbSession) -> Response:
    """Delete a draft or scheduled campaign (409 once it is sending or sent)."""
    await service.delete_campaign(db, caller, campaign_id)
    return Response(status_code=204)


@router.post(
    "/campaigns/{campaign_id}/send",
    response_model=SendResponse,
    status_code=202,
    responses=errors(401, 403, 404, 409, 422),
)
async def send_campaign(campaign_id: PathId, caller: Sender, db: DbSession) -> SendResponse:
    """Send a draft to every subscriber with an address for its channel (in the background).

    With ``scheduled_at`` in the future the campaign is scheduled instead and goes out at
    that time; a campaign still sending has its job resumed."""
    return await service.send_campaign(db, caller, campaign_id)


@router.get(
    "/campaigns/{campaign_id}/stats",
    response_model=CampaignStats,
    responses=errors(401, 403, 404, 422),
)
async def campaign_stats(campaign_id: PathId, caller: Reader, db: DbSession) -> CampaignStats:
    """Recipients, sent, failed, opened and clicked counts and rates of a campaign."""
    return await service.campaign_stats(db, caller, campaign_id)


@router.get(
    "/campaigns/{campaign_id}/deliveries",
    response_model=ListResponse[DeliveryOut],
    responses=errors(401, 403, 404, 422),
)
async def campaign_deliveries(
    campaign_id: PathId,
    caller: Reader,
    db: DbSession,
    page: PageQuery,
    status: DeliveryStatus | None = None,
) -> Response:
    """A campaign's deliveries: to whom, sent, opened, clicked (the outbox, readable)."""
    await service.campaign_of(db, caller, campaign_id)  # 404 for another station's
    stmt = repository.deliveries_query(caller.station_id, campaign_id, status=status)
    result = await fetch_page(db, stmt, page)
    return list_response(DeliveryOut, [service.delivery_out(d) for d in result.items], result)
