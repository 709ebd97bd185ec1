"""Local file storage: keys, round trips, and the signed download route over HTTP."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import pytest
import time_machine
from fastapi import FastAPI

from trident.core.config import CoreSettings
from trident.core.errors import ErrorInfo, install_error_handlers
from trident.core.storage import (
    PUBLIC_CACHE_CONTROL,
    LocalFileStorage,
    StoredFile,
    local_files_router,
)

BASE = "http://app.test"
SECRET = "file-signing-secret-" + "k" * 32
FROZEN = datetime(2030, 1, 15, 12, 0, tzinfo=UTC)
MODEL = b"solid cube\nfacet normal 0 0 1\nendsolid cube\n"


class Hwc3dLikeSettings(CoreSettings):
    app_name: ClassVar[str] = "hwc3d"


def hwc3d_envelope(info: ErrorInfo) -> dict[str, Any]:
    return {"detail": info.message, "error_code": info.code}


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(FROZEN, tick=False) as traveller:
        yield traveller


@pytest.fixture
def storage(tmp_path: Path) -> LocalFileStorage:
    return LocalFileStorage(tmp_path / "files", SECRET)


@pytest.fixture
async def client(storage: LocalFileStorage) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_error_handlers(app, hwc3d_envelope)
    app.include_router(local_files_router(storage))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        yield c


async def put_model(storage: LocalFileStorage, data: bytes = MODEL, **kwargs: Any) -> StoredFile:
    return await storage.put(
        data, folder="models", extension=".stl", content_type="model/stl", **kwargs
    )


def with_query(url: str, **changes: str | None) -> str:
    """``url`` with query parameters replaced (or dropped, for None)."""
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


# -- storage ----------------------------------------------------------------------------
async def test_put_then_read_returns_the_same_bytes(storage: LocalFileStorage) -> None:
    stored = await put_model(storage)
    assert await storage.read(stored.key) == MODEL


async def test_put_describes_the_stored_file(storage: LocalFileStorage) -> None:
    stored = await put_model(storage)
    assert re.fullmatch(r"models/[0-9a-f]{32}\.stl", stored.key)
    assert (stored.size, stored.content_type, stored.sha256) == (
        len(MODEL),
        "model/stl",
        hashlib.sha256(MODEL).hexdigest(),
    )


async def test_put_leaves_only_the_file_and_its_sidecar(
    storage: LocalFileStorage, tmp_path: Path
) -> None:
    stored = await put_model(storage)
    written = sorted(p.relative_to(tmp_path / "files").as_posix() for p in storage.root.rglob("*"))
    assert written == ["models", stored.key, f"{stored.key}.meta"]


async def test_keys_are_unique(storage: LocalFileStorage) -> None:
    keys = {(await put_model(storage)).key for _ in range(20)}
    assert len(keys) == 20


async def test_extension_case_is_normalised(storage: LocalFileStorage) -> None:
    stored = await storage.put(MODEL, folder="models", extension=".STL", content_type="model/stl")
    assert stored.key.endswith(".stl")


@pytest.mark.parametrize(
    "folder", ["../x", "/etc", "a/../b", "a\\b", "", ".hidden", "Models", "a//b", "a/", "a b"]
)
async def test_a_malicious_folder_is_refused(storage: LocalFileStorage, folder: str) -> None:
    with pytest.raises(ValueError, match="folder"):
        await storage.put(MODEL, folder=folder, extension=".stl", content_type="model/stl")


@pytest.mark.parametrize("extension", [".php/..", "../x", "stl", ".", "", ".tar.gz", ".s\n"])
async def test_a_malicious_extension_is_refused(storage: LocalFileStorage, extension: str) -> None:
    with pytest.raises(ValueError, match="extension"):
        await storage.put(MODEL, folder="models", extension=extension, content_type="model/stl")


async def test_a_malformed_content_type_is_refused(storage: LocalFileStorage) -> None:
    with pytest.raises(ValueError, match="content type"):
        await storage.put(
            MODEL, folder="models", extension=".stl", content_type="text/html\r\nX-Evil: 1"
        )


@pytest.mark.parametrize(
    "key", ["../secrets/hwc3d.json", "models/../../x.stl", "/etc/passwd", "models/x.stl"]
)
async def test_a_key_not_made_by_put_is_refused(storage: LocalFileStorage, key: str) -> None:
    with pytest.raises(ValueError, match="key"):
        await storage.read(key)


async def test_a_sidecar_is_not_a_key(storage: LocalFileStorage) -> None:
    stored = await put_model(storage)
    with pytest.raises(ValueError, match="key"):
        await storage.read(f"{stored.key}.meta")


async def test_exists_after_put(storage: LocalFileStorage) -> None:
    stored = await put_model(storage)
    assert await storage.exists(stored.key) is True


async def test_exists_refuses_a_key_not_made_by_put(storage: LocalFileStorage) -> None:
    with pytest.raises(ValueError, match="key"):
        await storage.exists("../models/x.stl")


async def test_delete_removes_the_file(storage: LocalFileStorage) -> None:
    stored = await put_model(storage)
    await storage.delete(stored.key)
    assert await storage.exists(stored.key) is False
    assert list(storage.root.rglob("*.stl*")) == []


async def test_delete_is_idempotent(storage: LocalFileStorage) -> None:
    stored = await put_model(storage)
    await storage.delete(stored.key)
    await storage.delete(stored.key)
    assert await storage.exists(stored.key) is False


async def test_read_of_a_missing_file_raises_file_not_found(storage: LocalFileStorage) -> None:
    with pytest.raises(FileNotFoundError):
        await storage.read("models/" + "0" * 32 + ".stl")


async def test_public_url_without_a_cdn_is_the_unsigned_route(storage: LocalFileStorage) -> None:
    stored = await put_model(storage, public=True)
    assert await storage.public_url(stored.key, base_url=BASE + "/") == f"{BASE}/files/{stored.key}"


async def test_public_url_with_a_cdn(tmp_path: Path) -> None:
    storage = LocalFileStorage(tmp_path, SECRET, cdn_url="https://cdn.example.com/files/")
    stored = await put_model(storage, public=True)
    url = await storage.public_url(stored.key, base_url=BASE)
    assert url == f"https://cdn.example.com/files/{stored.key}"


async def test_download_url_format(
    storage: LocalFileStorage, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(
        stored.key, expires_in=timedelta(minutes=15), filename="cube.stl", base_url=BASE
    )
    expires = int(FROZEN.timestamp()) + 900
    assert re.fullmatch(
        rf"{BASE}/files/{stored.key}\?expires={expires}&filename=cube\.stl&signature=[0-9a-f]{{64}}",
        url,
    )


def test_router_prefix_must_match_the_storage(storage: LocalFileStorage) -> None:
    with pytest.raises(ValueError, match="prefix"):
        local_files_router(storage, prefix="/media")


# -- the download route -----------------------------------------------------------------
async def test_valid_link_serves_the_exact_bytes(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(
        stored.key, expires_in=timedelta(minutes=15), filename="cube.stl", base_url=BASE
    )
    response = await client.get(url)
    assert response.status_code == 200
    assert response.content == MODEL


async def test_valid_link_sends_the_download_headers(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(
        stored.key, expires_in=timedelta(minutes=15), filename="cube.stl", base_url=BASE
    )
    headers = (await client.get(url)).headers
    assert headers["content-type"] == "model/stl"
    assert headers["content-length"] == str(len(MODEL))
    assert headers["content-disposition"] == 'attachment; filename="cube.stl"'
    assert headers["cache-control"] == "private, max-age=900"
    assert headers["x-content-type-options"] == "nosniff"


async def test_a_large_file_is_served_intact(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    data = random.Random(7).randbytes(3 * 1024 * 1024 + 17)
    stored = await put_model(storage, data)
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=5), base_url=BASE)
    response = await client.get(url)
    assert response.headers["content-length"] == str(len(data))
    assert hashlib.sha256(response.content).hexdigest() == stored.sha256


async def test_a_text_file_keeps_its_stored_content_type(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await storage.put(
        b"v 0 0 0\n", folder="models", extension=".obj", content_type="text/plain"
    )
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=5), base_url=BASE)
    assert (await client.get(url)).headers["content-type"] == "text/plain"


async def test_a_non_ascii_filename_is_sent_with_filename_star(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(
        stored.key, expires_in=timedelta(minutes=15), filename="modèle 3D.stl", base_url=BASE
    )
    assert (await client.get(url)).headers["content-disposition"] == (
        "attachment; filename=\"mod_le 3D.stl\"; filename*=UTF-8''mod%C3%A8le%203D.stl"
    )


async def test_a_link_without_filename_is_not_an_attachment(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=15), base_url=BASE)
    assert "content-disposition" not in (await client.get(url)).headers


async def test_head_sends_the_headers_without_the_bytes(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=15), base_url=BASE)
    response = await client.head(url)
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["content-length"] == str(len(MODEL))
    assert response.headers["content-type"] == "model/stl"


async def test_a_link_to_another_key_is_refused(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    mine, other = await put_model(storage), await put_model(storage)
    url = await storage.download_url(mine.key, expires_in=timedelta(minutes=15), base_url=BASE)
    response = await client.get(url.replace(mine.key, other.key))
    assert response.status_code == 403
    assert response.json() == {
        "detail": "The download link is invalid.",
        "error_code": "invalid_signature",
    }


async def test_a_tampered_filename_is_refused(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(
        stored.key, expires_in=timedelta(minutes=15), filename="cube.stl", base_url=BASE
    )
    response = await client.get(with_query(url, filename="invoice.exe"))
    assert (response.status_code, response.json()["error_code"]) == (403, "invalid_signature")


async def test_a_dropped_filename_is_refused(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(
        stored.key, expires_in=timedelta(minutes=15), filename="cube.stl", base_url=BASE
    )
    response = await client.get(with_query(url, filename=None))
    assert (response.status_code, response.json()["error_code"]) == (403, "invalid_signature")


async def test_a_tampered_expiry_is_refused(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=15), base_url=BASE)
    later = str(int(FROZEN.timestamp()) + 86_400)
    response = await client.get(with_query(url, expires=later))
    assert (response.status_code, response.json()["error_code"]) == (403, "invalid_signature")


@pytest.mark.parametrize("expires", ["soon", "-1", "1" * 40, "²"])
async def test_a_malformed_expiry_is_refused(
    storage: LocalFileStorage,
    client: httpx.AsyncClient,
    frozen: time_machine.Traveller,
    expires: str,
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=15), base_url=BASE)
    response = await client.get(with_query(url, expires=expires))
    assert (response.status_code, response.json()["error_code"]) == (403, "invalid_signature")


async def test_a_missing_signature_is_refused(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=15), base_url=BASE)
    response = await client.get(with_query(url, signature=None))
    assert (response.status_code, response.json()["error_code"]) == (403, "invalid_signature")


async def test_a_non_ascii_signature_is_refused(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=15), base_url=BASE)
    response = await client.get(with_query(url, signature="é" * 64))
    assert (response.status_code, response.json()["error_code"]) == (403, "invalid_signature")


async def test_a_private_file_needs_a_signature(
    storage: LocalFileStorage, client: httpx.AsyncClient
) -> None:
    stored = await put_model(storage)
    response = await client.get(f"/files/{stored.key}")
    assert (response.status_code, response.json()["error_code"]) == (403, "invalid_signature")


async def test_an_expired_link_is_refused(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=15), base_url=BASE)
    frozen.shift(timedelta(minutes=15))
    response = await client.get(url)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "The download link has expired.",
        "error_code": "link_expired",
    }


async def test_a_link_works_until_its_last_second(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=15), base_url=BASE)
    frozen.shift(timedelta(minutes=15) - timedelta(seconds=1))
    response = await client.get(url)
    assert (response.status_code, response.headers["cache-control"]) == (200, "private, max-age=1")


async def test_a_deleted_file_is_not_found(
    storage: LocalFileStorage, client: httpx.AsyncClient, frozen: time_machine.Traveller
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=15), base_url=BASE)
    await storage.delete(stored.key)
    response = await client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "The file does not exist.", "error_code": "not_found"}


async def test_a_public_file_is_served_without_a_signature(
    storage: LocalFileStorage, client: httpx.AsyncClient
) -> None:
    stored = await storage.put(
        b"\x89PNG\r\n\x1a\n",
        folder="avatars",
        extension=".png",
        content_type="image/png",
        public=True,
    )
    response = await client.get(await storage.public_url(stored.key, base_url=BASE))
    assert (response.status_code, response.content) == (200, b"\x89PNG\r\n\x1a\n")
    assert response.headers["cache-control"] == PUBLIC_CACHE_CONTROL


async def test_the_route_is_documented_under_files(storage: LocalFileStorage) -> None:
    app = FastAPI()
    app.include_router(local_files_router(storage))
    operations = app.openapi()["paths"]["/files/{key}"]
    assert sorted(operations) == ["get", "head"]
    assert operations["get"]["tags"] == ["files"]
    responses = operations["get"]["responses"]
    assert responses["403"]["description"] == "The link's signature is missing, wrong or expired"
    assert responses["404"]["description"] == "No file is stored under this key"


# -- settings: the spec's names and ours ------------------------------------------------
S3_VARIABLES = [
    "S3_BUCKET",
    "S3_BUCKET_NAME",
    "S3_ACCESS_KEY_ID",
    "S3_ACCESS_KEY",
    "S3_SECRET_ACCESS_KEY",
    "S3_SECRET_KEY",
]


@pytest.fixture
def clean_s3_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in S3_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"HWC3D_{name}", raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    "variable", ["S3_BUCKET", "HWC3D_S3_BUCKET", "S3_BUCKET_NAME", "HWC3D_S3_BUCKET_NAME"]
)
def test_bucket_is_read_from_either_spelling(
    clean_s3_env: pytest.MonkeyPatch, variable: str
) -> None:
    clean_s3_env.setenv(variable, "hwc3d-models")
    assert Hwc3dLikeSettings(_env_file=None).s3_bucket == "hwc3d-models"


@pytest.mark.parametrize(
    "variable",
    ["S3_ACCESS_KEY_ID", "HWC3D_S3_ACCESS_KEY_ID", "S3_ACCESS_KEY", "HWC3D_S3_ACCESS_KEY"],
)
def test_access_key_is_read_from_either_spelling(
    clean_s3_env: pytest.MonkeyPatch, variable: str
) -> None:
    clean_s3_env.setenv(variable, "AKIAEXAMPLE")
    assert Hwc3dLikeSettings(_env_file=None).s3_access_key_id == "AKIAEXAMPLE"


@pytest.mark.parametrize(
    "variable",
    ["S3_SECRET_ACCESS_KEY", "HWC3D_S3_SECRET_ACCESS_KEY", "S3_SECRET_KEY", "HWC3D_S3_SECRET_KEY"],
)
def test_secret_key_is_read_from_either_spelling(
    clean_s3_env: pytest.MonkeyPatch, variable: str
) -> None:
    clean_s3_env.setenv(variable, "wJalrXUtnFEMI")
    settings = Hwc3dLikeSettings(_env_file=None)
    assert settings.s3_secret_access_key.get_secret_value() == "wJalrXUtnFEMI"


def test_app_prefixed_spec_name_wins_over_plain_name(clean_s3_env: pytest.MonkeyPatch) -> None:
    clean_s3_env.setenv("S3_BUCKET", "shared-bucket")
    clean_s3_env.setenv("HWC3D_S3_BUCKET_NAME", "hwc3d-bucket")
    assert Hwc3dLikeSettings(_env_file=None).s3_bucket == "hwc3d-bucket"


def test_field_name_wins_over_spec_name_at_the_same_level(
    clean_s3_env: pytest.MonkeyPatch,
) -> None:
    clean_s3_env.setenv("S3_BUCKET", "canonical")
    clean_s3_env.setenv("S3_BUCKET_NAME", "spec")
    assert Hwc3dLikeSettings(_env_file=None).s3_bucket == "canonical"


def test_settings_still_take_the_field_name_as_keyword(clean_s3_env: pytest.MonkeyPatch) -> None:
    settings = Hwc3dLikeSettings(_env_file=None, s3_bucket="kw-bucket", s3_access_key_id="kw-key")
    assert (settings.s3_bucket, settings.s3_access_key_id) == ("kw-bucket", "kw-key")
