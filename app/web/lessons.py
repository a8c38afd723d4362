"""Lessons learned on the initiative page: add, edit and delete in place (HTMX), with plain-form fallbacks."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.core.i18n import _
from app.models import Lesson
from app.schemas.lessons import LessonCreate, LessonUpdate
from app.services import lessons as service
from app.web.deps import CurrentPrincipal, DbSession
from app.web.initiatives import FormResult, ObjectId, PostedForm, as_form_values, pick, see_other, submit
from app.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

FIELDS = ("text", "tags", "lesson_date", "confirm_personal_data")


def _section(
    request: Request,
    db: DbSession,
    principal: CurrentPrincipal,
    initiative_id: int,
    *,
    editing_id: int | None = None,
    values: dict[str, Any] | None = None,
    result: FormResult | None = None,
    announce: str = "",
) -> Response:
    """The lessons section: swapped in for HTMX; a page of its own when a plain form needs correcting."""
    panel = service.lessons_panel(db, principal, initiative_id)
    result = result or FormResult()
    context = {
        "initiative": panel.initiative,
        "lessons": panel.lessons,
        "can_edit": panel.can_edit,
        "editing_id": editing_id,
        "lesson_values": values or {},
        "lesson_errors": result.errors,
        "lesson_personal_data": result.personal_data,
        "lesson_conflict": result.conflict,
        "announce": announce,
    }
    status = result.status_code if result.failed else 200
    return render(request, "lessons/edit.html", context, partial="lessons/_section.html", status_code=status)


def _done(request: Request, db: DbSession, principal: CurrentPrincipal, initiative_id: int, announce: str) -> Response:
    if is_htmx(request):
        return _section(request, db, principal, initiative_id, announce=announce)
    return see_other(f"/initiatives/{initiative_id}#lessons")


@router.get("/initiatives/{initiative_id}/lessons")
def lessons_section(request: Request, initiative_id: ObjectId, db: DbSession, principal: CurrentPrincipal) -> Response:
    if not is_htmx(request):
        return see_other(f"/initiatives/{initiative_id}#lessons")
    return _section(request, db, principal, initiative_id)


@router.post("/initiatives/{initiative_id}/lessons")
def add_lesson(
    request: Request, initiative_id: ObjectId, db: DbSession, principal: CurrentPrincipal, form: PostedForm
) -> Response:
    values = pick(form, FIELDS)
    lesson, result = submit(
        LessonCreate, values, lambda data: service.create_lesson(db, principal, initiative_id, data=data)
    )
    if lesson is None:
        return _section(request, db, principal, initiative_id, values=values, result=result)
    return _done(request, db, principal, initiative_id, _("The lesson was added."))


def _stored(lesson: Lesson) -> dict[str, Any]:
    return as_form_values(
        {
            "text": lesson.text,
            "tags": ", ".join(lesson.tags),
            "lesson_date": lesson.lesson_date,
            "version": lesson.version,
        }
    )


@router.get("/initiatives/{initiative_id}/lessons/{lesson_id}/edit")
def edit_lesson(
    request: Request, initiative_id: ObjectId, lesson_id: ObjectId, db: DbSession, principal: CurrentPrincipal
) -> Response:
    lesson = service.get_editable_lesson(db, principal, lesson_id, initiative_id=initiative_id)
    values = _stored(lesson)
    return _section(request, db, principal, initiative_id, editing_id=lesson_id, values=values)


@router.post("/initiatives/{initiative_id}/lessons/{lesson_id}")
def update_lesson(
    request: Request,
    initiative_id: ObjectId,
    lesson_id: ObjectId,
    db: DbSession,
    principal: CurrentPrincipal,
    form: PostedForm,
) -> Response:
    values = pick(form, (*FIELDS, "version"))
    lesson, result = submit(
        LessonUpdate,
        values,
        lambda data: service.update_lesson(db, principal, lesson_id, data=data, initiative_id=initiative_id),
    )
    if lesson is not None:
        return _done(request, db, principal, initiative_id, _("The lesson was saved."))
    if result.conflict is not None:
        # Saving again overwrites deliberately: the form now carries the stored version.
        values = {**values, "version": result.conflict.get("version", values.get("version"))}
    return _section(request, db, principal, initiative_id, editing_id=lesson_id, values=values, result=result)


@router.post("/initiatives/{initiative_id}/lessons/{lesson_id}/delete")
def delete_lesson(
    request: Request, initiative_id: ObjectId, lesson_id: ObjectId, db: DbSession, principal: CurrentPrincipal
) -> Response:
    service.delete_lesson(db, principal, lesson_id, initiative_id=initiative_id)
    return _done(request, db, principal, initiative_id, _("The lesson was deleted."))
