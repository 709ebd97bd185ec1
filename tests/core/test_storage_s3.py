"""S3 file storage against a real S3-compatible server (moto, on a free local port)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import boto3
import httpx
import pytest
import time_machine
from moto.server import ThreadedMotoServer

from trident.core.config import CoreSettings
from trident.core.storage import (
    PUBLIC_CACHE_CONTROL,
    LocalFileStorage,
    S3FileStorage,
    StoredFile,
    create_file_storage,
)

ACCESS_KEY, SECRET_KEY = "test-access-key", "test-secret-key"
S3_NAMES = (
    "BUCKET",
    "BUCKET_NAME",
    "ACCESS_KEY_ID",
    "ACCESS_KEY",
    "SECRET_ACCESS_KEY",
    "SECRET_KEY",
)
FROZEN = datetime(2030, 1, 15, 12, 0, tzinfo=UTC)
MODEL = b"glTF\x02\x00\x00\x00" + bytes(range(256)) * 64


class Hwc3dLikeSettings(CoreSettings):
    app_name: ClassVar[str] = "hwc3d"


@pytest.fixture(scope="module", autouse=True)
def offline_aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep boto3 away from the host's AWS configuration, metadata service and proxies."""
    nowhere = tmp_path_factory.mktemp("aws")
    with pytest.MonkeyPatch.context() as env:
        for name in (
            "AWS_PROFILE",
            "AWS_SESSION_TOKEN",
            "AWS_CA_BUNDLE",
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_S3",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
            *(f"{prefix}S3_{name}" for prefix in ("", "HWC3D_") for name in S3_NAMES),
        ):
            env.delenv(name, raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        env.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.setenv("AWS_CONFIG_FILE", str(nowhere / "config"))
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(nowhere / "credentials"))
        env.setenv("AWS_EC2_METADATA_DISABLED", "true")
        env.setenv("NO_PROXY", "127.0.0.1,localhost")
        yield


@pytest.fixture(scope="module")
def endpoint(offline_aws: None) -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
def admin(endpoint: str) -> Any:
    """A plain boto3 client, to look at the bucket behind the storage's back."""
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )


@pytest.fixture(scope="module")
def bucket(admin: Any) -> str:
    """One bucket for the module: every put makes a fresh key, so tests cannot collide."""
    name = f"trident-{uuid.uuid4().hex[:12]}"
    admin.create_bucket(Bucket=name)
    return name


def s3_storage(endpoint: str, bucket: str, cdn_url: str = "") -> S3FileStorage:
    return S3FileStorage(
        bucket=bucket,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        endpoint_url=endpoint,
        region="us-east-1",
        cdn_url=cdn_url,
    )


@pytest.fixture(scope="module")
def storage(endpoint: str, bucket: str) -> S3FileStorage:
    return s3_storage(endpoint, bucket)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(trust_env=False) as client:
        yield client


async def put_model(storage: S3FileStorage, **kwargs: Any) -> StoredFile:
    return await storage.put(
        MODEL, folder="models", extension=".glb", content_type="model/gltf-binary", **kwargs
    )


async def test_put_then_read_returns_the_same_bytes(storage: S3FileStorage) -> None:
    stored = await put_model(storage)
    assert await storage.read(stored.key) == MODEL


async def test_put_describes_the_stored_file(storage: S3FileStorage) -> None:
    stored = await put_model(storage)
    assert stored.key.startswith("models/") and stored.key.endswith(".glb")
    assert (stored.size, stored.content_type, stored.sha256) == (
        len(MODEL),
        "model/gltf-binary",
        hashlib.sha256(MODEL).hexdigest(),
    )


async def test_put_stores_the_content_type_and_checksum(
    storage: S3FileStorage, admin: Any, bucket: str
) -> None:
    stored = await put_model(storage)
    head = admin.head_object(Bucket=bucket, Key=stored.key)
    assert head["ContentType"] == "model/gltf-binary"
    assert head["Metadata"] == {"sha256": stored.sha256}
    assert "CacheControl" not in head


async def test_a_public_put_is_cacheable_for_good(
    storage: S3FileStorage, admin: Any, bucket: str
) -> None:
    stored = await put_model(storage, public=True)
    head = admin.head_object(Bucket=bucket, Key=stored.key)
    assert head["CacheControl"] == PUBLIC_CACHE_CONTROL


async def test_a_malicious_folder_is_refused(storage: S3FileStorage) -> None:
    with pytest.raises(ValueError, match="folder"):
        await storage.put(MODEL, folder="../x", extension=".glb", content_type="model/gltf-binary")


async def test_exists_after_put(storage: S3FileStorage) -> None:
    stored = await put_model(storage)
    assert await storage.exists(stored.key) is True


