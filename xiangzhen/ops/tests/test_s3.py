"""Attachments on S3 for real: moto's S3 server on a loopback port stands in for the bucket (MinIO,
OSS, COS…), the storage is built by the settings module from the same environment variables
production sets, and a file goes in through the article page and comes back out through
core:attachment, byte for byte, from a private object under the configured prefix."""

import runpy
import socket

import boto3
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from xiangzhen import settings as settings_module
from xiangzhen.portal import selectors, services
from xiangzhen.portal.models import Article

pytestmark = pytest.mark.django_db

BUCKET = "xiangzhen-attachments"
PREFIX = "county-433124"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """The production environment for S3, read by the settings module itself; the bucket exists
    beforehand, as an operator creates it."""
    env = {
        "XIANGZHEN_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "test-access",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
        "AWS_LOCATION": PREFIX,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # Django resets default_storage when STORAGES changes.
    settings.STORAGES = runpy.run_path(settings_module.__file__)["STORAGES"]
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-access",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    return client


def test_an_attachment_goes_to_the_bucket_and_comes_back_through_the_download_page(
    bucket, client, county_civil_affairs, county_official
):
    storage = storages["default"]
    assert isinstance(storage, S3Storage)
    assert (storage.bucket_name, storage.location, storage.default_acl) == (BUCKET, PREFIX, "private")

    client.force_login(county_civil_affairs)
    response = client.post(
        reverse("portal:create"),
        {"kind": "news", "title": "图文新闻", "body": "正文", "attachments": [SimpleUploadedFile("现场.png", PNG)]},
    )
    assert response.status_code == 302
    article = Article.objects.get()
    attachment = selectors.attachments(article).get()

    # In the bucket, under the prefix, private, with the uploaded bytes.
    key = f"{PREFIX}/{attachment.file.name}"
    assert [o["Key"] for o in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]] == [key]
    assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == PNG
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]

    # Back out through the platform's download path, after the scope check, once published.
    services.submit_article(actor=county_civil_affairs, article=article)
    services.publish_article(actor=county_official, article=article)
    client.logout()
    download = client.get(reverse("core:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG
