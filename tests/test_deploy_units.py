"""The files under deploy/ fit the code: systemd units run commands that exist, with options those
commands accept, and every timer starts a service that is there; gunicorn's configuration loads and
serves; nginx proxies to where gunicorn listens; every variable in the environment example is read
by the platform and documented in docs/operations.md."""

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
INSTALL_DIR = "/opt/xiangzhen"
VENV_BIN = Path(sys.executable).parent
ENV_EXAMPLE = DEPLOY / "xiangzhen.env.example"
OPERATIONS_DOC = ROOT / "docs" / "operations.md"
NGINX = DEPLOY / "nginx" / "xiangzhen.conf"
GUNICORN_APP = "xiangzhen.wsgi:application"


def directives(unit: Path, name: str) -> list[str]:
    return [
        line.split("=", 1)[1] for line in unit.read_text(encoding="utf-8").splitlines() if line.startswith(f"{name}=")
    ]


def exec_lines(unit: Path) -> list[list[str]]:
    return [shlex.split(value) for value in directives(unit, "ExecStart")]


def in_repo(path: str) -> Path:
    assert path.startswith(INSTALL_DIR + "/"), path
    return ROOT / path.removeprefix(INSTALL_DIR + "/")


def test_every_timer_has_its_service():
    timers = sorted(UNITS.glob("*.timer"))
    assert timers
    for timer in timers:
        assert timer.with_suffix(".service").is_file(), timer.name


def test_the_web_and_worker_units_exist():
    assert (UNITS / "xiangzhen-web.service").is_file()
    assert (UNITS / "xiangzhen-worker.service").is_file()


@pytest.mark.parametrize("unit", sorted(UNITS.glob("*.service")), ids=lambda p: p.name)
def test_services_run_real_commands_with_real_options(unit):
    commands = get_commands()
    lines = exec_lines(unit)
    assert lines, f"{unit.name} runs nothing"
    assert directives(unit, "EnvironmentFile") == ["/etc/xiangzhen/env"], unit.name
    assert directives(unit, "WorkingDirectory") == [INSTALL_DIR], unit.name
    for argv in lines:
        program = Path(argv[0]).name
        assert argv[0] == f"{INSTALL_DIR}/.venv/bin/{program}", argv
        if program == "gunicorn":
            config = argv[argv.index("--config") + 1]
            assert in_repo(config).is_file(), config
            assert argv[-1] == GUNICORN_APP
            continue
        assert program == "python", argv
        assert argv[1] == "manage.py", argv
        name, options = argv[2], argv[3:]
        assert name in commands, f"{unit.name}: no command {name}"
        parser = load_command_class(commands[name], name).create_parser("manage.py", name)
        parser.parse_args(options)  # exits (a test failure) on an option the command does not take


def test_long_running_services_restart_and_start_at_boot():
    for name in ("xiangzhen-web.service", "xiangzhen-worker.service"):
        unit = UNITS / name
        assert directives(unit, "Restart"), name
        assert directives(unit, "WantedBy") == ["multi-user.target"], name
    web = UNITS / "xiangzhen-web.service"
    # Reload = new workers on new code while old ones finish: the upgrade procedure relies on it.
    assert directives(web, "ExecReload") == ["/bin/kill -s HUP $MAINPID"]
    (multiproc,) = [v for v in directives(web, "Environment") if v.startswith("PROMETHEUS_MULTIPROC_DIR=")]
    assert multiproc.split("=", 1)[1].startswith("/run/" + directives(web, "RuntimeDirectory")[0] + "/")


# ---------------------------------------------------------------- environment variables


def env_example_names() -> list[str]:
    names = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"#?([A-Z][A-Z0-9_]+)=", line)
        if match:
            names.append(match.group(1))
    return names


def read_by_platform() -> set[str]:
    """Every environment variable the settings, the log's configuration or gunicorn's reads."""
    sources = [ROOT / "xiangzhen" / "settings.py", ROOT / "xiangzhen" / "tlog" / "conf.py", DEPLOY / "gunicorn.conf.py"]
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    names = set(re.findall(r"""(?:environ\.get\(|_env_bool\(|_setting\(|env=)\s*["']([A-Z][A-Z0-9_]+)["']""", text))
    return names


def test_every_variable_in_the_example_is_read_by_the_platform():
    unknown = set(env_example_names()) - read_by_platform()
    assert not unknown, f"deploy/xiangzhen.env.example sets variables nothing reads: {sorted(unknown)}"