async def test_delete_removes_the_object(storage: S3FileStorage) -> None:
    stored = await put_model(storage)
    await storage.delete(stored.key)
    assert await storage.exists(stored.key) is False


async def test_delete_is_idempotent(storage: S3FileStorage) -> None:
    stored = await put_model(storage)
    await storage.delete(stored.key)
    await storage.delete(stored.key)
    assert await storage.exists(stored.key) is False


async def test_read_of_a_missing_object_raises_file_not_found(storage: S3FileStorage) -> None:
    with pytest.raises(FileNotFoundError):
        await storage.read("models/" + "0" * 32 + ".glb")


async def test_presigned_download_serves_the_exact_bytes(
    storage: S3FileStorage, http: httpx.AsyncClient
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(
        stored.key, expires_in=timedelta(minutes=15), filename="modèle.glb", base_url="unused"
    )
    response = await http.get(url)
    assert response.status_code == 200
    assert response.content == MODEL
    assert response.headers["content-type"] == "model/gltf-binary"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"mod_le.glb\"; filename*=UTF-8''mod%C3%A8le.glb"
    )


async def test_presigned_download_expires_when_asked(storage: S3FileStorage) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=15), base_url="")
    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["900"]


async def test_presigned_urls_use_path_style_with_an_endpoint(
    storage: S3FileStorage, endpoint: str, bucket: str
) -> None:
    stored = await put_model(storage)
    url = await storage.download_url(stored.key, expires_in=timedelta(minutes=15), base_url="")
    assert url.startswith(f"{endpoint}/{bucket}/{stored.key}?")


async def test_a_download_beyond_seven_days_is_refused(storage: S3FileStorage) -> None:
    stored = await put_model(storage)
    with pytest.raises(ValueError, match="seven days"):
        await storage.download_url(stored.key, expires_in=timedelta(days=8), base_url="")


async def test_public_url_with_a_cdn_is_the_cdn_path(endpoint: str, bucket: str) -> None:
    storage = s3_storage(endpoint, bucket, cdn_url="https://cdn.example.com/")
    stored = await put_model(storage, public=True)
    url = await storage.public_url(stored.key, base_url="")
    assert url == f"https://cdn.example.com/{stored.key}"


async def test_public_url_without_a_cdn_is_presigned_for_seven_days(
    storage: S3FileStorage, http: httpx.AsyncClient
) -> None:
    stored = await put_model(storage, public=True)
    url = await storage.public_url(stored.key, base_url="")
    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["604800"]
    assert (await http.get(url)).content == MODEL


# -- the factory -------------------------------------------------------------------------
async def test_factory_picks_s3_when_configured(
    monkeypatch: pytest.MonkeyPatch, endpoint: str, bucket: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("HWC3D_S3_BUCKET_NAME", bucket)
    monkeypatch.setenv("S3_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("S3_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("S3_ENDPOINT_URL", endpoint)
    storage = create_file_storage(Hwc3dLikeSettings(_env_file=None, data_dir=tmp_path))
    assert isinstance(storage, S3FileStorage) and storage.name == "s3"
    stored = await storage.put(
        b"avatar", folder="avatars", extension=".png", content_type="image/png"
    )
    assert await storage.read(stored.key) == b"avatar"


async def test_factory_picks_local_without_s3(tmp_path: Path) -> None:
    settings = Hwc3dLikeSettings(_env_file=None, data_dir=tmp_path)
    storage = create_file_storage(settings)
    assert isinstance(storage, LocalFileStorage) and storage.name == "local"
    assert storage.root == tmp_path / "files" / "hwc3d"


async def test_factory_picks_local_when_the_secret_key_is_missing(tmp_path: Path) -> None:
    settings = Hwc3dLikeSettings(
        _env_file=None, data_dir=tmp_path, s3_bucket="models", s3_access_key_id=ACCESS_KEY
    )
    assert isinstance(create_file_storage(settings), LocalFileStorage)


@time_machine.travel(FROZEN, tick=False)
async def test_local_signing_secret_is_kept_per_data_dir(tmp_path: Path) -> None:
    settings = Hwc3dLikeSettings(_env_file=None, data_dir=tmp_path)
    first = create_file_storage(settings)
    stored = await first.put(b"x", folder="models", extension=".stl", content_type="model/stl")
    url = await first.download_url(stored.key, expires_in=timedelta(minutes=1), base_url="")
    again = await create_file_storage(settings).download_url(
        stored.key, expires_in=timedelta(minutes=1), base_url=""
    )
    assert parse_qs(urlsplit(url).query) == parse_qs(urlsplit(again).query)
