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


# Interview panels. Values and private metadata carry the panel id (and what else is
# named); every handler checks membership before doing anything with them.
PANEL_NEW_MODAL = "panel_new_modal"  # private_metadata: channel id of the command
PANEL_CONFIRM = "panel_confirm"  # value: panel id
PANEL_SWAP = "panel_swap"  # value: "panel|interviewer|question"
PANEL_REROLL = "panel_reroll"  # value: "panel|interviewer"
PANEL_SCORECARD = "panel_scorecard"  # value: panel id
PANEL_KNEW = "panel_knew"  # value: "panel|question"
PANEL_NOT_INTERVIEWED = "panel_not_interviewed"  # value: panel id
PANEL_EXPECTED = "panel_expected"  # value: "panel|question"
PANEL_DECIDE = "panel_decide"  # value: panel id
PANEL_SHOW = "panel_show"  # value: panel id
PANEL_PACKET = "panel_packet"  # value: panel id
SCORECARD_MODAL = "panel_scorecard_modal"  # private_metadata: panel id
DECISION_MODAL = "panel_decision_modal"  # private_metadata: panel id

PANEL_NEW_FIELDS = (
    "role",
    "level",
    "candidate",
    "code",
    "interviewers",
    "hiring_manager",
    "coordinator",
    "topics",
    "starts",
    "minutes",
    "debrief",
)

PANEL_ACTIONS = (
    PANEL_CONFIRM,
    PANEL_SWAP,
    PANEL_REROLL,
    PANEL_SCORECARD,
    PANEL_KNEW,
    PANEL_NOT_INTERVIEWED,
    PANEL_EXPECTED,
    PANEL_DECIDE,
    PANEL_SHOW,
    PANEL_PACKET,
)
PANEL_VIEWS = (PANEL_NEW_MODAL, SCORECARD_MODAL, DECISION_MODAL)

ACTION_IDS = (ANSWER_BUTTON, ANOTHER_QUESTION, APPEAL_BUTTON, HOME_PRACTICE, *PANEL_ACTIONS)
VIEW_CALLBACKS = (ANSWER_MODAL, APPEAL_MODAL, *PANEL_VIEWS)
