import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiangzhen.core.attachments import attach, attachments_of
from xiangzhen.core.errors import ValidationFailed

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_attach_and_download_in_scope(client, county_official, organization):
    attachment = attach(actor=county_official, owner=organization, upload=SimpleUploadedFile("现场.png", PNG))
    assert list(attachments_of(organization)) == [attachment]
    assert len(attachment.sha256) == 64
    client.force_login(county_official)
    response = client.get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG


@pytest.mark.django_db
def test_out_of_scope_download_is_404(client, county_official, other_county_official, organization):
    attachment = attach(actor=county_official, owner=organization, upload=SimpleUploadedFile("a.png", PNG))
    client.force_login(other_county_official)
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ....", "格式不支持"),
        ("photo.png", b"MZ not a png at all", "内容与扩展名不符"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_bad_uploads_are_refused(county_official, organization, name, content, message):
    with pytest.raises(ValidationFailed) as exc:
        attach(actor=county_official, owner=organization, upload=SimpleUploadedFile(name, content))
    assert message in exc.value.message
    assert not attachments_of(organization).exists()
