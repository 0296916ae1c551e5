"""Writing and sending an update in the console: paste or upload the update file that
`yousaid update send` takes, see its problems beside their lines, then the dry run (who
gets what, at what cost, who can't be reached and why), then send it now or at a time
after a confirmation. The same services and rules as the command; nothing is queued
until the file validates. Following and cancelling a sent update: pages_update_status."""

from __future__ import annotations

from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.config_files import MAX_FILE_BYTES
from bot.console import pages_update_status
from bot.console.auth import ANYONE, guard
from bot.console.listing import numbered
from bot.console.templating import render
from bot.console.update_plan import plan_view
from bot.runtime import Runtime
from bot.services import update_progress, update_send
from bot.services.overview import overview
from bot.services.update_queue import queue
from bot.services.updates import Prepared, UpdateRefused, prepare

__all__ = ["routes"]

AT_NAME = "Send at"  # the form's field, named in the time's error messages


def routes() -> list[Route]:
    return [
        Route("/updates", updates, methods=["GET"]),
        Route("/updates/check", check, methods=["POST"]),
        Route("/updates/send", send, methods=["POST"]),
        *pages_update_status.routes(),
    ]


@guard(ANYONE)
async def updates(request: Request) -> Response:
    """Every update sent, by consultation, and the form to check a new one."""
    return await _editor(request, 200, consultation=request.query_params.get("consultation", ""))


@guard(ANYONE, uploads=1)
async def check(request: Request) -> Response:
    """Check the pasted or uploaded file: its problems beside their lines, or the dry run."""
    runtime: Runtime = request.app.state.runtime
    form = await request.form()  # parsed and bounded by `guard`
    consultation = str(form.get("consultation", ""))
    name, text, unreadable = await _file(form)
    if unreadable:
        return await _editor(request, 400, consultation=consultation, message=unreadable)
    now = runtime.clock.now()
    try:
        prepared = await run_in_threadpool(prepare, runtime, consultation, text, name, at=now)
        update_send.refuse_cancelled(runtime, consultation, prepared, again=False)
    except UpdateRefused as refused:
        return await _refused(request, refused, consultation, text, name)
    cap = update_send.cap_of(runtime)
    return render(
        request,
        "update_dry_run.html",
        shown=plan_view(prepared, runtime.settings),
        cap=cap,
        over_cap=cap is not None and prepared.plan.cost > cap,
        text=text,
        file_name=name,
        consultation=consultation,
        zone=runtime.settings.zone.key,
    )


@guard(ANYONE)
async def send(request: Request) -> Response:
    """`action=confirm`: what sending at the time asked will do; `action=send`: queue it."""
    runtime: Runtime = request.app.state.runtime
    form = await request.form()
    consultation, text = str(form.get("consultation", "")), str(form.get("text", ""))
    name, at = str(form.get("file_name", "update file"))[:200], str(form.get("at", "")).strip()
    now = runtime.clock.now()
    try:
        send_after = update_send.send_time(runtime, at or None, now, name=AT_NAME)
        prepared = await run_in_threadpool(
            prepare, runtime, consultation, text, name, at=send_after
        )
        update_send.refuse_cancelled(runtime, consultation, prepared, again=False)
        nobody = update_send.nobody_to_queue(prepared, send_after, now)
        if not nobody:
            update_send.refuse_over_cap(prepared, update_send.cap_of(runtime))
    except UpdateRefused as refused:
        return await _refused(request, refused, consultation, text, name)
    if form.get("action") != "send" or nobody:
        return _confirm(request, runtime, prepared, send_after, at, nobody, name)
    queued = await run_in_threadpool(queue, runtime, prepared, send_after)
    target = f"/console/updates/{consultation}/{queued.update_id}?queued={queued.recipients}"
    return RedirectResponse(target, status_code=303)


# --- helpers ----------------------------------------------------------------------------


def _confirm(
    request: Request,
    runtime: Runtime,
    prepared: Prepared,
    send_after: datetime,
    at: str,
    nobody: bool,
    name: str,
) -> Response:
    begins, why = update_send.starts(runtime, send_after, runtime.clock.now())
    return render(
        request,
        "update_confirm.html",
        shown=plan_view(prepared, runtime.settings),
        nobody=nobody,
        begins=begins,
        why=why,
        at=at,
        text=prepared.source_text,
        file_name=name,
        consultation=prepared.update.consultation_id,
    )


async def _file(form: FormData) -> tuple[str, str, str]:
    """The file's name and text, and why it can't be read ("" when it can)."""
    name, text = "pasted file", str(form.get("text", ""))
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_FILE_BYTES + 1)
        name = upload.filename
        if len(data) > MAX_FILE_BYTES:
            return name, "", f"{name} is larger than 1 MB, the limit for an update file."
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return name, "", f"{name} is not a text file in UTF-8. Save it as UTF-8 and try again."
    if len(text.encode()) > MAX_FILE_BYTES:
        return name, "", "The text is larger than 1 MB, the limit for an update file."
    return name, text.replace("\r\n", "\n"), ""


async def _refused(
    request: Request, refused: UpdateRefused, consultation: str, text: str, name: str
) -> Response:
    if not refused.problems:
        return await _editor(
            request, 400, consultation=consultation, text=text, message=str(refused)
        )
    lines, loose = numbered(text, refused.problems)
    errors = sum(1 for p in refused.problems if not p.warning)
    return await _editor(
        request,
        400,
        consultation=consultation,
        text=text,
        file_name=name,
        lines=lines,
        loose=loose,
        errors=errors,
    )


async def _editor(request: Request, status: int, **context: object) -> Response:
    runtime: Runtime = request.app.state.runtime
    shown = await run_in_threadpool(overview, runtime)
    sent = []
    for line in shown.consultations:
        rows = await run_in_threadpool(update_progress.standings, runtime, line.id)
        sent += [(line, row) for row in rows]
    context.setdefault("text", "")
    context.setdefault("lines", None)
    return render(
        request,
        "updates.html",
        status,
        consultations=shown.consultations,
        sent=sent,
        short=update_send.SHORT_ID,
        **context,
    )
