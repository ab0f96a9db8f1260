"""A report job from the bundle, on Athena and S3 (moto's server): started, polled until
done and its files linked, every call held against the admin function's template role,
including what Athena does with the caller's rights (the tables' definitions in Glue, the
lake's files, its results and the Parquet copy written to S3)."""

from __future__ import annotations

from botocore.session import get_session

from tests.bundle.test_bundle import ADMIN, call
from tests.support import new_program

START = """mutation { startReport(input: {report: "campaign_wins_per_day", from: "2026-11-01",
  to: "2026-11-30", idempotencyKey: "bundle-report-1"}) { job { id status }
  errors { code } } }"""
JOB = '{ reportJob(id: "%s") { status files { format url } } }'


def test_a_report_job_runs_on_athena_from_the_bundle_within_its_role(instance,
                                                                       secrets_endpoint):
    session = get_session()
    bucket = f"kado-facts-{new_program()}"
    session.create_client("s3", endpoint_url=secrets_endpoint,
                          region_name="us-east-1").create_bucket(Bucket=bucket)
    session.create_client("athena", endpoint_url=secrets_endpoint,
                          region_name="us-east-1").create_work_group(Name=f"{bucket}-wg")
    console = instance("AdminApiFunction", KADO_REPORTS_WORKGROUP=f"{bucket}-wg",
                       KADO_FACTS_BUCKET=bucket, KADO_FACTS_DATABASE="kado_facts",
                       AWS_ENDPOINT_URL_ATHENA=secrets_endpoint,
                       AWS_ENDPOINT_URL_S3=secrets_endpoint)
    claims = {"sub": "console", "program": new_program(), "role": "admin"}
    started = call(console, ADMIN, claims, START)["startReport"]
    assert started["errors"] == [], started
    status = started["job"]["status"]
    for _ in range(20):
        job = call(console, ADMIN, claims, JOB % started["job"]["id"])["reportJob"]
        status = job["status"]
        if status in ("DONE", "FAILED"):
            break
    assert status == "DONE"
    assert [f["format"] for f in job["files"]] == ["CSV"]  # moto's UNLOAD writes no files
    console.close()
    operations = {(c["service"], c["operation"]) for c in console.aws_calls
                  if c["service"] != "dynamodb"}
    assert {("athena", "StartQueryExecution"), ("athena", "GetQueryExecution"),
            ("s3", "GetObject"), ("s3", "ListObjectsV2")} <= operations
    # The role is checked call by call when the instance closes (tests/bundle/conftest.py).
