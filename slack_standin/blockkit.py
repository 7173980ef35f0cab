"""One Block Kit validator for messages, modals and App Home views.

It checks the limits Slack enforces when a message is posted or a view is opened, so a
test fails here instead of the app failing in a real workspace.  Each problem is a short
string that starts with a path such as ``blocks[2].text.text``.  An empty list means valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100

SURFACES = ("message", "modal", "home")
BLOCK_TYPES = ("section", "header", "divider", "context", "actions", "input", "image", "rich_text")
TEXT_TYPES = ("plain_text", "mrkdwn")

SELECTS = (
    "static_select",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
)
MULTI_SELECTS = (
    "multi_static_select",
    "multi_external_select",
    "multi_users_select",
    "multi_conversations_select",
    "multi_channels_select",
)
INPUT_ONLY_ELEMENTS = (
    "plain_text_input",
    "email_text_input",
    "number_input",
    "url_text_input",
    "rich_text_input",
    "file_input",
)
# Which elements each container takes (Slack's "works with block types").
SECTION_ACCESSORIES = frozenset(
    {
        "button",
        "checkboxes",
        "datepicker",
        "image",
        "overflow",
        "radio_buttons",
        "timepicker",
        "workflow_button",
        *SELECTS,
        *MULTI_SELECTS,
    }
)
ACTIONS_ELEMENTS = frozenset(
    {
        "button",
        "checkboxes",
        "datepicker",
        "datetimepicker",
        "overflow",
        "radio_buttons",
        "timepicker",
        "workflow_button",
        *SELECTS,
        *MULTI_SELECTS,
    }
)
INPUT_ELEMENTS = frozenset(
    {
        "checkboxes",
        "datepicker",
        "datetimepicker",
        "radio_buttons",
        "timepicker",
        *INPUT_ONLY_ELEMENTS,
        *SELECTS,
        *MULTI_SELECTS,
    }
)
CONTAINERS = {"section": SECTION_ACCESSORIES, "actions": ACTIONS_ELEMENTS, "input": INPUT_ELEMENTS}
ELEMENT_TYPES = tuple(sorted(SECTION_ACCESSORIES | ACTIONS_ELEMENTS | INPUT_ELEMENTS))

OPTION_ELEMENTS = (
    "static_select",
    "multi_static_select",
    "checkboxes",
    "radio_buttons",
    "overflow",
)
MAX_OPTIONS = {
    "static_select": 100,
    "multi_static_select": 100,
    "checkboxes": 10,
    "radio_buttons": 10,
    "overflow": 5,
}
MAX_OPTION_GROUPS = 100
PLAIN_TEXT_OPTIONS = ("static_select", "multi_static_select", "overflow")
CONFIRMABLE = frozenset(
    {"button", "checkboxes", "datepicker", "datetimepicker", "overflow", "radio_buttons"}
    | {"timepicker", "workflow_button", *SELECTS, *MULTI_SELECTS}
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class _Checker:
    """Collects problems while walking one message or view."""

    def __init__(self, surface: str) -> None:
        self.surface = surface
        self.problems: list[str] = []
        self._block_ids: dict[str, str] = {}
        self._action_ids: dict[str, dict[str, str]] = {}
        self._focused: str | None = None

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    # -- primitives -------------------------------------------------------------

    def max_len(self, path: str, value: Any, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, f"must be at most {limit} characters (got {len(value)})")

    def string(self, path: str, value: Any, *, limit: int, required: bool = False) -> None:
        if value is None:
            if required:
                self.add(path, "is required")
            return
        if not isinstance(value, str):
            self.add(path, "must be a string")
            return
        if required and not value:
            self.add(path, "must not be empty")
        self.max_len(path, value, limit)

    def text_object(
        self,
        path: str,
        obj: Any,
        *,
        limit: int,
        plain_only: bool = False,
        required: bool = True,
    ) -> None:
        if obj is None:
            if required:
                self.add(path, "is required")
            return
        if not isinstance(obj, dict):
            self.add(path, "must be a text object")
            return
        kind = obj.get("type")
        if kind not in TEXT_TYPES:
            self.add(f"{path}.type", f"must be one of {', '.join(TEXT_TYPES)} (got {kind!r})")
        elif plain_only and kind != "plain_text":
            self.add(f"{path}.type", "must be plain_text")
        text = obj.get("text")
        if not isinstance(text, str) or not text:
            self.add(f"{path}.text", "is required and must be a non-empty string")
        else:
            self.max_len(f"{path}.text", text, limit)

    def block_id(self, path: str, block: dict) -> None:
        value = block.get("block_id")
        if value is None:
            return
        self.string(f"{path}.block_id", value, limit=255, required=True)
        if value in self._block_ids:
            self.add(
                f"{path}.block_id", f"duplicate block_id {value!r} (also {self._block_ids[value]})"
            )
        else:
            self._block_ids[value] = path

    def action_id(self, path: str, element: dict, block_path: str) -> None:
        # Slack's rule is "unique among the action_ids in the containing block": a view's
        # state is keyed block_id -> action_id, so inputs in different blocks may share one.
        value = element.get("action_id")
        if value is None:
            return
        self.string(f"{path}.action_id", value, limit=255, required=True)
        seen = self._action_ids.setdefault(block_path, {})
        if value in seen:
            self.add(f"{path}.action_id", f"duplicate action_id {value!r} (also {seen[value]})")
        else:
            seen[value] = path

    # -- blocks -----------------------------------------------------------------

    def blocks(self, path: str, blocks: Any) -> None:
        if not isinstance(blocks, list):
            self.add(path, "must be a list of blocks")
            return
        limit = MESSAGE_MAX_BLOCKS if self.surface == "message" else VIEW_MAX_BLOCKS
        if len(blocks) > limit:
            self.add(
                path, f"at most {limit} blocks are allowed in a {self.surface} (got {len(blocks)})"
            )
        for index, block in enumerate(blocks):
            self.block(f"{path}[{index}]", block)

    def block(self, path: str, block: Any) -> None:
        if not isinstance(block, dict):
            self.add(path, "must be an object")
            return
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            self.add(f"{path}.type", f"unknown block type {kind!r}")
            return
        self.block_id(path, block)
        getattr(self, f"_{kind}")(path, block)

    def _section(self, path: str, block: dict) -> None:
        text, fields = block.get("text"), block.get("fields")
        if text is None and not fields:
            self.add(path, "a section needs text or fields")
        if text is not None:
            self.text_object(f"{path}.text", text, limit=3000)
        if fields is not None:
            if not isinstance(fields, list):
                self.add(f"{path}.fields", "must be a list")
            else:
                if len(fields) > 10:
                    self.add(f"{path}.fields", f"at most 10 fields are allowed (got {len(fields)})")
                for index, field in enumerate(fields):
                    self.text_object(f"{path}.fields[{index}]", field, limit=2000)
        if block.get("accessory") is not None:
            self.element(
                f"{path}.accessory", block["accessory"], container="section", block_path=path
            )

    def _header(self, path: str, block: dict) -> None:
        self.text_object(f"{path}.text", block.get("text"), limit=150, plain_only=True)

    def _divider(self, path: str, block: dict) -> None:
        pass

    def _context(self, path: str, block: dict) -> None:
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            self.add(f"{path}.elements", "is required and must be a non-empty list")
            return
        if len(elements) > 10:
            self.add(f"{path}.elements", f"at most 10 elements are allowed (got {len(elements)})")
        for index, element in enumerate(elements):
            item = f"{path}.elements[{index}]"
            if isinstance(element, dict) and element.get("type") == "image":
                self.image_element(item, element)
            else:
                self.text_object(item, element, limit=3000)

    def _actions(self, path: str, block: dict) -> None:
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            self.add(f"{path}.elements", "is required and must be a non-empty list")
            return
        if len(elements) > 25:
            self.add(f"{path}.elements", f"at most 25 elements are allowed (got {len(elements)})")
        for index, element in enumerate(elements):
            self.element(f"{path}.elements[{index}]", element, container="actions", block_path=path)

    def _input(self, path: str, block: dict) -> None:
        if self.surface != "modal":
            self.add(path, f"input blocks are only allowed in modals, not in a {self.surface}")
        for key in ("optional", "dispatch_action"):
            if key in block and not isinstance(block[key], bool):
                self.add(f"{path}.{key}", "must be a boolean")
        self.text_object(f"{path}.label", block.get("label"), limit=2000, plain_only=True)
        if block.get("hint") is not None:
            self.text_object(f"{path}.hint", block["hint"], limit=2000, plain_only=True)
        if block.get("element") is None:
            self.add(f"{path}.element", "is required")
        else:
            self.element(f"{path}.element", block["element"], container="input", block_path=path)

    def _image(self, path: str, block: dict) -> None:
        if block.get("image_url") is None and block.get("slack_file") is None:
            self.add(path, "an image block needs image_url or slack_file")
        self.string(f"{path}.image_url", block.get("image_url"), limit=3000)
        self.string(f"{path}.alt_text", block.get("alt_text"), limit=2000, required=True)
        if block.get("title") is not None:
            self.text_object(f"{path}.title", block["title"], limit=2000, plain_only=True)

    def _rich_text(self, path: str, block: dict) -> None:
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            self.add(f"{path}.elements", "is required and must be a non-empty list")

    # -- elements ---------------------------------------------------------------

    def image_element(self, path: str, element: dict) -> None:
        if element.get("image_url") is None and element.get("slack_file") is None:
            self.add(path, "an image element needs image_url or slack_file")
        self.string(f"{path}.alt_text", element.get("alt_text"), limit=2000, required=True)

    def element(self, path: str, element: Any, *, container: str, block_path: str) -> None:
        if not isinstance(element, dict):
            self.add(path, "must be an object")
            return
        kind = element.get("type")
        if kind not in ELEMENT_TYPES:
            self.add(f"{path}.type", f"unknown element type {kind!r}")
            return
        if kind not in CONTAINERS[container]:
            where = "a section accessory" if container == "section" else f"an {container} block"
            self.add(f"{path}.type", f"{kind} is not allowed in {where}")
        if kind == "image":
            self.image_element(path, element)
            return
        self.action_id(path, element, block_path)
        if element.get("placeholder") is not None:
            self.text_object(
                f"{path}.placeholder", element["placeholder"], limit=150, plain_only=True
            )
        if element.get("confirm") is not None:
            if kind in CONFIRMABLE:
                self.confirm(f"{path}.confirm", element["confirm"])
            else:
                self.add(f"{path}.confirm", f"{kind} takes no confirm dialog")
        if element.get("focus_on_load") is not None:
            self.focus(path, element["focus_on_load"])
        if kind in ("button", "workflow_button"):
            self.text_object(f"{path}.text", element.get("text"), limit=75, plain_only=True)
            self.string(f"{path}.value", element.get("value"), limit=2000)
            self.string(f"{path}.url", element.get("url"), limit=3000)
            self.string(f"{path}.accessibility_label", element.get("accessibility_label"), limit=75)
            style = element.get("style")
            if style is not None and style not in ("primary", "danger"):
                self.add(f"{path}.style", f"must be primary or danger (got {style!r})")
        elif kind == "plain_text_input":
            self.text_lengths(path, element)
            self.string(f"{path}.initial_value", element.get("initial_value"), limit=3000)
        elif kind == "number_input":
            self.number_input(path, element)
        elif kind == "datepicker":
            self.initial_date(path, element.get("initial_date"))
        elif kind == "timepicker":
            self.initial_time(path, element.get("initial_time"))
            self.string(f"{path}.timezone", element.get("timezone"), limit=255)
        elif kind == "datetimepicker":
            value = element.get("initial_date_time")
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**10
            ):
                self.add(f"{path}.initial_date_time", "must be a UNIX timestamp in seconds")
        elif kind == "users_select":
            self.string(f"{path}.initial_user", element.get("initial_user"), limit=255)
        elif kind == "multi_users_select":
            initial = element.get("initial_users")
            if initial is not None and (
                not isinstance(initial, list) or not all(isinstance(u, str) for u in initial)
            ):
                self.add(f"{path}.initial_users", "must be a list of user ids")
        if kind in OPTION_ELEMENTS:
            self.options(path, element, kind)
        if kind in MULTI_SELECTS or kind == "file_input":
            key = "max_files" if kind == "file_input" else "max_selected_items"
            value = element.get(key)
            top = 10 if kind == "file_input" else None
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, int)
                or value < 1
                or (top is not None and value > top)
            ):
                bounds = "between 1 and 10" if top else "at least 1"
                self.add(f"{path}.{key}", f"must be an integer {bounds}")

    def focus(self, path: str, value: Any) -> None:
        if not isinstance(value, bool):
            self.add(f"{path}.focus_on_load", "must be a boolean")
        elif value:
            if self._focused is not None:
                self.add(
                    f"{path}.focus_on_load", f"only one element may focus on load ({self._focused})"
                )
            else:
                self._focused = path

    def confirm(self, path: str, dialog: Any) -> None:
        if not isinstance(dialog, dict):
            self.add(path, "must be a confirmation dialog object")
            return
        self.text_object(f"{path}.title", dialog.get("title"), limit=100, plain_only=True)
        self.text_object(f"{path}.text", dialog.get("text"), limit=300)
        self.text_object(f"{path}.confirm", dialog.get("confirm"), limit=30, plain_only=True)
        self.text_object(f"{path}.deny", dialog.get("deny"), limit=30, plain_only=True)
        style = dialog.get("style")
        if style is not None and style not in ("primary", "danger"):
            self.add(f"{path}.style", f"must be primary or danger (got {style!r})")

    def text_lengths(self, path: str, element: dict) -> None:
        for key, low in (("max_length", 1), ("min_length", 0)):
            value = element.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not low <= value <= 3000
            ):
                self.add(f"{path}.{key}", f"must be an integer between {low} and 3000")
        min_length, max_length = element.get("min_length"), element.get("max_length")
        if isinstance(min_length, int) and isinstance(max_length, int) and min_length > max_length:
            self.add(f"{path}.min_length", "must not be greater than max_length")

    def number_input(self, path: str, element: dict) -> None:
        decimal_ok = element.get("is_decimal_allowed")
        if not isinstance(decimal_ok, bool):
            self.add(f"{path}.is_decimal_allowed", "is required and must be a boolean")
        numbers: dict[str, Decimal] = {}
        for key in ("initial_value", "min_value", "max_value"):
            value = element.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                # Slack's schema wants these as strings, even for whole numbers.
                self.add(f"{path}.{key}", "must be a string")
                continue
            try:
                number = Decimal(value)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                self.add(f"{path}.{key}", f"must be a number (got {value!r})")
            elif decimal_ok is False and number != number.to_integral_value():
                self.add(f"{path}.{key}", "must be a whole number when decimals are not allowed")
            else:
                numbers[key] = number
        low, high = numbers.get("min_value"), numbers.get("max_value")
        if low is not None and high is not None and low > high:
            self.add(f"{path}.min_value", "must not be greater than max_value")
        initial = numbers.get("initial_value")
        if initial is not None and (
            (low is not None and initial < low) or (high is not None and initial > high)
        ):
            self.add(f"{path}.initial_value", "must be between min_value and max_value")

    def initial_date(self, path: str, value: Any) -> None:
        if value is None:
            return
        valid = isinstance(value, str) and bool(_DATE.match(value))
        if valid:
            try:
                date.fromisoformat(value)
            except ValueError:
                valid = False
        if not valid:
            self.add(f"{path}.initial_date", f"must be a date YYYY-MM-DD (got {value!r})")

    def initial_time(self, path: str, value: Any) -> None:
        if value is not None and not (isinstance(value, str) and _TIME.match(value)):
            self.add(f"{path}.initial_time", f"must be a 24-hour time HH:mm (got {value!r})")

    def options(self, path: str, element: dict, kind: str) -> None:
        options = element.get("options")
        groups = element.get("option_groups")
        grouped = kind in ("static_select", "multi_static_select")
        if groups is not None and not grouped:
            self.add(f"{path}.option_groups", f"{kind} takes options, not option_groups")
        if options is not None and groups is not None:
            self.add(path, "options and option_groups cannot both be given")
        if options is None and (groups is None or not grouped):
            self.add(f"{path}.options", "is required")
            return
        flat: list[tuple[str, Any]] = []
        if isinstance(options, list):
            limit = MAX_OPTIONS[kind]
            if not options:
                self.add(f"{path}.options", "must have at least one option")
            if len(options) > limit:
                self.add(
                    f"{path}.options", f"at most {limit} options are allowed (got {len(options)})"
                )
            flat += [(f"{path}.options[{i}]", o) for i, o in enumerate(options)]
        elif options is not None:
            self.add(f"{path}.options", "must be a list")
        if isinstance(groups, list):
            if not groups:
                self.add(f"{path}.option_groups", "must have at least one group")
            if len(groups) > MAX_OPTION_GROUPS:
                self.add(
                    f"{path}.option_groups",
                    f"at most {MAX_OPTION_GROUPS} option groups are allowed (got {len(groups)})",
                )
            for g, group in enumerate(groups):
                group_path = f"{path}.option_groups[{g}]"
                if not isinstance(group, dict):
                    self.add(group_path, "must be an option group object")
                    continue
                self.text_object(
                    f"{group_path}.label", group.get("label"), limit=75, plain_only=True
                )
                opts = group.get("options")
                if not isinstance(opts, list) or not opts:
                    self.add(f"{group_path}.options", "is required and must be a non-empty list")
                    continue
                if len(opts) > 100:
                    self.add(
                        f"{group_path}.options",
                        f"at most 100 options are allowed (got {len(opts)})",
                    )
                flat += [(f"{group_path}.options[{i}]", o) for i, o in enumerate(opts)]
        elif groups is not None:
            self.add(f"{path}.option_groups", "must be a list")
        offered = []
        for option_path, option in flat:
            if not isinstance(option, dict):
                self.add(option_path, "must be an option object")
                continue
            offered.append(option)
            plain_only = kind in PLAIN_TEXT_OPTIONS
            self.text_object(
                f"{option_path}.text", option.get("text"), limit=75, plain_only=plain_only
            )
            self.string(f"{option_path}.value", option.get("value"), limit=150, required=True)
            if option.get("description") is not None:
                self.text_object(
                    f"{option_path}.description",
                    option["description"],
                    limit=75,
                    plain_only=plain_only,
                )
            if option.get("url") is not None:
                if kind != "overflow":
                    self.add(f"{option_path}.url", "only overflow menu options may have a url")
                self.string(f"{option_path}.url", option.get("url"), limit=3000)
        self.initial_options(path, element, kind, offered)

    def initial_options(self, path: str, element: dict, kind: str, offered: list[dict]) -> None:
        """Initial options must be exactly options the element offers."""

        def offered_one(option: Any) -> bool:
            return isinstance(option, dict) and any(
                option.get("value") == o.get("value")
                and _text(option.get("text")) == _text(o.get("text"))
                for o in offered
            )

        if kind in ("static_select", "radio_buttons"):
            initial = element.get("initial_option")
            if initial is not None and not offered_one(initial):
                self.add(f"{path}.initial_option", "must be one of the element's options")
        if kind in ("checkboxes", "multi_static_select"):
            initial = element.get("initial_options")
            if initial is None:
                return
            if not isinstance(initial, list):
                self.add(f"{path}.initial_options", "must be a list of options")
                return
            for i, option in enumerate(initial):
                if not offered_one(option):
                    self.add(f"{path}.initial_options[{i}]", "must be one of the element's options")
            limit = element.get("max_selected_items")
            if isinstance(limit, int) and not isinstance(limit, bool) and len(initial) > limit:
                self.add(f"{path}.initial_options", "must not exceed max_selected_items")


def _text(obj: Any) -> Any:
    return obj.get("text") if isinstance(obj, dict) else obj


def validate_blocks(blocks: Any, *, surface: str = "message") -> list[str]:
    """Problems with a list of blocks on a surface ("message", "modal" or "home")."""
    if surface not in SURFACES:
        raise ValueError(f"surface must be one of {SURFACES}, not {surface!r}")
    checker = _Checker(surface)
    checker.blocks("blocks", blocks)
    return checker.problems


def validate_message(*, text: Any = None, blocks: Any = None, attachments: Any = None) -> list[str]:
    """Problems with a message body as chat.postMessage / chat.update would see it."""
    problems: list[str] = []
    if text is not None and not isinstance(text, str):
        problems.append("text: must be a string")
    if blocks is not None:
        problems += validate_blocks(blocks, surface="message")
    if attachments is not None and not isinstance(attachments, list):
        problems.append("attachments: must be a list")
    return problems


def validate_view(view: Any) -> list[str]:
    """Problems with a modal or App Home view object."""
    if not isinstance(view, dict):
        return ["view: must be an object"]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return [f"view.type: must be modal or home (got {kind!r})"]
    checker = _Checker(kind)
    if kind == "modal":
        checker.text_object("view.title", view.get("title"), limit=24, plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                checker.text_object(f"view.{key}", view[key], limit=24, plain_only=True)
        if view.get("submit") is None and _has_input(view.get("blocks")):
            checker.add("view.submit", "is required when the view has input blocks")
    elif view.get("title") is not None:
        checker.text_object("view.title", view["title"], limit=24, plain_only=True)
    checker.string("view.callback_id", view.get("callback_id"), limit=255)
    checker.string("view.private_metadata", view.get("private_metadata"), limit=3000)
    checker.string("view.external_id", view.get("external_id"), limit=255)
    if "blocks" not in view:
        checker.add("view.blocks", "is required")
    else:
        checker.blocks("view.blocks", view["blocks"])
    return checker.problems


def _has_input(blocks: Any) -> bool:
    return isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )


def iter_elements(blocks: Iterable[Any]) -> Iterable[tuple[dict, dict]]:
    """(block, element) for every interactive element, in reading order."""
    for block in blocks or ():
        if not isinstance(block, dict):
            continue
        if block.get("type") == "actions":
            for element in block.get("elements") or ():
                if isinstance(element, dict):
                    yield block, element
        elif block.get("type") == "section" and isinstance(block.get("accessory"), dict):
            yield block, block["accessory"]
        elif block.get("type") == "input" and isinstance(block.get("element"), dict):
            yield block, block["element"]
