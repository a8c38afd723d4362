"""Enumerations of the domain (DESIGN.md §1–2). Stored as strings with CHECK constraints."""

from enum import StrEnum


class InitiativeStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    SUSTAINING = "sustaining"
    COMPLETED = "completed"
    STOPPED = "stopped"


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class MeasureKind(StrEnum):
    OUTCOME = "outcome"
    PROCESS = "process"
    BALANCING = "balancing"


class DataType(StrEnum):
    VALUE = "value"
    PROPORTION = "proportion"
    RATE = "rate"
    COUNT = "count"

    @property
    def is_fraction(self) -> bool:
        """Logged as numerator and denominator rather than as one value."""
        return self in (DataType.PROPORTION, DataType.RATE)


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class Frequency(StrEnum):
    WEEK = "week"
    MONTH = "month"


class ChartKind(StrEnum):
    AUTO = "auto"
    RUN = "run"
    I = "i"  # noqa: E741 - the chart's established name
    P = "p"
    U = "u"
    C = "c"


class PdsaStatus(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    STUDIED = "studied"
    DONE = "done"


class PdsaAct(StrEnum):
    ADOPT = "adopt"
    ADAPT = "adapt"
    ABANDON = "abandon"


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    LEADER = "leader"
    MEMBER = "member"
    VIEWER = "viewer"


class Language(StrEnum):
    SV = "sv"
    EN = "en"
