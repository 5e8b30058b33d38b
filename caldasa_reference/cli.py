"""`caldasa-reference`: serve the reference server, or list its fault switches and legal variants."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from caldasa_reference.faults import FAULTS, UnknownFaultError, validate_fault_names
from caldasa_reference.services import DEMO_TOKENS, RateLimit, ServerConfig
from caldasa_reference.variants import VARIANTS, UnknownVariantError, validate_variant_names

TOKENS_ENV = "CALDASA_REFERENCE_TOKENS"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="caldasa-reference", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="run the reference server",
        description="Serve the reference implementation of the Caldasa API: in memory, one store per tenant, "
        "every request validated against the contract. Tokens come from env "
        f"{TOKENS_ENV} (TOKEN=TENANT pairs, comma-separated), --tokens-file or --token; without any, "
        "the demo tokens are accepted. Faults and variants change its behaviour on purpose.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default: 127.0.0.1, loopback only; another address exposes the server)",
    )
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    serve.add_argument(
        "--token",
        action="append",
        default=[],
        metavar="TOKEN=TENANT",
        help=f"map a bearer token to a tenant (prefer env {TOKENS_ENV} or --tokens-file)",
    )
    serve.add_argument("--tokens-file", type=Path, help="file with one TOKEN=TENANT per line")
    serve.add_argument(
        "--enable-testing-api", action="store_true", help="serve /_testing/* (provider states)"
    )
    serve.add_argument(
        "--allow-insecure-webhooks",
        action="store_true",
        help="accept plain http:// webhook URLs (loopback receivers)",
    )
    serve.add_argument("--rate-limit", help="per-token limit such as 20/s (off by default)")
    serve.add_argument(
        "--latency",
        type=int,
        default=0,
        metavar="MS",
        help="delay every answer by MS milliseconds, like a remote target (default: 0)",
    )
    serve.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="switch a fault on (repeatable; `caldasa-reference faults` lists them)",
    )
    serve.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME",
        help="choose a legal variant where the contract allows another answer (repeatable; "
        "`caldasa-reference variants` lists them)",
    )
    serve.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug", "trace"],
        help="the server's log level (uvicorn's; default: warning); requests are never logged",
    )
    faults = commands.add_parser(
        "faults",
        help="list the fault switches",
        description="List the named faults `serve --fault NAME` can switch on, each with the rule it breaks.",
    )
    faults.add_argument("--json", action="store_true", help="print JSON instead of a table")
    variants = commands.add_parser(
        "variants",
        help="list the legal variants",
        description="List the legal variants `serve --variant NAME` can choose: answers the contract allows "
        "that the reference does not give by default.",
    )
    variants.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def parse_token_pairs(pairs: list[str], source: str) -> dict[str, str]:
    """``["tok=Tenant A", ...]`` → {token: tenant}; raises ValueError naming the source (never the token)."""
    tokens: dict[str, str] = {}
    for index, pair in enumerate(pairs, start=1):
        token, sep, tenant = pair.strip().partition("=")
        if not sep or not token.strip() or not tenant.strip():
            raise ValueError(f"{source}: entry {index} is not TOKEN=TENANT")
        tokens[token.strip()] = tenant.strip()
    return tokens


def resolve_tokens(args: argparse.Namespace) -> dict[str, str]:
    tokens: dict[str, str] = {}
    env_value = os.environ.get(TOKENS_ENV, "")
    if env_value.strip():
        tokens.update(parse_token_pairs([p for p in env_value.split(",") if p.strip()], TOKENS_ENV))
    if args.tokens_file:
        lines = args.tokens_file.read_text(encoding="utf-8").splitlines()
        entries = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
        tokens.update(parse_token_pairs(entries, str(args.tokens_file)))
    tokens.update(parse_token_pairs(args.token, "--token"))
    return tokens or dict(DEMO_TOKENS)


def _list(rows: list[dict[str, str]], as_json: bool) -> int:
    if as_json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            print("\t".join(row.values()))
    return 0


def _registry_rows(command: str) -> list[dict[str, str]]:
    if command == "faults":
        return [{"name": f.name, "requirement": f.requirement, "description": f.description} for f in FAULTS]
    return [{"name": v.name, "description": v.description, "allowedBy": v.allowed_by} for v in VARIANTS]


def _non_negative(value: int, option: str) -> int:
    if value < 0:
        raise ValueError(f"{option} must be 0 or more, got {value}")
    return value


def _serve(args: argparse.Namespace) -> int:
    try:
        config = ServerConfig(
            tokens=resolve_tokens(args),
            enable_testing_api=args.enable_testing_api,
            allow_insecure_webhooks=args.allow_insecure_webhooks,
            rate_limit=RateLimit.parse(args.rate_limit) if args.rate_limit else None,
            faults=validate_fault_names(args.fault),
            variants=validate_variant_names(args.variant),
            latency_ms=_non_negative(args.latency, "--latency"),
        )
    except (UnknownFaultError, UnknownVariantError, ValueError, OSError) as error:
        print(f"caldasa-reference: {error}", file=sys.stderr)
        return 2
    from caldasa_reference.server import run

    return run(config, host=args.host, port=args.port, log_level=args.log_level)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `caldasa-reference` console script."""
    args = _parser().parse_args(argv)
    if args.command in ("faults", "variants"):
        try:
            return _list(_registry_rows(args.command), args.json)
        except BrokenPipeError:  # `caldasa-reference faults | head` closed the pipe: not an error
            sys.stderr.close()
            return 0
    return _serve(args)
