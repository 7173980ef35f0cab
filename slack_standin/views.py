"""Modals and App Home views: per-user modal stacks, hashes, triggers.

Slack keeps up to three modals stacked per user, hands every view an id and a hash that
changes on each update (so a stale `hash` gets `hash_conflict`), and accepts a trigger_id
only once and only for three seconds.
"""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_standin.blockkit import validate_view
from slack_standin.ids import new_trigger_id, new_view_hash
from slack_standin.workspace import SlackError, Workspace, fill_ids

MAX_MODAL_STACK = 3


@dataclass
class Trigger:
    user: str
    issued_at: float
    exchanged: bool = False


def invalid_arguments(problems: list[str]) -> SlackError:
    return SlackError("invalid_arguments", response_metadata={"messages": slack_messages(problems)})


def slack_messages(problems: list[str]) -> list[str]:
    """Problems phrased like Slack's `response_metadata.messages`:
    "[ERROR] <message> [json-pointer:/blocks/0/text]"."""
    phrased = []
    for problem in problems:
        path, _, message = problem.partition(": ")
        pointer = "/" + path.replace("[", ".").replace("]", "").replace(".", "/")
        phrased.append(f"[ERROR] {message} [json-pointer:{pointer}]")
    return phrased


class ViewStore:
    def __init__(
        self,
        workspace: Workspace,
        *,
        trigger_ttl: float | None = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.workspace = workspace
        self.trigger_ttl = trigger_ttl
        self.clock = clock
        self.views: dict[str, dict[str, Any]] = {}
        self.modal_stacks: dict[str, list[str]] = {}
        self.home_views: dict[str, str] = {}
        self.triggers: dict[str, Trigger] = {}
        self._ids = itertools.count(1)

    # -- triggers ---------------------------------------------------------------

    def issue_trigger(self, user: str) -> str:
        trigger_id = new_trigger_id()
        self.triggers[trigger_id] = Trigger(user=user, issued_at=self.clock())
        return trigger_id

    def exchange_trigger(self, trigger_id: Any) -> str:
        trigger = self.triggers.get(trigger_id) if isinstance(trigger_id, str) else None
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.exchanged:
            raise SlackError("exchanged_trigger_id")
        if self.trigger_ttl is not None and self.clock() - trigger.issued_at > self.trigger_ttl:
            raise SlackError("expired_trigger_id")
        trigger.exchanged = True
        return trigger.user

    # -- building ---------------------------------------------------------------

    def _build(self, user: str, spec: dict[str, Any], *, view_id: str | None = None) -> dict:
        ws = self.workspace
        view = {
            "id": view_id or ws.view_ids.next(),
            "team_id": ws.team_id,
            "type": spec["type"],
            "blocks": fill_ids(spec.get("blocks", []), self._ids),
            "private_metadata": spec.get("private_metadata", ""),
            "callback_id": spec.get("callback_id", ""),
            "state": {"values": {}},
            "hash": new_view_hash(),
            "title": copy.deepcopy(spec.get("title")),
            "clear_on_close": bool(spec.get("clear_on_close", False)),
            "notify_on_close": bool(spec.get("notify_on_close", False)),
            "close": copy.deepcopy(spec.get("close")),
            "submit": copy.deepcopy(spec.get("submit")),
            "previous_view_id": None,
            "root_view_id": None,
            "app_id": ws.app_id,
            "external_id": spec.get("external_id", ""),
            "app_installed_team_id": ws.team_id,
            "bot_id": ws.bot_id,
            # Not part of Slack's view object: who sees it, so updates land in the right place.
            "_user": user,
        }
        view["root_view_id"] = view["id"]
        return view

    @staticmethod
    def public(view: dict[str, Any]) -> dict[str, Any]:
        return {k: copy.deepcopy(v) for k, v in view.items() if not k.startswith("_")}

    def _check(self, spec: Any, *, kind: str, replacing: str | None = None) -> dict[str, Any]:
        if spec is None:
            raise invalid_arguments(["view: missing required field"])
        problems = validate_view(spec)
        if not problems and spec.get("type") != kind:
            problems = [f"view.type: must be {kind} here (got {spec.get('type')!r})"]
        if problems:
            raise invalid_arguments(problems)
        external_id = spec.get("external_id")
        if external_id and any(
            v["external_id"] == external_id and v["id"] != replacing for v in self.views.values()
        ):
            raise SlackError("duplicate_external_id")
        return spec

    # -- modals -----------------------------------------------------------------

    def open(self, trigger_id: Any, spec: Any) -> dict[str, Any]:
        self._check(spec, kind="modal")
        user = self.exchange_trigger(trigger_id)
        view = self._build(user, spec)
        self.views[view["id"]] = view
        self.modal_stacks[user] = [view["id"]]
        return self.public(view)

    def push(self, trigger_id: Any, spec: Any) -> dict[str, Any]:
        self._check(spec, kind="modal")
        user = self.exchange_trigger(trigger_id)
        stack = self.modal_stacks.get(user) or []
        if not stack:
            raise SlackError("not_found")
        if len(stack) >= MAX_MODAL_STACK:
            raise SlackError("push_limit_reached")
        view = self._build(user, spec)
        view["previous_view_id"] = stack[-1]
        view["root_view_id"] = stack[0]
        self.views[view["id"]] = view
        stack.append(view["id"])
        return self.public(view)

    def update(self, *, view_id: Any, external_id: Any, spec: Any, hash_: Any) -> dict[str, Any]:
        if not view_id and not external_id:
            raise invalid_arguments(["view_id: either view_id or external_id is required"])
        current = self._find(view_id, external_id)
        self._check_hash(current, hash_)
        self._check(spec, kind=current["type"], replacing=current["id"])
        replacement = self._build(current["_user"], spec, view_id=current["id"])
        replacement["external_id"] = spec.get("external_id") or current["external_id"]
        replacement["previous_view_id"] = current["previous_view_id"]
        replacement["root_view_id"] = current["root_view_id"]
        # Slack keeps what the user typed when the input blocks keep their ids.
        replacement["state"] = copy.deepcopy(current["state"])
        self.views[current["id"]] = replacement
        return self.public(replacement)

    def _find(self, view_id: Any, external_id: Any) -> dict[str, Any]:
        if view_id:
            view = self.views.get(view_id)
        else:
            view = next((v for v in self.views.values() if v["external_id"] == external_id), None)
        if view is None:
            # Slack's name for an unknown view_id/external_id on views.update.
            raise SlackError("not_found")
        return view

    @staticmethod
    def _check_hash(current: dict[str, Any], hash_: Any) -> None:
        if hash_ not in (None, "") and hash_ != current["hash"]:
            raise SlackError("hash_conflict")

    def publish(self, user_id: Any, spec: Any, hash_: Any) -> dict[str, Any]:
        if not user_id:
            raise invalid_arguments(["user_id: missing required field"])
        if user_id not in self.workspace.users:
            raise SlackError("user_not_found")
        current_id = self.home_views.get(user_id)
        self._check(spec, kind="home", replacing=current_id)
        current = self.views.get(current_id) if current_id else None
        if current is not None:
            self._check_hash(current, hash_)
        view = self._build(user_id, spec, view_id=current_id)
        self.views[view["id"]] = view
        self.home_views[user_id] = view["id"]
        return self.public(view)

    # -- what the user does (driven by SlackDriver) -----------------------------

    def set_state(self, view_id: str, values: dict[str | None, Any]) -> None:
        if view_id in self.views:
            self.views[view_id]["state"] = {"values": copy.deepcopy(values)}

    def close(self, user: str, view_id: str | None = None) -> None:
        """The user closed the top modal (or a submission closed it)."""
        stack = self.modal_stacks.get(user) or []
        if stack and (view_id is None or stack[-1] == view_id):
            stack.pop()

    def clear(self, user: str) -> None:
        self.modal_stacks[user] = []

    def replace_top(self, user: str, spec: dict[str, Any]) -> None:
        stack = self.modal_stacks.get(user) or []
        if stack:
            current = self.views[stack[-1]]
            self.update(view_id=current["id"], external_id=None, spec=spec, hash_=None)

    def push_from_submission(self, user: str, spec: dict[str, Any]) -> None:
        stack = self.modal_stacks.setdefault(user, [])
        if len(stack) < MAX_MODAL_STACK:
            view = self._build(user, spec)
            view["previous_view_id"] = stack[-1] if stack else None
            view["root_view_id"] = stack[0] if stack else view["id"]
            self.views[view["id"]] = view
            stack.append(view["id"])

    # -- queries ----------------------------------------------------------------

    def open_views(self, user: str) -> list[dict[str, Any]]:
        return [self.public(self.views[v]) for v in self.modal_stacks.get(user, [])]

    def home_view(self, user: str) -> dict[str, Any] | None:
        view_id = self.home_views.get(user)
        return self.public(self.views[view_id]) if view_id else None

    def get(self, view_id: str) -> dict[str, Any] | None:
        view = self.views.get(view_id)
        return self.public(view) if view else None
