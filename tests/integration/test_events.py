from tests.scenarios.event_scenarios import *  # noqa: F403 - the shared scenarios, on moto
