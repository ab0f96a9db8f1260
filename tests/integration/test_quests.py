from tests.scenarios import quest_scenarios
from tests.scenarios.quest_scenarios import *  # noqa: F403 - the shared scenarios, on moto

# The largest transaction a program can make (every live quest completing with every kind of
# reward) runs on DynamoDB Local only (tests/conformance/test_quests.py): moto takes 26 s over
# it, a fifteenth of the suite, to tell nothing more.
del test_one_activity_completes_every_live_quest_a_program_may_run  # noqa: F821
assert quest_scenarios.test_one_activity_completes_every_live_quest_a_program_may_run
