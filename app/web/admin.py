"""Administration pages: users and their roles (admins only; everyone else gets 403), and the audit trail
(the whole trail for admins; an initiative's trail for admins and the leaders of its organisation)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.core.i18n import LANGUAGES, _
from app.models import User
from app.models.enums import Role
from app.services import audit as audit_service
from app.services import users as user_service
from app.services.errors import InvalidInput
from app.web.deps import CurrentPrincipal, CurrentUser, DbSession
from app.web.templating import render

router = APIRouter(include_in_schema=False)

UserId = Annotated[int, Path(ge=1, le=2_000_000_000)]
PAGE_SIZE = 50


def _int_or_none(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None


@router.get("/admin/users")
def list_users(
    request: Request,
    db: DbSession,
    actor: CurrentUser,
    q: Annotated[str, Query(max_length=100)] = "",
    offset: Annotated[int, Query(ge=0, le=2_000_000_000)] = 0,
) -> Response:
    users, total = user_service.search(db, actor=actor, q=q, limit=PAGE_SIZE, offset=offset)
    context = {"nav": "admin", "users": users, "total": total, "q": q, "offset": offset, "page_size": PAGE_SIZE}
    return render(request, "admin/users.html", context, partial="admin/_user_rows.html")


def _new_form(request: Request, actor: User, values: dict[str, str], errors: dict[str, str], status: int) -> Response:
    user_service.require_admin(actor)
    context = {"nav": "admin", "values": values, "errors": errors, "languages": LANGUAGES}
    return render(request, "admin/user_new.html", context, status_code=status)


@router.get("/admin/users/new")
def new_user_form(request: Request, actor: CurrentUser) -> Response:
    return _new_form(request, actor, {"email": "", "name": "", "language": "sv"}, {}, 200)


@router.post("/admin/users")
def create_user(
    request: Request,
    db: DbSession,
    actor: CurrentUser,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "sv",
) -> Response:
    try:
        user, generated = user_service.admin_create_user(
            db, actor=actor, email=email, name=name, password=password, language=language
        )
    except InvalidInput as exc:
        values = {"email": email, "name": name, "language": language}
        return _new_form(request, actor, values, exc.by_field(), 422)
    return _user_page(request, db, actor, user, generated_password=generated, created=True, status=201)


def _user_page(
    request: Request,
    db: DbSession,
    actor: User,
    user: User,
    *,
    errors: dict[str, str] | None = None,
    grant_values: dict[str, str] | None = None,
    status: int = 200,
    **flags: Any,
) -> Response:
    context = {
        "nav": "admin",
        "subject": user,
        "roles": user_service.roles_of(db, user),
        "choices": user_service.scope_choices(db, actor=actor),
        "role_names": [r.value for r in Role],
        "languages": LANGUAGES,
        "errors": errors or {},
        "grant_values": grant_values or {"role": "", "scope": ""},
        **flags,
    }
    return render(request, "admin/user.html", context, status_code=status)


@router.get("/admin/users/{user_id}")
def user_detail(request: Request, db: DbSession, actor: CurrentUser, user_id: UserId) -> Response:
    user = user_service.get_user(db, actor=actor, user_id=user_id)
    return _user_page(request, db, actor, user, saved=request.query_params.get("saved"))


@router.post("/admin/users/{user_id}")
def update_user(
    request: Request,
    db: DbSession,
    actor: CurrentUser,
    user_id: UserId,
    name: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "sv",
    is_active: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    try:
        user_service.update_user(
            db,
            actor=actor,
            user_id=user_id,
            name=name,
            is_active=bool(is_active),
            language=language,
            version=_int_or_none(version),
        )
    except InvalidInput as exc:
        user = user_service.get_user(db, actor=actor, user_id=user_id)
        edit = {"name": name, "language": language, "is_active": bool(is_active)}
        return _user_page(request, db, actor, user, errors=exc.by_field(), edit_values=edit, status=422)
    return RedirectResponse(f"/admin/users/{user_id}?saved=user", status_code=303)


@router.post("/admin/users/{user_id}/roles")
def grant_role(
    request: Request,
    db: DbSession,
    actor: CurrentUser,
    user_id: UserId,
    role: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "",
) -> Response:
    try:
        user_service.grant_role(db, actor=actor, user_id=user_id, role=role, scope=scope or None)
    except InvalidInput as exc:
        user = user_service.get_user(db, actor=actor, user_id=user_id)
        values = {"role": role, "scope": scope}
        return _user_page(request, db, actor, user, errors=exc.by_field(), grant_values=values, status=422)
    return RedirectResponse(f"/admin/users/{user_id}?saved=role", status_code=303)


@router.post("/admin/users/{user_id}/roles/{membership_id}/delete")
def revoke_role(
    request: Request,
    db: DbSession,
    actor: CurrentUser,
    user_id: UserId,
    membership_id: Annotated[int, Path(ge=1, le=2_000_000_000)],
) -> Response:
    try:
        user_service.revoke_role(db, actor=actor, user_id=user_id, membership_id=membership_id)
    except InvalidInput as exc:
        user = user_service.get_user(db, actor=actor, user_id=user_id)
        return _user_page(request, db, actor, user, errors=exc.by_field(), status=422)
    return RedirectResponse(f"/admin/users/{user_id}?saved=revoked", status_code=303)


AUDIT_PAGE_SIZE = 100
Offset = Annotated[int, Query(ge=0, le=2_000_000_000)]


@router.get("/initiatives/{initiative_id}/audit")
def initiative_audit(
    request: Request,
    db: DbSession,
    principal: CurrentPrincipal,
    initiative_id: Annotated[int, Path(ge=1, le=2_000_000_000)],
    offset: Offset = 0,
) -> Response:
    initiative, events, total = audit_service.for_initiative(
        db, principal, initiative_id=initiative_id, limit=AUDIT_PAGE_SIZE, offset=offset
    )
    context = {
        "initiative": initiative,
        "events": events,
        "total": total,
        "offset": offset,
        "page_size": AUDIT_PAGE_SIZE,
        "changes": audit_service.changes,
    }
    return render(request, "audit/initiative.html", context)


def _parse_day(text: str, name: str, errors: dict[str, str]) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors[name] = _("Enter a date as YYYY-MM-DD.")
        return None


@router.get("/admin/audit")
def admin_audit(
    request: Request,
    db: DbSession,
    principal: CurrentPrincipal,
    entity: Annotated[str, Query(max_length=50)] = "",
    entity_id: Annotated[str, Query(max_length=20)] = "",
    actor_id: Annotated[str, Query(max_length=20)] = "",
    date_from: Annotated[str, Query(max_length=20)] = "",
    date_to: Annotated[str, Query(max_length=20)] = "",
    offset: Offset = 0,
) -> Response:
    errors: dict[str, str] = {}
    filters = audit_service.AuditFilter(
        entity=entity.replace("\x00", "") or None,
        entity_id=_int_or_none(entity_id),
        actor_id=_int_or_none(actor_id),
        date_from=_parse_day(date_from, "date_from", errors),
        date_to=_parse_day(date_to, "date_to", errors),
    )
    events, total = audit_service.search(db, principal, filters, limit=AUDIT_PAGE_SIZE, offset=offset)
    entities, actors = audit_service.filter_choices(db, principal)
    values = {
        "entity": entity,
        "entity_id": entity_id,
        "actor_id": actor_id,
        "date_from": date_from,
        "date_to": date_to,
    }
    context = {
        "nav": "admin",
        "events": events,
        "total": total,
        "offset": offset,
        "page_size": AUDIT_PAGE_SIZE,
        "entities": entities,
        "actors": actors,
        "values": values,
        "errors": errors,
        "changes": audit_service.changes,
    }
    return render(request, "audit/admin.html", context, status_code=422 if errors else 200)