def test_the_example_holds_no_secret():
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        name, _, value = line.lstrip("#").partition("=")
        if re.search(r"SECRET|PASSWORD|KEYS?$|TOKEN", name) and value and not value.startswith("/"):
            assert value == "CHANGE-ME", f"{name} must not carry a real value in the example"


def test_every_variable_the_platform_reads_is_documented():
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", OPERATIONS_DOC.read_text(encoding="utf-8")))
    missing = (read_by_platform() | set(env_example_names())) - documented
    assert not missing, f"docs/operations.md does not describe {sorted(missing)}"


# ---------------------------------------------------------------- nginx


def test_nginx_proxies_to_gunicorn_and_keeps_metrics_private():
    conf = NGINX.read_text(encoding="utf-8")
    assert "server 127.0.0.1:8000" in conf  # gunicorn.conf.py's default bind
    assert re.search(r"location = /metrics \{ return 404; \}", conf)
    assert re.search(r"location /media/ \{ return 404; \}", conf)  # attachments only through the scope check
    for include in re.findall(r"include /etc/nginx/snippets/([\w.-]+);", conf):
        assert (DEPLOY / "nginx" / include).is_file(), include
    snippet = (DEPLOY / "nginx" / "xiangzhen-proxy.conf").read_text(encoding="utf-8")
    for header in ("Host", "X-Real-IP", "X-Forwarded-For", "X-Forwarded-Proto", "X-Request-ID"):
        assert f"proxy_set_header {header} " in snippet, header
    assert "ssl_certificate " in conf and "listen 443 ssl" in conf


def test_nginx_accepts_the_largest_upload_and_serves_the_collected_static_files():
    from django.conf import settings

    from xiangzhen.core.attachments import MAX_BYTES

    conf = NGINX.read_text(encoding="utf-8")
    size = re.search(r"client_max_body_size (\d+)m;", conf)
    assert size and int(size.group(1)) * 1024 * 1024 >= max(MAX_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    (alias,) = re.findall(r"alias ([^;]+);", conf)
    env = dict(re.findall(r"^([A-Z_]+)=(.*)$", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M))
    assert alias.rstrip("/") == env["DJANGO_STATIC_ROOT"]


# ---------------------------------------------------------------- gunicorn


def _gunicorn_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XIANGZHEN_", "DATABASE_", "REDIS_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "xiangzhen.settings",
        # An empty database: liveness and the request metrics need none.
        "XIANGZHEN_VAR_DIR": str(tmp_path / "var"),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
        "XIANGZHEN_WEB_WORKERS": "2",
    }
    return env


def test_gunicorn_configuration_loads_with_the_app(tmp_path):
    done = subprocess.run(
        [str(VENV_BIN / "gunicorn"), "--check-config", "--config", str(DEPLOY / "gunicorn.conf.py"), GUNICORN_APP],
        cwd=ROOT,
        env=_gunicorn_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def _healthz_count(base: str) -> float:
    status, _, text = _get(base + "/metrics")
    assert status == 200
    count = re.search(r'xiangzhen_request_duration_seconds_count\{[^}]*view="ops:healthz"[^}]*\} ([0-9.]+)', text)
    return float(count.group(1)) if count else 0.0


def test_gunicorn_serves_health_and_shares_metrics_across_workers(tmp_path):
    port = _free_port()
    env = _gunicorn_env(tmp_path) | {"XIANGZHEN_BIND": f"127.0.0.1:{port}"}
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py"), GUNICORN_APP],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(240):  # gunicorn takes a few seconds to import Django in each worker
            try:
                status, headers, body = _get(base + "/healthz")
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stderr.read().decode())
                time.sleep(0.25)
        else:
            pytest.fail("gunicorn never answered /healthz")
        assert (status, body) == (200, '{"status": "ok"}')
        assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
        # Whichever worker answers a scrape, it reports every worker's requests (multiprocess mode).
        before = _healthz_count(base)
        for _ in range(6):
            _get(base + "/healthz")
        assert _healthz_count(base) == before + 6
        # Relayed by nginx for someone else: refused.
        assert _get(base + "/metrics", {"X-Real-IP": "203.0.113.1"})[0] == 403
    finally:
        server.terminate()
        server.wait(timeout=60)
