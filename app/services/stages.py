"""Initiative stages: where each team is in the programme's design process.

The stages follow the workshops of a design-led programme (Förändra radikalt, Sörmland 2017):
preparation, challenge and aim, analysis, ideas and solutions, testing, closing, and sustaining.
The team (members, and admins) moves its initiative on; every move is kept in
`InitiativeStageChange`, so coordinators can see who has moved since the last workshop.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth import policy
from app.auth.policy import Principal
from app.core.i18n import _
from app.models import Initiative, InitiativeStageChange, Program, Stage, User
from app.services import audit
from app.services.common import check_version
from app.services.errors import Conflict, FieldError, InvalidInput
from app.services.initiatives import get_visible
from app.services.programs import get_program

STAGES: tuple[Stage, ...] = tuple(Stage)


def stage_number(stage: str) -> int:
    """1-based position of the stage in the process (0 for an unknown code)."""
    codes = [s.value for s in STAGES]
    return codes.index(stage) + 1 if stage in codes else 0


def next_stage(stage: str) -> Stage | None:
    number = stage_number(stage)
    return STAGES[number] if 0 < number < len(STAGES) else None


def last_moves(db: Session, initiative_ids: Iterable[int]) -> dict[int, datetime]:
    """When each initiative last changed stage (one query); initiatives never moved are absent."""
    ids = sorted(set(initiative_ids))
    if not ids:
        return {}
    rows = db.execute(
        select(InitiativeStageChange.initiative_id, func.max(InitiativeStageChange.changed_at))
        .where(InitiativeStageChange.initiative_id.in_(ids))
        .group_by(InitiativeStageChange.initiative_id)
    ).all()
    return {initiative_id: at for initiative_id, at in rows if at is not None}


def set_stage(db: Session, principal: Principal, *, initiative_id: int, stage: str, version: int | None) -> Initiative:
    """Move the initiative to `stage` (its team, or an admin), based on the initiative `version` read.

    NotFound when invisible, Forbidden unless on the team, InvalidInput for an unknown stage,
    Conflict when the initiative changed meanwhile. Choosing the current stage changes nothing.
    """
    initiative = get_visible(db, principal, initiative_id)
    policy.require(policy.can_edit(principal, initiative), _("Only the initiative's team moves it to another stage."))
    if stage not in {s.value for s in STAGES}:
        raise InvalidInput([FieldError(("stage",), _("Choose one of the options."))])
    check_version(initiative, version, current={"stage": initiative.stage, "version": initiative.version})
    if stage == initiative.stage:
        return initiative
    actor = db.get(User, principal.user_id)
    before = audit.snapshot(initiative)
    db.add(
        InitiativeStageChange(
            initiative_id=initiative.id,
            previous_stage=initiative.stage,
            stage=stage,
            changed_by_id=actor.id if actor else None,
        )
    )
    initiative.stage = stage
    try:
        db.flush()
    except StaleDataError as exc:
        raise Conflict(_("Someone else changed this initiative in the meantime. Reload and try again.")) from exc
    audit.record(
        db,
        actor=actor,
        action="update",
        entity="initiative",
        entity_id=initiative.id,
        initiative_id=initiative.id,
        before=before,
        after=audit.snapshot(initiative),
    )
    return initiative


@dataclass(frozen=True)
class StagePanel:
    initiative: Initiative
    can_edit: bool
    history: list[InitiativeStageChange]

    @property
    def number(self) -> int:
        return stage_number(self.initiative.stage)

    @property
    def next(self) -> Stage | None:
        return next_stage(self.initiative.stage)


def stage_panel(db: Session, principal: Principal, *, initiative_id: int) -> StagePanel:
    """The initiative's stage, its moves (newest first) and whether the user may move it."""
    initiative = get_visible(db, principal, initiative_id)
    history = db.scalars(
        select(InitiativeStageChange)
        .where(InitiativeStageChange.initiative_id == initiative.id)
        .options(selectinload(InitiativeStageChange.changed_by))
        .order_by(InitiativeStageChange.changed_at.desc(), InitiativeStageChange.id.desc())
    ).all()
    return StagePanel(initiative, policy.can_edit(principal, initiative), list(history))


@dataclass(frozen=True)
class BoardCard:
    initiative: Initiative
    moved_at: datetime | None


@dataclass(frozen=True)
class StageBoard:
    program: Program
    columns: list[tuple[Stage, list[BoardCard]]]

    @property
    def total(self) -> int:
        return sum(len(cards) for _stage, cards in self.columns)


def stage_board(db: Session, principal: Principal, *, program_id: int) -> StageBoard:
    """The programme's visible initiatives in one column per stage (three queries in all)."""
    program = get_program(db, principal, program_id)
    initiatives = db.scalars(
        select(Initiative)
        .where(Initiative.program_id == program.id, policy.initiatives_visible(principal))
        .options(selectinload(Initiative.organisation))
    ).all()
    moved = last_moves(db, (i.id for i in initiatives))
    by_stage: dict[str, list[BoardCard]] = defaultdict(list)
    for initiative in sorted(initiatives, key=lambda i: (i.organisation.name, i.title)):
        by_stage[initiative.stage].append(BoardCard(initiative, moved.get(initiative.id)))
    return StageBoard(program, [(stage, by_stage[stage.value]) for stage in STAGES])
