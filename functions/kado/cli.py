"""`kado`: the developer's command line (dev server, tokens, campaigns, files, schemas)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

DEFAULT_ENDPOINT = "http://127.0.0.1:8000"
MIN_TTL_S, MAX_TTL_S = 60, 30 * 86400
ENVIRONMENT_HELP = """environment:
  KADO_TOKEN  an admin token for the commands that call the API (default: one minted with
              the local dev key for --program)
  KADO_HOME   the folder of the local dev data and keys (default: the .kado folder of the
              project you are in, found from any folder inside it)
  KADO_DEBUG  set to 1 to see a traceback where kado would print one line

Every failure is one line saying what to do, and a non-zero exit."""
VOUCHER_FILES_HELP = """file format: CSV, one value per line, or a column of a wider file.
  --column picks it by header name or number from 1 (default: a column named code or
  member, else the first); --header auto detects a header line (a known column name, or a
  first value that is not a plausible code or member id). Bad lines are reported as
  FILE:LINE and the rest go on; re-running a file adds or issues nothing twice."""


class CommandError(Exception):
    """A failure the user can act on: printed as one line."""


class _Defaults(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Each option's help ends with its default, where it has one and its help does not
    already say it (no "(default: None)", no default said twice); epilogs keep their lines."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if "(default:" in text or action.default in (None, False, argparse.SUPPRESS):
            return text
        return super()._get_help_string(action)


def _version() -> str:
    try:
        return version("kado")
    except PackageNotFoundError:
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kado", description=__doc__, epilog=ENVIRONMENT_HELP,
                                     formatter_class=_Defaults)
    parser.add_argument("--version", action="version", version=f"kado {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, **more: Any) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text,
                              formatter_class=_Defaults, **more)

    dev = command("dev", "run the API and the pages locally on DynamoDB Local",
                  epilog=ENVIRONMENT_HELP)
    dev.add_argument("--host", default="127.0.0.1", help="address to listen on")
    dev.add_argument("--port", type=int, default=8000, help="port to listen on")
    _data_dir(dev)
    dev.add_argument("--memory", action="store_true", help="keep data in memory only")
    dev.add_argument("--dynamodb-endpoint", help="use this DynamoDB instead of starting one")
    dev.add_argument("--table", default=os.environ.get("KADO_TABLE", "kado"),
                     help="table name (KADO_TABLE)")
    dev.add_argument("--workers", type=int, default=1,
                     help="server processes (resolvers are synchronous: one request each)")
    _clock_options(dev, command("clock", "move the test clock of a `kado dev --test-clock`",
                                epilog=ENVIRONMENT_HELP))

    token = command("token", "print a dev JWT signed with the local dev key",
                    epilog=ENVIRONMENT_HELP)
    token.add_argument("--program", required=True, help="the program (tenant) id")
    who = token.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", help="a member id: a member API token")
    who.add_argument("--merchant", help="a merchant id: a till token")
    who.add_argument("--admin", action="store_true", help="an admin (console) token")
    who.add_argument("--staff", help="a door scanner's id: a check-in token (with --venue)")
    who.add_argument("--rep", help="a sales rep's id: awards points on the field API")
    who.add_argument("--distributor", help="a distributor's staff member: reads the "
                                           "companies under their distributor")
    token.add_argument("--venue", help="the door's venue (with --staff)")
    token.add_argument("--account", help="an account claim, which the server ignores (a "
                                         "member's company is the record's); members only")
    token.add_argument("--sub", default="admin", help="the admin's user id (with --admin)")
    token.add_argument("--ttl", type=int, default=12 * 3600,
                       help=f"lifetime in seconds, {MIN_TTL_S}-{MAX_TTL_S}")
    _data_dir(token)

    campaign = command("campaign", "campaign files")
    campaign_sub = campaign.add_subparsers(dest="action", required=True, metavar="ACTION")
    apply = campaign_sub.add_parser(
        "apply", help="create or update a campaign from a YAML file",
        formatter_class=_Defaults, epilog="file format: YAML with the fields of the GraphQL "
        "CampaignInput (id, name, startsAt, endsAt, timezone, prizes, limits, eligibility);\n"
        "see infra/campaigns/summer-wheel.yaml.\n\n" + ENVIRONMENT_HELP)
    apply.add_argument("file", type=Path, help="the campaign YAML file")
    apply.add_argument("--launch", action="store_true", help="launch it once saved")
    _admin_connection(apply)

    _file_commands(command)

    _operations_command(command)
    _report_command(command)

    bench = command("bench", "measure round trips, capacity, latency, cold start")
    bench.add_argument("--out", type=Path, default=Path(".kado/bench/latest.json"),
                       help="where the JSON report goes (bench/results/ holds the runs the "
                            "docs quote; copy one there on purpose). Exits 3 when a goal is "
                            "missed.")
    bench.add_argument("--quick", action="store_true", help="fewer iterations (CI)")

    load = command("load", "HTTP load against kado dev, then check invariants")
    load.add_argument("--endpoint", default=DEFAULT_ENDPOINT, help="the server's base URL")
    load.add_argument("--spins", type=int, default=1000, help="spins to send")
    load.add_argument("--concurrency", type=int, default=16, help="requests at once")
    load.add_argument("--redeem", type=int, default=0, help="won vouchers to redeem")
    _data_dir(load)
    load.add_argument("--out", type=Path, help="also write the report as JSON here")

    _generated_file_commands(command)
    return parser


def _generated_file_commands(command: Any) -> None:
    """Files generated from the code and checked in: the GraphQL SDL and the lake's stack."""
    schema = command("schema", "GraphQL SDL files")
    schema_sub = schema.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, what in (("export", "write the SDL files"),
                       ("check", "fail if the SDL files differ from the code")):
        action = schema_sub.add_parser(name, help=what, formatter_class=_Defaults)
        action.add_argument("--dir", type=Path, default=Path("graphql"), help="SDL folder")

    lake = command("lake", "the facts lake's stack in AWS (infra/lake.yaml)")
    lake_sub = lake.add_subparsers(dest="action", required=True, metavar="ACTION")
    lake_sub.add_parser("export", help="write infra/lake.yaml from the lake's tables")
    lake_sub.add_parser("check", help="fail if infra/lake.yaml differs from the code")
    scale = lake_sub.add_parser("scale", formatter_class=_Defaults,
                                help="time each report on synthetic facts, with Athena's cost")
    scale.add_argument("--facts", type=int, default=10_000_000, help="how many facts")
    scale.add_argument("--dir", type=Path, required=True,
                       help="an empty folder for the synthetic lake (gigabytes at 10 million)")
    scale.add_argument("--out", type=Path, help="also write the JSON report here")


