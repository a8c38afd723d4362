"""Small factories for test data; every argument can be overridden."""

from datetime import date
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from app.models import Initiative, Measure, Measurement, Organisation, Program, User
from app.models.enums import Role
from app.services.users import create_user, grant
from tests.support.web import PASSWORD

_seq = count(1)


class Factories:
    def __init__(self, db: Session) -> None:
        self.db = db

    def program(self, **kw: Any) -> Program:
        program = Program(name=kw.pop("name", f"Program {next(_seq)}"), starts_on=date(2024, 1, 1), **kw)
        self.db.add(program)
        self.db.flush()
        return program

    def organisation(self, program: Program | None = None, **kw: Any) -> Organisation:
        org = Organisation(name=kw.pop("name", f"Kommun {next(_seq)}, Socialförvaltningen"), **kw)
        if program is not None:
            org.programs.append(program)
        self.db.add(org)
        self.db.flush()
        return org

    def initiative(
        self, organisation: Organisation | None = None, program: Program | None = None, **kw: Any
    ) -> Initiative:
        program = program or self.program()
        organisation = organisation or self.organisation(program)
        initiative = Initiative(
            title=kw.pop("title", f"Förbättringsarbete {next(_seq)}"),
            organisation_id=organisation.id,
            program_id=program.id,
            status=kw.pop("status", "active"),
            **kw,
        )
        self.db.add(initiative)
        self.db.flush()
        return initiative

    def measure(self, initiative: Initiative, **kw: Any) -> Measure:
        defaults: dict[str, Any] = {
            "name": f"Mått {next(_seq)}",
            "kind": "outcome",
            "data_type": "value",
            "unit": "dagar",
            "definition": "Antal dagar från ansökan till beslut, räknat av handläggaren varje vecka.",
            "direction": "decrease",
            "frequency": "week",
            "chart": "auto",
        }
        measure = Measure(initiative_id=initiative.id, **{**defaults, **kw})
        self.db.add(measure)
        self.db.flush()
        return measure

    def measurement(self, measure: Measure, period: str, value: float, **kw: Any) -> Measurement:
        row = Measurement(measure_id=measure.id, period=period, value=value, **kw)
        self.db.add(row)
        self.db.flush()
        return row

    def user(self, role: Role | str | None = None, scope: Any = None, **kw: Any) -> User:
        n = next(_seq)
        user = create_user(
            self.db,
            email=kw.pop("email", f"user{n}@example.se"),
            name=kw.pop("name", f"Test Person {n}"),
            password=kw.pop("password", PASSWORD),
            **kw,
        )
        if role is not None:
            role = Role(role)
            scope_ids: dict[str, int] = {}
            if role == Role.COORDINATOR:
                scope_ids["program_id"] = scope.id
            elif role in (Role.LEADER, Role.VIEWER):
                scope_ids["organisation_id"] = scope.id
            elif role == Role.MEMBER:
                scope_ids["initiative_id"] = scope.id
            grant(self.db, user, role, **scope_ids)
        return user
