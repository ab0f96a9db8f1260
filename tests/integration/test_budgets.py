from tests.scenarios.budget_scenarios import *  # noqa: F403 - the shared scenarios, on moto