def _data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="dev data and keys (default: KADO_HOME, else the project's .kado)")


def _admin_connection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", default=DEFAULT_ENDPOINT, help="the server's base URL")
    parser.add_argument("--token", default=None,
                        help="admin token (default: KADO_TOKEN, else one minted for --program)")
    parser.add_argument("--program", default="demo", help="with no token: mint a dev one")
    _data_dir(parser)


def _home(args: argparse.Namespace) -> Path:
    from kado.local import home

    return home.data_dir(args.data_dir)


def _admin_token(args: argparse.Namespace) -> str:
    from kado.local import tokens

    given = args.token or os.environ.get("KADO_TOKEN")
    if given:
        return str(given)
    return tokens.mint(tokens.signing_key(_home(args)), _checked_id(args.program, "--program"),
                       "kado-cli", "admin")


def _clock_options(dev: argparse.ArgumentParser, clock: argparse.ArgumentParser) -> None:
    dev.add_argument("--test-clock", nargs="?", const="now", metavar="ISO",
                     help="run on a test clock, from ISO (default: now), moved by `kado clock`")
    dev.add_argument("--frozen", action="store_true",
                     help="with --test-clock: time stands still until `kado clock` moves it")
    dev.add_argument("--events", action="store_true",
                     help="print each fact Kado would publish to EventBridge as it happens "
                          "(one JSON line each; docs/events.md)")
    clock.add_argument("action", choices=("show", "set", "advance"))
    clock.add_argument("value", nargs="?",
                       help="set: an ISO time with its offset; advance: 3d, 12h, 90m, 1w2d")
    clock.add_argument("--frozen", action="store_true", help="set: the clock stands still")
    _data_dir(clock)


def _test_clock_start(args: argparse.Namespace) -> tuple[datetime, bool] | None:
    """Where `kado dev --test-clock [ISO] [--frozen]` starts its clock, if it runs one."""
    if args.test_clock is None:
        if args.frozen:
            raise CommandError("--frozen goes with --test-clock")
        return None
    return _moment(args.test_clock), args.frozen


