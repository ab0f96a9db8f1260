from tests.scenarios.survey_scenarios import *  # noqa: F403 - the shared scenarios, on moto
