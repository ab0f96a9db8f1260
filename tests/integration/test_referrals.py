from tests.scenarios.referral_scenarios import *  # noqa: F403 - the shared scenarios, on moto