def _moment(text: str) -> datetime:
    from kado.domain.calendar import parse_iso

    if text == "now":
        return datetime.now(UTC)
    try:
        return parse_iso(text)
    except ValueError:
        raise CommandError(f"{text!r} is not an ISO time with its offset, such as "
                           "2026-12-31T23:59:00+07:00") from None


def _clock(args: argparse.Namespace) -> int:
    from kado.domain.calendar import iso
    from kado.local import test_clock

    path = test_clock.path_in(_home(args))
    if not path.exists():
        raise CommandError(f"no test clock in {path.parent}: start `kado dev --test-clock` "
                           "with the same data dir")
    if args.action == "set":
        if not args.value:
            raise CommandError("kado clock set ISO")
        moment = test_clock.set_to(path, _moment(args.value), args.frozen)
    elif args.action == "advance":
        try:
            moment = test_clock.advance(path, test_clock.parse_duration(args.value or ""))
        except ValueError as bad:
            raise CommandError(str(bad)) from None
    else:
        moment = test_clock.now_from(json.loads(path.read_text()))
    print(iso(moment))
    return 0


def _checked_id(value: str, option: str) -> str:
    """An id the server accepts in a token claim, or a refusal now rather than a 401 later."""
    from kado.domain.validation import ID_RULE, is_id

    if not is_id(value):
        raise CommandError(f"{option} {value!r} is not an id the server accepts: {ID_RULE}")
    return value


def _token(args: argparse.Namespace) -> int:
    from kado.local import tokens

    if args.account and not args.member:
        raise CommandError("--account goes with --member")
    if bool(args.staff) != bool(args.venue):
        raise CommandError("--staff and --venue go together")
    if not MIN_TTL_S <= args.ttl <= MAX_TTL_S:
        raise CommandError(f"--ttl must be {MIN_TTL_S}-{MAX_TTL_S} seconds, not {args.ttl}")
    role, subject, option = (("member", args.member, "--member") if args.member else
                             ("merchant", args.merchant, "--merchant") if args.merchant else
                             ("staff", args.staff, "--staff") if args.staff else
                             ("rep", args.rep, "--rep") if args.rep else
                             ("distributor", args.distributor, "--distributor")
                             if args.distributor else
                             ("admin", args.sub, "--sub"))
    if args.venue:
        _checked_id(args.venue, "--venue")
    _checked_id(args.program, "--program")
    _checked_id(subject, option)
    if args.account:
        _checked_id(args.account, "--account")
    data_dir = _home(args)
    existed = (data_dir / tokens.KEY_FILE).exists()
    key = tokens.signing_key(data_dir)
    where = data_dir / tokens.KEY_FILE
    print(f"kado: signed with {where}" if existed else
          f"kado: made a new dev key at {where}: `kado dev` must use the same data dir "
          "(run it from this project, or set KADO_HOME)", file=sys.stderr)
    print(tokens.mint(key, args.program, subject, role, args.account, args.ttl, args.venue))
    return 0


def _campaign_apply(args: argparse.Namespace) -> int:
    from kado.local import campaign_file

    result = campaign_file.apply(_readable(args.file), args.endpoint, _admin_token(args),
                                 args.launch)
    print(f"{result['id']}: {result['status']}")
    return 0


def _readable(path: Path) -> Path:
    if not path.is_file():
        raise CommandError(f"no file {path}: check the path")
    return path


