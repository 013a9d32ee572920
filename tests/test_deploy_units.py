"""The systemd units under deploy/ run commands that exist, with options those commands accept,
and every timer starts a service that is there."""

import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

UNITS = Path(__file__).resolve().parent.parent / "deploy" / "systemd"


def exec_lines(unit: Path) -> list[list[str]]:
    return [
        shlex.split(line.split("=", 1)[1])
        for line in unit.read_text(encoding="utf-8").splitlines()
        if line.startswith("ExecStart=")
    ]


def test_every_timer_has_its_service():
    timers = sorted(UNITS.glob("*.timer"))
    assert timers
    for timer in timers:
        assert timer.with_suffix(".service").is_file(), timer.name


@pytest.mark.parametrize("unit", sorted(UNITS.glob("*.service")), ids=lambda p: p.name)
def test_services_run_real_commands_with_real_options(unit):
    commands = get_commands()
    lines = exec_lines(unit)
    assert lines, f"{unit.name} runs nothing"
    for argv in lines:
        assert argv[1] == "manage.py", argv
        name, options = argv[2], argv[3:]
        assert name in commands, f"{unit.name}: no command {name}"
        parser = load_command_class(commands[name], name).create_parser("manage.py", name)
        parser.parse_args(options)  # exits (a test failure) on an option the command does not take
