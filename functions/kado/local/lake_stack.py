"""The facts lake in AWS, as a nested stack generated from the lake's tables (lake.TABLES).

One table per fact kind is described in one place, the code; `kado lake export` writes
infra/lake.yaml from it and `kado lake check` (in `make lint`) fails when the file drifts,
so the Glue schema Athena reads is always the one DuckDB reads locally.

Per fact kind: an EventBridge rule on the program's bus sends the fact's `detail` (the
envelope and its fields, flat, as docs/events.md documents them) to a Firehose stream,
which converts it to Parquet with the Glue table's schema and writes it under the same
`<table>_v<n>/program=<p>/day=<d>/` folders as the local lake. The tables use partition
projection (no crawler, no partition to add) with `program` injected, so every query must
name its program: Athena refuses one that does not, which keeps one program's report off
another's files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kado.local.lake import ENVELOPE, TABLES, Table, snake

STACK = Path(__file__).resolve().parents[3] / "infra" / "lake.yaml"
PREFIX = "lake"
GLUE_TYPES = {"VARCHAR": "string", "BIGINT": "bigint", "BOOLEAN": "boolean"}
ENVELOPE_KEYS = {"id": "id", "program": "program", "member_id": "memberId",
                 "occurred_at": "occurredAt"}
PARQUET = "org.apache.hadoop.hive.ql.io.parquet"


def _ref(name: str) -> dict[str, str]:
    return {"Ref": name}


def _arn(name: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [name, "Arn"]}


def _camel(table: Table) -> str:
    return "".join(part.title() for part in table.name.split("_")) + f"V{table.version}"


def _folder(table: Table) -> str:
    return f"{PREFIX}/{table.qualified}/"


def _columns(table: Table) -> list[dict[str, str]]:
    own = [(snake(field), kind) for field, kind in table.columns]
    return [{"Name": name, "Type": GLUE_TYPES[kind]} for name, kind in (*ENVELOPE, *own)
            if name not in ("program",)]  # program is the partition, not a column


def _json_keys(table: Table) -> dict[str, str]:
    """Column -> the fact's own (camelCase) key; Firehose's JSON reader matches on these."""
    own = {snake(field): field for field, _ in table.columns}
    return {column: key for column, key in {**ENVELOPE_KEYS, **own}.items() if column != key}


def _glue_table(table: Table) -> dict[str, Any]:
    location = {"Fn::Join": ["", ["s3://", _ref("FactsBucket"), "/", _folder(table)]]}
    template = {"Fn::Join": ["", ["s3://", _ref("FactsBucket"), "/", _folder(table),
                                  "program=${program}/day=${day}/"]]}
    return {"Type": "AWS::Glue::Table", "Properties": {
        "CatalogId": _ref("AWS::AccountId"), "DatabaseName": _ref("FactsDatabase"),
        "TableInput": {
            "Name": table.qualified, "TableType": "EXTERNAL_TABLE",
            "Description": f"{table.fact} facts, version {table.version} (docs/events.md)",
            "PartitionKeys": [{"Name": "program", "Type": "string"},
                              {"Name": "day", "Type": "string"}],
            "Parameters": {"classification": "parquet", "projection.enabled": "true",
                           "projection.program.type": "injected",
                           "projection.day.type": "date", "projection.day.format": "yyyy-MM-dd",
                           "projection.day.range": "2024-01-01,NOW",
                           "storage.location.template": template},
            "StorageDescriptor": {
                "Columns": _columns(table), "Location": location,
                "InputFormat": f"{PARQUET}.MapredParquetInputFormat",
                "OutputFormat": f"{PARQUET}.MapredParquetOutputFormat",
                "SerdeInfo": {"SerializationLibrary": f"{PARQUET}.serde.ParquetHiveSerDe"}}}}}


def _stream(table: Table) -> dict[str, Any]:
    name = table.qualified
    return {"Type": "AWS::KinesisFirehose::DeliveryStream", "Properties": {
        "DeliveryStreamType": "DirectPut",
        "ExtendedS3DestinationConfiguration": {
            "BucketARN": _arn("FactsBucket"), "RoleARN": _arn("FirehoseRole"),
            # Objects are only ever added (never rewritten), as the local lake's files are.
            "Prefix": f"{_folder(table)}program=!{{partitionKeyFromQuery:program}}/"
                      "day=!{partitionKeyFromQuery:day}/",
            "ErrorOutputPrefix": f"{PREFIX}-errors/{name}/!{{firehose:error-output-type}}/"
                                 "!{timestamp:yyyy-MM-dd}/",
            "BufferingHints": {"SizeInMBs": 128, "IntervalInSeconds": 300},
            "CompressionFormat": "UNCOMPRESSED",  # Parquet compresses its own pages
            "DynamicPartitioningConfiguration": {"Enabled": True},
            "ProcessingConfiguration": {"Enabled": True, "Processors": [{
                "Type": "MetadataExtraction", "Parameters": [
                    {"ParameterName": "MetadataExtractionQuery",
                     "ParameterValue": "{program: .program, day: .occurredAt[0:10]}"},
                    {"ParameterName": "JsonParsingEngine", "ParameterValue": "JQ-1.6"}]}]},
            "DataFormatConversionConfiguration": {
                "Enabled": True,
                "InputFormatConfiguration": {"Deserializer": {"OpenXJsonSerDe": {
                    "ColumnToJsonKeyMappings": _json_keys(table)}}},
                "OutputFormatConfiguration": {"Serializer": {
                    "ParquetSerDe": {"Compression": "SNAPPY"}}},
                "SchemaConfiguration": {
                    "CatalogId": _ref("AWS::AccountId"), "DatabaseName": _ref("FactsDatabase"),
                    "TableName": name, "Region": _ref("AWS::Region"),
                    "RoleARN": _arn("FirehoseRole"), "VersionId": "LATEST"}}}}}


def _rule(table: Table) -> dict[str, Any]:
    return {"Type": "AWS::Events::Rule", "Properties": {
        "EventBusName": _ref("EventBusName"),
        "Description": f"{table.fact} facts into the lake",
        "EventPattern": {"source": ["kado"], "detail-type": [table.fact]},
        "Targets": [{"Id": "lake", "Arn": _arn(f"{_camel(table)}Stream"),
                     "RoleArn": _arn("EventsToFirehoseRole"),
                     # The fact itself (envelope and fields, flat), as docs/events.md shows it.
                     "InputPath": "$.detail",
                     # EventBridge gives up after 5 tries in 5 minutes by default: a day of
                     # retries, then the dead-letter queue, so a Firehose outage loses no fact.
                     "RetryPolicy": {"MaximumEventAgeInSeconds": 86400,
                                     "MaximumRetryAttempts": 185},
                     "DeadLetterConfig": {"Arn": _arn("LakeDeadLetters")}}]}}


def _shared() -> dict[str, Any]:
    streams = [_arn(f"{_camel(t)}Stream") for t in TABLES.values()]
    tables = [{"Fn::Sub": f"arn:${{AWS::Partition}}:glue:${{AWS::Region}}:${{AWS::AccountId}}:"
                          f"table/${{FactsDatabase}}/{t.qualified}"}
              for t in TABLES.values()]

    def role(service: str, statements: list[dict[str, Any]]) -> dict[str, Any]:
        trust: dict[str, Any] = {"Effect": "Allow", "Action": "sts:AssumeRole",
                                 "Principal": {"Service": service}}
        if service == "firehose.amazonaws.com":  # only for this account's streams
            trust["Condition"] = {"StringEquals": {"sts:ExternalId": _ref("AWS::AccountId")}}
        return {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [trust]},
            "Policies": [{"PolicyName": "lake", "PolicyDocument": {
                "Version": "2012-10-17", "Statement": statements}}]}}

    objects = {"Fn::Sub": "${FactsBucket.Arn}/*"}
    return {
        "FactsBucket": {"Type": "AWS::S3::Bucket", "Properties": {
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [{
                "ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True, "BlockPublicPolicy": True,
                "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "LifecycleConfiguration": {"Rules": [
                {"Id": "query-results", "Status": "Enabled", "Prefix": "athena-results/",
                 "ExpirationInDays": 7},
                {"Id": "failed-records", "Status": "Enabled", "Prefix": f"{PREFIX}-errors/",
                 "ExpirationInDays": 30}]}}},
        "FactsBucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": _ref("FactsBucket"), "PolicyDocument": {
                "Version": "2012-10-17", "Statement": [{
                    "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                    "Resource": [_arn("FactsBucket"), objects],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}},
        "LakeDeadLetters": {"Type": "AWS::SQS::Queue", "Properties": {
            "MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True}},
        "LakeDeadLettersPolicy": {"Type": "AWS::SQS::QueuePolicy", "Properties": {
            "Queues": [_ref("LakeDeadLetters")], "PolicyDocument": {
                "Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sqs:SendMessage", "Resource": _arn("LakeDeadLetters"),
                    "Condition": {"ArnEquals": {"aws:SourceArn": [
                        _arn(f"{_camel(t)}Rule") for t in TABLES.values()]}}}]}}},
        "FactsDatabase": {"Type": "AWS::Glue::Database", "Properties": {
            "CatalogId": _ref("AWS::AccountId"),
            "DatabaseInput": {"Name": _ref("DatabaseName"),
                              "Description": "Kado's domain facts, one table per kind"}}},
        "FirehoseRole": role("firehose.amazonaws.com", [
            {"Effect": "Allow", "Action": ["s3:PutObject", "s3:AbortMultipartUpload"],
             "Resource": objects},
            {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket",
                                           "s3:ListBucketMultipartUploads"],
             "Resource": _arn("FactsBucket")},
            {"Effect": "Allow", "Action": ["glue:GetTable", "glue:GetTableVersion",
                                           "glue:GetTableVersions"],
             "Resource": [{"Fn::Sub": "arn:${AWS::Partition}:glue:${AWS::Region}:"
                                      "${AWS::AccountId}:catalog"},
                          {"Fn::Sub": "arn:${AWS::Partition}:glue:${AWS::Region}:"
                                      "${AWS::AccountId}:database/${FactsDatabase}"},
                          *tables]}]),
        "EventsToFirehoseRole": role("events.amazonaws.com", [
            {"Effect": "Allow", "Action": ["firehose:PutRecord", "firehose:PutRecordBatch"],
             "Resource": streams}]),
        "ReportsWorkGroup": {"Type": "AWS::Athena::WorkGroup", "Properties": {
            "Name": {"Fn::Sub": "${AWS::StackName}-reports"},
            "Description": "The reports' SQL (functions/kado/reports/*.sql) over the facts lake",
            "WorkGroupConfiguration": {
                "EnforceWorkGroupConfiguration": True,
                "PublishCloudWatchMetricsEnabled": True,
                # A runaway query stops at 10 GB scanned (about 0.05 USD).
                "BytesScannedCutoffPerQuery": 10 * 1024 ** 3,
                "EngineVersion": {"SelectedEngineVersion": "Athena engine version 3"},
                "ResultConfiguration": {
                    "OutputLocation": {"Fn::Sub": "s3://${FactsBucket}/athena-results/"},
                    "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"}}}}},
    }


class _NoAliases(yaml.SafeDumper):
    """CloudFormation reads no YAML aliases: a value used twice is written twice."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def render() -> str:
    resources = _shared()
    for table in TABLES.values():
        name = _camel(table)
        resources[f"{name}Table"] = _glue_table(table)
        resources[f"{name}Stream"] = _stream(table)
        resources[f"{name}Rule"] = _rule(table)
    document = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Kado's facts lake: EventBridge -> Firehose (Parquet) -> S3, a Glue "
                       "table per fact kind, an Athena workgroup. Generated by `kado lake "
                       "export` from functions/kado/local/lake.py: do not edit.",
        "Parameters": {
            "EventBusName": {"Type": "String", "Description": "The bus the outbox publishes to"},
            "DatabaseName": {"Type": "String", "AllowedPattern": "^[a-z][a-z0-9_]{0,63}$",
                             "Description": "The Glue database of the fact tables"}},
        "Resources": resources,
        "Outputs": {
            "Bucket": {"Value": _ref("FactsBucket")},
            "Database": {"Value": _ref("FactsDatabase")},
            "WorkGroup": {"Value": _ref("ReportsWorkGroup")},
            "DeadLetters": {"Value": _ref("LakeDeadLetters")}},
    }
    header = "# Generated by `kado lake export` from functions/kado/local/lake.py: do not edit.\n"
    return header + yaml.dump(document, Dumper=_NoAliases, sort_keys=False, width=100)


def export(path: Path = STACK) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render())
    return path


def drifted(path: Path = STACK) -> bool:
    return not path.exists() or path.read_text() != render()
