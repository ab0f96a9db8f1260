"""What a new user hit on the command line, one test each: every failure is one line and a
non-zero exit, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import time

import pytest

from kado.local import tokens
from kado.local.voucher_files import CODE_COLUMNS, Columns, _plausible_code, read_column
from tests.e2e.dev import KADO, ROOT

pytestmark = pytest.mark.e2e


def run(*args, cwd=ROOT, env=None, timeout=60):
    return subprocess.run([*KADO, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False,
                          env={**os.environ, "KADO_HOME": "", **(env or {})})


def one_line_failure(done) -> str:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_missing_files_unreachable_servers_and_api_refusals_are_one_line(tmp_path):
    missing = one_line_failure(run("vouchers", "import", str(tmp_path / "nope.csv"),
                                   "--product", "p", "--data-dir", str(tmp_path)))
    assert "no file" in missing and "nope.csv" in missing
    codes = tmp_path / "codes.csv"
    codes.write_text("ABCD1234\n")
    unreachable = one_line_failure(run("vouchers", "import", str(codes), "--product", "p",
                                       "--endpoint", "http://127.0.0.1:9", "--data-dir",
                                       str(tmp_path)))
    assert "cannot reach http://127.0.0.1:9/admin/graphql" in unreachable
    assert "kado dev" in unreachable  # and what to do about it
    campaign = one_line_failure(run("campaign", "apply", str(tmp_path / "none.yaml"),
                                    "--data-dir", str(tmp_path)))
    assert campaign.startswith("kado: no file")


def test_help_names_every_option_its_default_the_formats_and_kado_token():
    top = run("--help")
    assert top.returncode == 0 and "KADO_TOKEN" in top.stdout and "KADO_HOME" in top.stdout
    imports = run("vouchers", "import", "--help").stdout
    assert "--column" in imports and "(default: auto)" in imports
    assert "file format" in imports and "KADO_TOKEN" in imports
    assert "(default: http://127.0.0.1:8000)" in imports  # --endpoint: the base URL
    token = run("token", "--help").stdout
    assert "(default: 43200)" in token and "60-2592000" in token
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("kado ")


def test_token_finds_the_projects_key_from_any_folder_and_says_which(tmp_path):
    project = tmp_path / "shop"
    (project / "deep" / "er").mkdir(parents=True)
    (project / "template.yaml").write_text("")
    (project / "pyproject.toml").write_text("")
    key = tokens.signing_key(project / ".kado")  # what `kado dev` made in the project
    minted = run("token", "--program", "demo", "--admin", cwd=project / "deep" / "er")
    assert minted.returncode == 0, minted.stderr
    assert f"signed with {project / '.kado' / tokens.KEY_FILE}" in minted.stderr
    assert tokens.verify(key, minted.stdout.strip())["sub"] == "admin"
    elsewhere = tmp_path / "home"
    moved = run("token", "--program", "demo", "--admin", cwd=project,
                env={"KADO_HOME": str(elsewhere)})
    assert "made a new dev key" in moved.stderr and str(elsewhere) in moved.stderr


def test_token_refuses_a_bad_ttl_and_ids_the_server_would_refuse(tmp_path):
    home = ["--data-dir", str(tmp_path)]
    assert "--ttl" in one_line_failure(run("token", "--program", "demo", "--admin",
                                           "--ttl", "-60", *home))
    assert "--ttl" in one_line_failure(run("token", "--program", "demo", "--admin",
                                           "--ttl", str(90 * 86400), *home))
    bad = one_line_failure(run("token", "--program", "demo", "--member", "Alice Smith", *home))
    assert "--member 'Alice Smith'" in bad
    assert "--program" in one_line_failure(run("token", "--program", "de mo", "--admin", *home))


def test_token_mints_a_door_staff_token_for_a_venue(tmp_path):
    home = ["--data-dir", str(tmp_path)]
    minted = run("token", "--program", "demo", "--staff", "door-1", "--venue", "factory-hall",
                 *home)
    assert minted.returncode == 0, minted.stderr
    claims = tokens.verify(tokens.signing_key(tmp_path), minted.stdout.strip())
    assert (claims["sub"], claims["role"], claims["venue"]) == ("door-1", "staff",
                                                                "factory-hall")
    assert "--venue" in one_line_failure(run("token", "--program", "demo", "--staff", "d1",
                                             *home))


def test_dev_with_its_port_taken_fails_at_once_before_printing_any_token(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        began = time.monotonic()
        done = run("dev", "--memory", "--port", str(port), "--data-dir", str(tmp_path))
    line = one_line_failure(done)
    assert f"port {port}" in line and "--port" in line
    assert "TOKEN" not in done.stdout and "Kado dev server" not in done.stdout
    assert time.monotonic() - began < 30  # no database was started first


def test_a_code_file_header_is_detected_and_the_column_chosen(tmp_path):
    noted = tmp_path / "noted.csv"
    noted.write_text("note,code\nfirst,CINE0003CCCC\nsecond,\n\nthird,ABCD9999\n")
    values, problems = read_column(noted, Columns(), CODE_COLUMNS, _plausible_code)
    assert values == [(2, "CINE0003CCCC"), (5, "ABCD9999")]  # "note" is no code
    assert problems == [f"{noted}:3: no value in column 2"]
    bare = tmp_path / "bare.csv"
    bare.write_text("CINE0003CCCC\nABCD9999\n")
    assert read_column(bare, Columns(), CODE_COLUMNS, _plausible_code)[0] == [
        (1, "CINE0003CCCC"), (2, "ABCD9999")]
    forced = read_column(bare, Columns(column="1", header="yes"), CODE_COLUMNS,
                         _plausible_code)[0]
    assert forced == [(2, "ABCD9999")]
    unknown = one_line_failure(run("vouchers", "import", str(noted), "--product", "p",
                                   "--column", "voucher", "--data-dir", str(tmp_path)))
    assert "no column 'voucher'" in unknown and "note, code" in unknown
