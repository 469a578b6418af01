"""What a call button means: a counter and an action."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class ButtonAction(StrEnum):
    NEXT = "next"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    SKIP = "skip"
    PARK = "park"
    TRANSFER = "transfer"
    PAUSE = "pause"


# Words receivers and people use for each action (matched case-insensitively).
ALIASES: Final[dict[str, ButtonAction]] = {
    **{action.value: action for action in ButtonAction},
    "n": ButtonAction.NEXT,
    "berikutnya": ButtonAction.NEXT,
    "panggil": ButtonAction.NEXT,
    "r": ButtonAction.RECALL,
    "ulang": ButtonAction.RECALL,
    "repeat": ButtonAction.RECALL,
    "mulai": ButtonAction.START,
    "layani": ButtonAction.START,
    "f": ButtonAction.FINISH,
    "selesai": ButtonAction.FINISH,
    "done": ButtonAction.FINISH,
    "s": ButtonAction.SKIP,
    "lewati": ButtonAction.SKIP,
    "noshow": ButtonAction.SKIP,
    "tunda": ButtonAction.PARK,
    "hold": ButtonAction.PARK,
    "alihkan": ButtonAction.TRANSFER,
    "p": ButtonAction.PAUSE,
    "istirahat": ButtonAction.PAUSE,
}


def action_named(word: str) -> ButtonAction | None:
    return ALIASES.get(word.strip().lower())


@dataclass(frozen=True, slots=True)
class ButtonEvent:
    counter: str
    action: ButtonAction
