from tests.scenarios.quest_scenarios import *  # noqa: F403 - the shared scenarios, on moto
