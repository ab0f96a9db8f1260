from tests.scenarios.pack_code_scenarios import *  # noqa: F403 - the shared scenarios, on moto
