from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import RedirectResponse

from trident.apps.hibachi.auth.auth import station_caller
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.qr import repository, service
from trident.apps.hibachi.qr.schemas import (
    QrAnalytics,
    QrCampaignCreate,
    QrCampaignOut,
    QrCampaignUpdate,
    ScanResult,
)
from trident.apps.hibachi.responses import ListResponse, PageQuery, list_response
from trident.apps.hibachi.runtime import hibachi_runtime
from trident.core.app import DbSession
from trident.core.dates import Day
from trident.core.ids import PathId
from trident.core.pagination import fetch_page
from trident.core.urls import public_base

router = APIRouter(tags=["qr"])

Reader = station_caller("qr:read")
Manager = station_caller("qr:manage")
Code = Annotated[str, Path(min_length=1, max_length=64, description="The code printed in the QR")]
NO_STORE = {"Cache-Control": "no-store, private"}


@router.post(
    "/campaigns", response_model=QrCampaignOut, status_code=201, responses=errors(401, 403, 422)
)
async def create_campaign(
    body: QrCampaignCreate, request: Request, caller: Manager, db: DbSession
) -> QrCampaignOut:
    """Create a QR campaign: a short code, its tracking URL and the QR image."""
    return await service.create_campaign(public_base(request), db, caller, body)


@router.get(
    "/campaigns", response_model=ListResponse[QrCampaignOut], responses=errors(401, 403, 422)
)
async def list_campaigns(
    request: Request,
    caller: Reader,
    db: DbSession,
    page: PageQuery,
    is_active: bool | None = None,
    search: Annotated[str | None, Query(max_length=100, description="Name or code")] = None,
) -> Response:
    """The station's QR campaigns, newest first, with their scan counts."""
    stmt = repository.campaigns_query(
        caller.station_id,
        is_active=is_active,
        search=search.strip() if search and search.strip() else None,
    )
    result = await fetch_page(db, stmt, page)
    items = await service.campaigns_out(public_base(request), db, caller.station_id, result.items)
    return list_response(QrCampaignOut, items, result)


@router.get(
    "/campaigns/{campaign_id}", response_model=QrCampaignOut, responses=errors(401, 403, 404, 422)
)
async def get_campaign(
    campaign_id: PathId, request: Request, caller: Reader, db: DbSession
) -> QrCampaignOut:
    """One QR campaign with its QR image and scan count."""
    return await service.get_campaign(public_base(request), db, caller, campaign_id)


@router.put(
    "/campaigns/{campaign_id}", response_model=QrCampaignOut, responses=errors(401, 403, 404, 422)
)
async def update_campaign(
    campaign_id: PathId,
    body: QrCampaignUpdate,
    request: Request,
    caller: Manager,
    db: DbSession,
) -> QrCampaignOut:
    """Rename a QR campaign, point it elsewhere, or switch it on or off."""
    return await service.update_campaign(public_base(request), db, caller, campaign_id, body)


@router.delete(
    "/campaigns/{campaign_id}", response_model=QrCampaignOut, responses=errors(401, 403, 404, 422)
)
async def deactivate_campaign(
    campaign_id: PathId, request: Request, caller: Manager, db: DbSession
) -> QrCampaignOut:
    """Deactivate a QR campaign (it and its scans stay; its code stops answering)."""
    return await service.deactivate_campaign(public_base(request), db, caller, campaign_id)


@router.get(
    "/campaigns/{campaign_id}/analytics",
    response_model=QrAnalytics,
    responses=errors(401, 403, 404, 422),
)
async def campaign_analytics(
    campaign_id: PathId,
    caller: Reader,
    db: DbSession,
    date_from: Annotated[Day | None, Query(description="First station day")] = None,
    date_to: Annotated[Day | None, Query(description="Last station day")] = None,
) -> QrAnalytics:
    """Scans, unique visitors, scans by day and by device, referrers, last scan."""
    return await service.analytics(db, caller, campaign_id, date_from, date_to)


@router.post("/track/{code}", response_model=ScanResult, responses=errors(404, 422))
async def track_scan(code: Code, request: Request, db: DbSession) -> ScanResult:
    """Record a scan (public; the code names its station) and give the target URL."""
    campaign, target = await service.record_scan(hibachi_runtime(request), db, code, request)
    return ScanResult(target_url=target, campaign_id=campaign.id)


@router.get(
    "/track/{code}",
    response_class=RedirectResponse,
    response_model=None,
    status_code=302,
    responses={302: {"description": "To the campaign's target URL"}, **errors(404, 422)},
)
async def track_scan_redirect(code: Code, request: Request) -> RedirectResponse:
    """The URL a printed QR encodes: records the scan, then redirects to the target."""
    rt = hibachi_runtime(request)
    # a GET that writes: its own writing transaction
    async with rt.unit_of_work() as db:
        _, target = await service.record_scan(rt, db, code, request)
    return RedirectResponse(target, status_code=302, headers=NO_STORE)
