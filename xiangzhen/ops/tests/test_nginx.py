"""deploy/nginx/xiangzhen.conf run for real: the site, with only its addresses and paths moved into
a temporary prefix, must pass `nginx -t`, then serve the app (Django's live server standing in for
gunicorn) over TLS: pages proxied with the client's address, scheme and request id, static files
from disk, oversized bodies refused with 413, /metrics and /media/ never reachable from outside."""

import datetime
import ipaddress
import os
import pwd
import re
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.core.management import call_command
from django.core.signals import request_started

from xiangzhen.ops.net import client_ip

DEPLOY = Path(__file__).resolve().parents[3] / "deploy" / "nginx"
SITE = DEPLOY / "xiangzhen.conf"
NGINX = shutil.which("nginx")

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (.ci/run installs nginx-light)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _substitute(text: str, pattern: str, replacement: str) -> str:
    """Replace what the site must contain; a site that no longer has it fails here, not silently."""
    changed, count = re.subn(pattern, replacement, text)
    assert count, f"deploy/nginx/xiangzhen.conf has nothing matching {pattern!r}"
    return changed


def _self_signed_certificate(directory: Path) -> Path:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir()
    (directory / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (directory / "privkey.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return directory / "fullchain.pem"


def render(prefix: Path, *, app_port: int, http_port: int, https_port: int, static_root: Path) -> Path:
    """The deploy site with test ports and paths, inside a minimal main configuration of our own."""
    site = SITE.read_text(encoding="utf-8")
    site = _substitute(site, r"server 127\.0\.0\.1:8000\b", f"server 127.0.0.1:{app_port}")
    site = _substitute(site, r"(?m)^\s*listen \[::\]:\d+[^;]*;\n", "")  # the test machine may lack IPv6
    site = _substitute(site, r"listen 80;", f"listen 127.0.0.1:{http_port};")
    site = _substitute(site, r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    site = _substitute(site, r"/etc/ssl/xiangzhen/", f"{prefix}/ssl/")
    site = _substitute(site, r"/var/log/nginx/", f"{prefix}/logs/")
    site = _substitute(site, r"/opt/xiangzhen/var/static/", f"{static_root}/")
    site = _substitute(site, r"/var/www/letsencrypt", f"{prefix}/acme")
    site = _substitute(site, r"/etc/nginx/snippets/", f"{DEPLOY}/")
    directives = re.sub(r"#[^\n]*", "", site)
    assert not re.search(r"\s/(etc|var|opt|run)/", directives), "a production path was left in the rendered site"
    (prefix / "logs").mkdir()
    (prefix / "site.conf").write_text(site, encoding="utf-8")
    _self_signed_certificate(prefix / "ssl")
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "\n".join(f"    {kind}_temp_path {prefix}/{kind};" for kind in kinds)
    # Run as root (CI), the workers would drop to `nobody` and could not read the temporary prefix.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    main = f"""{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log info;
events {{ worker_connections 64; }}
http {{
    types {{ text/html html; text/css css; application/javascript js; }}
{temp}
    include {prefix}/site.conf;
}}
"""
    conf = prefix / "nginx.conf"
    conf.write_text(main, encoding="utf-8")
    return conf


def _nginx(prefix: Path, conf: Path, *args: str) -> list[str]:
    return [str(NGINX), "-p", f"{prefix}/", "-e", f"{prefix}/logs/error.log", "-c", str(conf), *args]


def _fetch(url: str, *, context: ssl.SSLContext | None, headers: dict[str, str] | None = None):
    """(status, headers, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=context))
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def _status_of_oversized_post(port: int, context: ssl.SSLContext, length: int) -> str:
    """Announce a body larger than the limit and send none of it: nginx answers from the headers."""
    with (
        socket.create_connection(("127.0.0.1", port), timeout=20) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(
            f"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        return tls.recv(200).decode("latin-1").split("\r\n", 1)[0]


def _logged(path: Path, pattern: str) -> bool:
    """Whether a line matching `pattern` reaches the log; nginx writes it after sending the response."""
    for _ in range(50):
        if path.exists() and re.search(pattern, path.read_text(encoding="utf-8"), re.M):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def seen_by_django():
    """The WSGI environ of every request that reached the app (the live server runs in this process)."""
    environs: list[dict] = []

    def record(sender, environ=None, **kwargs):
        environs.append(dict(environ or {}))

    request_started.connect(record)
    yield environs
    request_started.disconnect(record)


def test_the_deploy_site_proxies_the_app_serves_static_files_and_hides_metrics(
    live_server, settings, tmp_path, seen_by_django
):
    # As deploy/xiangzhen.env.example sets it: HTTPS is believed from the proxy's X-Forwarded-Proto.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", "--noinput", verbosity=0)
    app_port = int(live_server.url.rsplit(":", 1)[1])
    http_port, https_port = _free_port(), _free_port()
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    ports = {"app_port": app_port, "http_port": http_port, "https_port": https_port}
    conf = render(prefix, **ports, static_root=tmp_path / "static")

    checked = subprocess.run(_nginx(prefix, conf, "-t"), capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr

    server = subprocess.Popen(_nginx(prefix, conf, "-g", "daemon off;"), stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stderr.read().decode())
                time.sleep(0.1)
        else:
            pytest.fail("nginx never listened")
        tls = ssl.create_default_context(cafile=str(prefix / "ssl" / "fullchain.pem"))
        site = f"https://127.0.0.1:{https_port}"

        # A page, proxied: Django saw HTTPS, the client's address and nginx's request id.
        forwarded = {"X-Forwarded-For": "203.0.113.7"}
        status, headers, body = _fetch(site + "/accounts/login/", context=tls, headers=forwarded)
        assert status == 200, body[:500]
        assert "登录".encode() in body
        environ = seen_by_django[-1]
        assert environ["PATH_INFO"] == "/accounts/login/"
        assert environ["HTTP_X_FORWARDED_PROTO"] == "https"
        assert environ["HTTP_X_REAL_IP"] == "127.0.0.1"
        assert environ["HTTP_X_FORWARDED_FOR"] == "203.0.113.7, 127.0.0.1"
        assert environ["HTTP_HOST"] == "127.0.0.1"
        request_id = headers["X-Request-ID"]
        assert environ["HTTP_X_REQUEST_ID"] == request_id
        line = rf'^127\.0\.0\.1 .*"GET /accounts/login/ HTTP/1\.1" 200 .* {request_id}$'
        assert _logged(prefix / "logs" / "xiangzhen.access.log", line)
        assert WSGIRequest(environ).is_secure()
        assert client_ip(WSGIRequest(environ)) == "127.0.0.1"  # this test's client, as nginx saw it

        # Static files come from the collected directory, without reaching Django.
        before = len(seen_by_django)
        status, headers, body = _fetch(site + "/static/xiangzhen/site.css", context=tls)
        assert status == 200
        assert body == (tmp_path / "static" / "xiangzhen" / "site.css").read_bytes()
        assert headers.get_all("Cache-Control") == [f"max-age={7 * 24 * 3600}", "public"]
        assert len(seen_by_django) == before

        # Plain HTTP is redirected to HTTPS by nginx itself.
        status, headers, _ = _fetch(f"http://127.0.0.1:{http_port}/accounts/login/", context=None)
        assert status == 301 and headers["Location"] == "https://127.0.0.1/accounts/login/"

        # Bodies over the site's limit are refused before anything is read or proxied.
        limit = int(re.search(r"client_max_body_size (\d+)m;", SITE.read_text(encoding="utf-8")).group(1))
        refused = _status_of_oversized_post(https_port, tls, limit * 1024 * 1024 + 1)
        assert refused == "HTTP/1.1 413 Request Entity Too Large"
        assert len(seen_by_django) == before

        # /metrics answers on the app's own address, and never through the site; nor do raw attachments.
        assert _fetch(live_server.url + "/metrics", context=None)[0] == 200
        assert _fetch(site + "/metrics", context=tls)[0] == 404
        assert _fetch(site + "/media/attachments/x.pdf", context=tls)[0] == 404
        assert len(seen_by_django) == before + 1  # only the direct scrape reached Django
    finally:
        server.terminate()
        server.wait(timeout=30)
