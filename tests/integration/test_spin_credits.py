from tests.scenarios.spin_credit_scenarios import *  # noqa: F403 - the shared scenarios, on moto
