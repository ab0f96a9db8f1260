from tests.integration.test_statement_export import *  # noqa: F403 - the same export, on DynamoDB Local
