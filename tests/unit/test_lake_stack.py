"""The facts lake's AWS stack (infra/lake.yaml) carries every fact kind the local lake has,
with the same columns, and Firehose's JSON reader finds each column in the fact as the
outbox publishes it."""

import json

from kado.local import lake, lake_stack, sam_template
from kado.services.kernel.outbox import Fact

STACK = sam_template.load(lake_stack.STACK)
RESOURCES = STACK["Resources"]


def _of_type(kind):
    return {name: r["Properties"] for name, r in RESOURCES.items() if r["Type"] == kind}


def test_the_checked_in_stack_is_the_generated_one():
    assert not lake_stack.drifted()


def test_the_root_template_nests_the_lake_on_the_outbox_bus():
    lake_app = sam_template.load()["Resources"]["FactsLake"]
    assert lake_app["Type"] == "AWS::Serverless::Application"
    assert lake_app["Properties"]["Location"] == "infra/lake.yaml"
    assert lake_app["Properties"]["Parameters"]["EventBusName"] == "EventBus"


def test_each_fact_kind_has_a_table_a_stream_and_a_rule_that_agree():
    tables = {p["TableInput"]["Name"]: p["TableInput"]
              for p in _of_type("AWS::Glue::Table").values()}
    streams = _of_type("AWS::KinesisFirehose::DeliveryStream")
    rules = _of_type("AWS::Events::Rule")
    assert len(tables) == len(streams) == len(rules) == len(lake.TABLES)
    for table in lake.TABLES.values():
        name = table.qualified
        glue = tables[name]
        columns = [c["Name"] for c in glue["StorageDescriptor"]["Columns"]]
        local = [c for c, _ in lake.ENVELOPE if c != "program"] + \
            [lake.snake(f) for f, _ in table.columns]
        assert columns == local
        assert [k["Name"] for k in glue["PartitionKeys"]] == ["program", "day"]
        # Every query must name its program: Athena refuses one that does not.
        assert glue["Parameters"]["projection.program.type"] == "injected"
        [rule] = [r for r in rules.values() if r["EventPattern"]["detail-type"] == [table.fact]]
        [target] = rule["Targets"]
        stream_name = target["Arn"]["Fn::GetAtt"][0]
        destination = streams[stream_name]["ExtendedS3DestinationConfiguration"]
        conversion = destination["DataFormatConversionConfiguration"]
        assert conversion["SchemaConfiguration"]["TableName"] == name
        assert destination["Prefix"].startswith(f"lake/{name}/program=")
        # A day of retries, then a dead-letter queue: a Firehose outage loses no fact.
        assert target["RetryPolicy"]["MaximumEventAgeInSeconds"] == 86400
        assert target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0] == "LakeDeadLetters"


def test_firehose_finds_every_column_in_the_fact_the_outbox_publishes():
    for table in lake.TABLES.values():
        fact = Fact("e-1", table.fact, "p1", "m1", "2026-12-05T10:00:00Z",
                    {field: "x" for field, _ in table.columns})
        detail = json.loads(fact.entry("bus")["Detail"])  # what `InputPath: $.detail` sends
        stream = RESOURCES[f"{lake_stack._camel(table)}Stream"]["Properties"]
        destination = stream["ExtendedS3DestinationConfiguration"]
        conversion = destination["DataFormatConversionConfiguration"]
        keys = conversion["InputFormatConfiguration"]["Deserializer"]["OpenXJsonSerDe"][
            "ColumnToJsonKeyMappings"]
        glue = RESOURCES[f"{lake_stack._camel(table)}Table"]["Properties"]["TableInput"]
        for column in glue["StorageDescriptor"]["Columns"]:
            assert keys.get(column["Name"], column["Name"]) in detail, column["Name"]
        # and the partition keys come from the same fact
        assert "program" in detail and detail["occurredAt"][:10] == "2026-12-05"


def test_the_lake_is_private_and_its_roles_narrow():
    bucket = RESOURCES["FactsBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    events_role = RESOURCES["EventsToFirehoseRole"]["Properties"]
    [statement] = events_role["Policies"][0]["PolicyDocument"]["Statement"]
    assert statement["Action"] == ["firehose:PutRecord", "firehose:PutRecordBatch"]
    assert "*" not in json.dumps(statement["Resource"])
    workgroup = RESOURCES["ReportsWorkGroup"]["Properties"]["WorkGroupConfiguration"]
    assert workgroup["EnforceWorkGroupConfiguration"] is True
    assert workgroup["BytesScannedCutoffPerQuery"] > 0
