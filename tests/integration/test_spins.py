from tests.scenarios.spin_scenarios import *  # noqa: F403 - the shared scenarios, on moto
