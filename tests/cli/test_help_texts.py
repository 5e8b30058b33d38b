"""Every command a user can type explains itself: a description per subcommand, a help line per option."""

from __future__ import annotations

import argparse

import pytest

from caldasa_conformance.cli import build_parser
from caldasa_reference.cli import _parser as reference_parser


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _undocumented(parser: argparse.ArgumentParser) -> list[str]:
    return [
        "/".join(action.option_strings) or action.dest
        for action in parser._actions
        if not isinstance(action, (argparse._HelpAction, argparse._SubParsersAction))
        and action.option_strings
        and not action.help
    ]


COMMANDS = {
    **{f"caldasa-conformance {name}": sub for name, sub in _subcommands(build_parser()).items()},
    **{f"caldasa-reference {name}": sub for name, sub in _subcommands(reference_parser()).items()},
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_subcommand_has_a_description(command: str) -> None:
    assert COMMANDS[command].description, f"`{command} --help` says nothing about what it does"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_option_has_help(command: str) -> None:
    assert _undocumented(COMMANDS[command]) == [], f"`{command}` has options without help"
