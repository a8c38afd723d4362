"""All ORM models in one registry, so Alembic and relationships see every table."""

from app.models.audit import AuditEvent
from app.models.base import Base
from app.models.initiative import Initiative, TeamMember
from app.models.library import InitiativeStageChange, LibraryMeasure, LibraryMeasureVersion, Stage, Workshop
from app.models.measure import Measure, Measurement, MeasurementRevision
from app.models.pdsa import Lesson, PdsaCycle, StatusReview, pdsa_cycle_measures
from app.models.program import Organisation, Program, program_organisations
from app.models.user import ApiToken, LoginAttempt, Membership, User, UserSession
from app.models.version import DataVersion

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "DataVersion",
    "Initiative",
    "InitiativeStageChange",
    "Lesson",
    "LibraryMeasure",
    "LibraryMeasureVersion",
    "LoginAttempt",
    "Measure",
    "Measurement",
    "MeasurementRevision",
    "Membership",
    "Organisation",
    "PdsaCycle",
    "Program",
    "Stage",
    "StatusReview",
    "TeamMember",
    "User",
    "UserSession",
    "Workshop",
    "pdsa_cycle_measures",
    "program_organisations",
]
