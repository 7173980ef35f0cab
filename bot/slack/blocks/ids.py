"""Action ids and callback ids: the contract between rendered blocks and handlers."""

ANSWER_BUTTON = "answer_open_modal"  # value: post id
ANOTHER_QUESTION = "practice_another"  # value: "topic|difficulty" (either may be empty)
APPEAL_BUTTON = "grade_appeal"  # value: answer id
HOME_PRACTICE = "home_practice"
ANSWER_MODAL = "answer_modal"  # private_metadata: post id
APPEAL_MODAL = "appeal_modal"  # private_metadata: answer id
ANSWER_INPUT_BLOCK = "answer_block"
ANSWER_INPUT = "answer_text"
APPEAL_INPUT_BLOCK = "appeal_block"
APPEAL_INPUT = "appeal_text"

ACTION_IDS = (ANSWER_BUTTON, ANOTHER_QUESTION, APPEAL_BUTTON, HOME_PRACTICE)
VIEW_CALLBACKS = (ANSWER_MODAL, APPEAL_MODAL)
