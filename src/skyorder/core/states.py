"""A small helper for the per-aggregate state machines."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from skyorder.core.errors import IllegalTransition

S = TypeVar("S", bound=StrEnum)


def article(word: str) -> str:
    """``a`` or ``an`` for an English noun."""
    return "an" if word[:1].lower() in "aeiou" else "a"


class StateMachine(Generic[S]):
    """The legal transitions of one aggregate's status; anything else is refused."""

    def __init__(self, entity: str, transitions: Mapping[S, frozenset[S]]) -> None:
        self.entity = entity
        self.transitions = transitions

    def is_terminal(self, state: S) -> bool:
        """Tell whether no transition leaves ``state``."""
        return not self.transitions.get(state)

    def check(self, current: S, target: S) -> None:
        """Raise ``IllegalTransition`` unless ``current`` may move to ``target``."""
        if target not in self.transitions.get(current, frozenset()):
            allowed = sorted(self.transitions.get(current, frozenset()))
            hint = (
                f"; from {current.value} it can become: {', '.join(allowed)}"
                if allowed
                else (f"; {current.value} is final")
            )
            raise IllegalTransition(
                f"{article(self.entity)} {self.entity} in status {current.value} "
                f"cannot become {target.value}{hint}"
            )
