from tests.scenarios.voucher_scenarios import *  # noqa: F403 - the shared scenarios run on moto
