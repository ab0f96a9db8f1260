from tests.scenarios.points_scenarios import *  # noqa: F403 - the shared scenarios, on DynamoDB Local
