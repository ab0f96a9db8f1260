from tests.scenarios.leaderboard_scenarios import *  # noqa: F403 - the shared scenarios, on moto