def _roi(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from kado.local import roi

    if not args.campaign or args.margin is None or not 0 <= args.margin <= 100:
        raise CommandError("roi needs --campaign and --margin (0-100, in percent)")
    found = roi.campaign_return(_checked_id(args.program, "--program"),
                                _checked_id(args.campaign, "--campaign"),
                                _home(args) / "lake", args.margin, args.tail_days)
    print(json.dumps(asdict(found), indent=2))
    return 0


def _report_command(command: Any) -> None:
    """`kado report`: a report's SQL on the facts `kado dev --events` wrote."""
    report = command("report", "run a report's SQL on the local facts lake (DuckDB)")
    report.add_argument("name", help="a report in functions/kado/reports/ (campaign_wins_per_day, "
                                     "voucher_redemptions_per_day), or roi")
    report.add_argument("--program", default="demo", help="whose facts")
    report.add_argument("--campaign", help="roi: the campaign measured against its holdout")
    report.add_argument("--margin", type=int, help="roi: the program's margin, in percent")
    report.add_argument("--tail-days", type=int, default=14,
                        help="roi: days after the campaign's end that still count")
    _data_dir(report)


def _operations_command(command: Any) -> None:
    """`kado operations publish`: an app build's persisted operations."""
    ops = command("operations", "persisted operations: the allowlist of an app's requests")
    ops_sub = ops.add_subparsers(dest="action", required=True, metavar="ACTION")
    publish = ops_sub.add_parser(
        "publish", help="publish an app build's operations as one manifest version",
        formatter_class=_Defaults, epilog="SOURCE: a folder of .graphql files (one named "
        "operation each, as the app sends it) or the JSON manifest of Apollo's "
        "generate-persisted-query-manifest.\n\n" + ENVIRONMENT_HELP)
    publish.add_argument("source", type=Path, help="the folder or the manifest file")
    publish.add_argument("--version", required=True, help="the app build, e.g. 4.2.0")
    publish.add_argument("--enforce", action="store_true",
                         help="then run only these operations on the member API")
    _admin_connection(publish)


def _file_commands(command: Any) -> None:
    """`kado vouchers import|issue` and `kado activities import`: files via the admin API."""
    vouchers = command("vouchers", "bulk voucher files")
    vouchers_sub = vouchers.add_subparsers(dest="action", required=True, metavar="ACTION")
    imports = vouchers_sub.add_parser("import", help="import partner codes into a pool",
                                      formatter_class=_Defaults,
                                      epilog=VOUCHER_FILES_HELP + "\n\n" + ENVIRONMENT_HELP)
    imports.add_argument("file", type=Path, help="the CSV of codes")
    issues = vouchers_sub.add_parser("issue", help="issue a voucher to each member in a file",
                                     formatter_class=_Defaults,
                                     epilog=VOUCHER_FILES_HELP + "\n\n" + ENVIRONMENT_HELP)
    issues.add_argument("--members", type=Path, required=True, help="the CSV of member ids")
    issues.add_argument("--reason", default="issued with kado vouchers issue",
                        help="kept on each voucher's ledger")
    for action in (imports, issues):
        action.add_argument("--product", required=True, help="the voucher product id")
        action.add_argument("--column", help="column by header name or number from 1")
        action.add_argument("--header", choices=("auto", "yes", "no"), default="auto",
                            help="whether the first line is a header")
        _admin_connection(action)

    from kado.local.activity_files import FORMAT_HELP

    activities = command("activities", "partner activity files")
    activities_sub = activities.add_subparsers(dest="action", required=True, metavar="ACTION")
    record = activities_sub.add_parser(
        "import", help="record a .csv or .jsonl file of activities",
        epilog=FORMAT_HELP + "\n\n" + ENVIRONMENT_HELP, formatter_class=_Defaults)
    record.add_argument("file", type=Path, help="the .csv or .jsonl file")
    record.add_argument("--distributor", help="the file is this distributor's data (a "
                                              "company on file): named on every activity, "
                                              "its ids the distributor's own")
    _admin_connection(record)

    packs = command("pack-codes", "codes printed on packs")
    packs_sub = packs.add_subparsers(dest="action", required=True, metavar="ACTION")
    sheet = packs_sub.add_parser("sheet", formatter_class=_Defaults,
                                 help="the printer's PDF of a batch: a QR and the code, 24 an "
                                      "A4 page")
    sheet.add_argument("file", type=Path, help="the CSV createPackCodeBatch answered")
    sheet.add_argument("--out", type=Path, required=True, help="the PDF to write")


def _files(args: argparse.Namespace) -> int:
    from kado.local import activity_files, voucher_files

    if args.command == "activities":
        tally = activity_files.import_activities(_readable(args.file), args.endpoint,
                                                 _admin_token(args), args.distributor)
        summary = f"recorded {tally.done}, already recorded {tally.skipped}"
    elif args.action == "import":
        tally = voucher_files.import_codes(
            _readable(args.file), args.product, args.endpoint, _admin_token(args),
            voucher_files.Columns(args.column, args.header))
        summary = f"imported {tally.done}, already on file {tally.skipped}"
    else:
        tally = voucher_files.issue(
            _readable(args.members), args.product, args.reason, args.endpoint,
            _admin_token(args), voucher_files.Columns(args.column, args.header))
        summary = f"issued {tally.done}, already issued {tally.skipped}"
    for problem in tally.problems:
        print(problem, file=sys.stderr)
    print(f"{summary}, refused {len(tally.problems)}")
    return 1 if tally.problems else 0


def _load(args: argparse.Namespace) -> int:
    import json

    from kado.local import load

    report = load.run(args.endpoint, _home(args), args.spins, args.concurrency, args.redeem)
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    print(text)
    broken = [name for name, held in report["invariants"].items() if not held]
    if broken:
        print(f"INVARIANTS BROKEN: {', '.join(broken)}", file=sys.stderr)
    return 0 if report["ok"] else 1


def _lake_scale(args: argparse.Namespace) -> int:
    from kado.local import lake_scale

    if args.dir.exists() and any(args.dir.iterdir()):
        raise CommandError(f"{args.dir} is not empty: the synthetic lake needs a folder of its own")
    report = json.dumps(lake_scale.measure(args.dir, args.facts), indent=2) + "\n"
    if args.out:
        args.out.write_text(report)
    print(report, end="")
    return 0


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


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "dev":
        from kado.local import dev

        with contextlib.suppress(KeyboardInterrupt):
            dev.run(args.host, args.port, _home(args), args.memory, args.dynamodb_endpoint,
                    args.table, args.workers, _test_clock_start(args), events=args.events)
        return 0
    if args.command == "clock":
        return _clock(args)
    if args.command == "token":
        return _token(args)
    if args.command == "campaign":
        return _campaign_apply(args)
    if args.command in ("vouchers", "activities"):
        return _files(args)
    if args.command == "pack-codes":
        from kado.local import pack_code_sheets

        try:
            pages = pack_code_sheets.sheet(_readable(args.file), args.out)
        except ValueError as bad:
            raise CommandError(f"{args.file}: {bad}") from None
        print(f"{args.out}: {pages} pages")
        return 0
    if args.command == "operations":
        from kado.local import operation_files

        if not args.source.exists():
            raise CommandError(f"no folder or file {args.source}: check the path")
        done = operation_files.publish(args.source, args.version, args.endpoint,
                                       _admin_token(args), args.enforce)
        print(f"version {done['version']}: {len(done['operations'])} operations"
              f"{', in force' if args.enforce else ''}")
        return 0
    if args.command == "report" and args.name == "roi":
        return _roi(args)
    if args.command == "report":
        from kado.local import lake

        if not (lake.REPORTS / f"{args.name}.sql").is_file():
            raise CommandError(f"no report {args.name!r}: see functions/kado/reports/")
        for row in lake.report(args.name, _home(args) / "lake", _checked_id(args.program,
                                                                             "--program")):
            print(json.dumps(row, default=str))
        return 0
    if args.command == "lake":
        from kado.local import lake_stack

        if args.action == "export":
            print(lake_stack.export())
            return 0
        if args.action == "scale":
            return _lake_scale(args)
        if lake_stack.drifted():
            print(f"{lake_stack.STACK} is out of date: run `kado lake export`", file=sys.stderr)
            return 1
        return 0
    if args.command == "load":
        return _load(args)
    if args.command == "bench":
        from kado.local.bench import run

        report = run.run(args.out, args.quick)
        print(run.table(report))
        print(f"\nwritten to {args.out}")
        missed = run.missed(report)
        if missed:
            print(f"kado: {len(missed)} goal(s) missed: {', '.join(missed)}", file=sys.stderr)
            return 3
        return 0
    return _schema(args)


def main(argv: list[str] | None = None) -> int:
    """Run a command; whatever goes wrong is one line on stderr and a non-zero exit."""
    from kado.local.admin_client import AdminCallError
    from kado.local.text_files import FileProblem

    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except (CommandError, FileProblem) as refusal:
        print(f"kado: {refusal}", file=sys.stderr)
        return 2
    except AdminCallError as failure:
        for problem in failure.problems:
            print(f"kado: {problem}", file=sys.stderr)
        return 1
    except OSError as failure:  # a file that cannot be read or written, a port in use
        where = f" {failure.filename}" if failure.filename else ""
        print(f"kado: {failure.strerror or failure}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kado: interrupted", file=sys.stderr)
        return 130
    except Exception as bug:
        if os.environ.get("KADO_DEBUG"):
            raise
        print(f"kado: unexpected {type(bug).__name__}: {bug} (a bug: rerun with KADO_DEBUG=1 "
              "for the traceback and report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
