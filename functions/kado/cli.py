"""`kado`: the developer's command line (dev server, tokens, campaigns, schemas)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import Any

DEFAULT_DATA_DIR = Path(".kado")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kado", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    dev = sub.add_parser("dev", help="run the API locally on DynamoDB Local")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)
    dev.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    dev.add_argument("--memory", action="store_true", help="keep data in memory only")
    dev.add_argument("--dynamodb-endpoint", help="use this DynamoDB instead of starting one")
    dev.add_argument("--table", default=os.environ.get("KADO_TABLE", "kado"))
    dev.add_argument("--workers", type=int, default=1,
                     help="server processes (resolvers are synchronous: one request each)")

    token = sub.add_parser("token", help="print a dev JWT signed with the local dev key")
    token.add_argument("--program", required=True)
    who = token.add_mutually_exclusive_group(required=True)
    who.add_argument("--member")
    who.add_argument("--merchant")
    who.add_argument("--admin", action="store_true")
    token.add_argument("--account", help="the member's company (members only)")
    token.add_argument("--sub", default="admin", help="the admin's user id (with --admin)")
    token.add_argument("--ttl", type=int, default=12 * 3600, help="lifetime in seconds")
    token.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)

    campaign = sub.add_parser("campaign", help="campaign files")
    campaign_sub = campaign.add_subparsers(dest="action", required=True)
    apply = campaign_sub.add_parser("apply", help="apply a campaign YAML file")
    apply.add_argument("file", type=Path)
    apply.add_argument("--launch", action="store_true")
    _admin_connection(apply)

    _file_commands(sub)

    bench = sub.add_parser("bench", help="measure round trips, capacity, latency, cold start")
    bench.add_argument("--out", type=Path, default=Path("bench/results/latest.json"))
    bench.add_argument("--quick", action="store_true", help="fewer iterations (CI)")

    load = sub.add_parser("load", help="HTTP load against kado dev, then check invariants")
    load.add_argument("--endpoint", default="http://127.0.0.1:8000", help="the server's base URL")
    load.add_argument("--spins", type=int, default=1000)
    load.add_argument("--concurrency", type=int, default=16)
    load.add_argument("--redeem", type=int, default=0, help="won vouchers to redeem")
    load.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                      help="where the dev signing key is")
    load.add_argument("--out", type=Path, help="also write the report as JSON here")

    schema = sub.add_parser("schema", help="GraphQL SDL files")
    schema_sub = schema.add_subparsers(dest="action", required=True)
    for name in ("export", "check"):
        action = schema_sub.add_parser(name)
        action.add_argument("--dir", type=Path, default=Path("graphql"))
    return parser


def _admin_connection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", default="http://127.0.0.1:8000/admin/graphql")
    parser.add_argument("--token", default=os.environ.get("KADO_TOKEN"))
    parser.add_argument("--program", default="demo", help="with no --token: mint a dev one")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)


def _admin_token(args: argparse.Namespace) -> str:
    from kado.local import tokens

    return str(args.token or tokens.mint(tokens.signing_key(args.data_dir), args.program,
                                         "kado-cli", "admin"))


def _token(args: argparse.Namespace) -> int:
    from kado.local import tokens

    if args.account and not args.member:
        print("--account goes with --member", file=sys.stderr)
        return 2
    role, subject = (("member", args.member) if args.member else
                     ("merchant", args.merchant) if args.merchant else ("admin", args.sub))
    key = tokens.signing_key(args.data_dir)
    print(tokens.mint(key, args.program, subject, role, args.account, args.ttl))
    return 0


def _campaign_apply(args: argparse.Namespace) -> int:
    from kado.local import campaign_file

    try:
        result = campaign_file.apply(args.file, args.endpoint, _admin_token(args), args.launch)
    except campaign_file.CampaignFileError as failure:
        for problem in failure.problems:
            print(problem, file=sys.stderr)
        return 1
    print(f"{result['id']}: {result['status']}")
    return 0


def _file_commands(sub: Any) -> None:
    """`kado vouchers import|issue` and `kado activities import`: files via the admin API."""
    vouchers = sub.add_parser("vouchers", help="bulk voucher files")
    vouchers_sub = vouchers.add_subparsers(dest="action", required=True)
    imports = vouchers_sub.add_parser("import", help="import a CSV of partner codes into a pool")
    imports.add_argument("file", type=Path)
    issues = vouchers_sub.add_parser("issue", help="issue a voucher to each member in a file")
    issues.add_argument("--members", type=Path, required=True)
    issues.add_argument("--reason", default="issued with kado vouchers issue")
    for action in (imports, issues):
        action.add_argument("--product", required=True)
        _admin_connection(action)

    from kado.local.activity_files import FORMAT_HELP

    activities = sub.add_parser("activities", help="partner activity files")
    activities_sub = activities.add_subparsers(dest="action", required=True)
    record = activities_sub.add_parser(
        "import", help="record a .csv or .jsonl file of activities", epilog=FORMAT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    record.add_argument("file", type=Path)
    _admin_connection(record)


def _files(args: argparse.Namespace) -> int:
    from kado.local import activity_files, voucher_files
    from kado.local.admin_client import AdminCallError

    try:
        if args.command == "activities":
            tally = activity_files.import_activities(args.file, args.endpoint,
                                                     _admin_token(args))
            summary = f"recorded {tally.done}, already recorded {tally.skipped}"
        elif args.action == "import":
            tally = voucher_files.import_codes(args.file, args.product, args.endpoint,
                                               _admin_token(args))
            summary = f"imported {tally.done}, already on file {tally.skipped}"
        else:
            tally = voucher_files.issue(args.members, args.product, args.reason, args.endpoint,
                                        _admin_token(args))
            summary = f"issued {tally.done}"
    except AdminCallError as failure:
        for problem in failure.problems:
            print(problem, file=sys.stderr)
        return 1
    for problem in tally.problems:
        print(problem, file=sys.stderr)
    print(f"{summary}, refused {len(tally.problems)}")
    return 1 if tally.problems else 0


def _load(args: argparse.Namespace) -> int:
    import json

    from kado.local import load

    report = load.run(args.endpoint, args.data_dir, args.spins, args.concurrency, args.redeem)
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    print(text)
    broken = [name for name, held in report["invariants"].items() if not held]
    if broken:
        print(f"INVARIANTS BROKEN: {', '.join(broken)}", file=sys.stderr)
    return 0 if report["ok"] else 1


def _schema(args: argparse.Namespace) -> int:
    os.environ.setdefault("KADO_ENV", "dev")
    from kado.local import schema_files

    if args.action == "export":
        for path in schema_files.export(args.dir):
            print(path)
        return 0
    drifted = schema_files.drifted(args.dir)
    for name in drifted:
        print(f"{args.dir}/{name}.graphql is out of date: run `kado schema export`",
              file=sys.stderr)
    return 1 if drifted else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "dev":
        from kado.local import dev

        with contextlib.suppress(KeyboardInterrupt):
            dev.run(args.host, args.port, args.data_dir, args.memory, args.dynamodb_endpoint,
                    args.table, args.workers)
        return 0
    if args.command == "token":
        return _token(args)
    if args.command == "campaign":
        return _campaign_apply(args)
    if args.command in ("vouchers", "activities"):
        return _files(args)
    if args.command == "load":
        return _load(args)
    if args.command == "bench":
        from kado.local.bench import run

        report = run.run(args.out, args.quick)
        print(run.table(report))
        print(f"\nwritten to {args.out}")
        return 0
    return _schema(args)


if __name__ == "__main__":
    sys.exit(main())
