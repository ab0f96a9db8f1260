from tests.scenarios.company_tier_scenarios import *  # noqa: F403 - the shared scenarios, on moto
