"""Writing a consultation in the console: paste or upload its YAML file, see every problem
beside the line it names, preview every message with its SMS segments and the cost of a
run, then save it (a new version). The file stays the source of truth: editing one opens
its stored text, and it can be downloaded back."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.config_files import MAX_FILE_BYTES
from bot.console.auth import ANYONE, guard
from bot.console.listing import numbered
from bot.console.templating import not_found, render
from bot.runtime import Runtime
from bot.services.consultation_preview import preview
from bot.services.consultations import Checked, LoadRefused, load, source_of
from conversations.loader import LoadResult, load_consultation

__all__ = ["routes"]


def routes() -> list[Route]:
    return [
        Route("/consultations/new", new, methods=["GET"]),
        Route("/consultations/check", check, methods=["POST"]),
        Route("/consultations/{consultation}/edit", edit, methods=["GET"]),
        Route("/consultations/{consultation}/file.yaml", download, methods=["GET"]),
    ]


@guard(ANYONE)
async def new(request: Request) -> Response:
    """An empty editor, with an upload button."""
    return render(request, "editor.html", text="", file_name="new consultation", lines=None)


@guard(ANYONE)
async def edit(request: Request) -> Response:
    """The editor, opened on the stored file of a consultation."""
    stored = await run_in_threadpool(
        source_of, request.app.state.runtime, request.path_params["consultation"]
    )
    if stored is None:
        return not_found(request, "There is no consultation with that id.")
    return render(
        request, "editor.html", text=stored.source_text, file_name=f"{stored.id}.yaml", lines=None
    )


@guard(ANYONE)
async def download(request: Request) -> Response:
    """The stored YAML file, as loaded."""
    stored = await run_in_threadpool(
        source_of, request.app.state.runtime, request.path_params["consultation"]
    )
    if stored is None:
        return not_found(request, "There is no consultation with that id.")
    return Response(
        stored.source_text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{stored.id}.yaml"'},
    )


@guard(ANYONE, uploads=1)
async def check(request: Request) -> Response:
    """Check the pasted or uploaded file: problems beside their lines; when there are
    none, the preview, and with `action=save`, load it."""
    runtime: Runtime = request.app.state.runtime
    form = await request.form()  # parsed and bounded by `guard`
    name, text = "pasted file", str(form.get("text", ""))
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_FILE_BYTES + 1)
        name = upload.filename
        if len(data) > MAX_FILE_BYTES:
            return _editor(
                request,
                "",
                name,
                413,
                f"{name} is larger than 1 MB, the limit for a consultation file.",
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _editor(
                request,
                "",
                name,
                400,
                f"{name} is not a text file in UTF-8. Save it as UTF-8 and try again.",
            )
    if len(text.encode()) > MAX_FILE_BYTES:
        return _editor(
            request,
            "",
            name,
            413,
            "The text is larger than 1 MB, the limit for a consultation file.",
        )
    result = load_consultation(text.replace("\r\n", "\n"), name)
    if not result.ok or result.consultation is None:
        return _problems(request, text, name, result)
    if form.get("action") == "save":
        return await _save(request, runtime, name, text, result)
    shown = preview(result.consultation, runtime.catalogue, runtime.settings.segment_price)
    warnings = [p for p in result.problems if p.warning]
    return render(
        request,
        "preview.html",
        consultation=result.consultation,
        shown=shown,
        text=text,
        file_name=name,
        warnings=warnings,
    )


async def _save(
    request: Request, runtime: Runtime, name: str, text: str, result: LoadResult
) -> Response:
    assert result.consultation is not None
    try:
        await run_in_threadpool(load, runtime, [Checked(name, text, result.consultation)])
    except LoadRefused as refused:
        return _editor(request, text, name, 409, " ".join(refused.problems))
    return RedirectResponse(f"/console/?saved={result.consultation.id}", status_code=303)


def _problems(request: Request, text: str, name: str, result: LoadResult) -> Response:
    lines, loose = numbered(text, result.problems)
    errors = sum(1 for p in result.problems if not p.warning)
    return render(
        request,
        "editor.html",
        400,
        text=text,
        file_name=name,
        lines=lines,
        loose=loose,
        errors=errors,
    )


def _editor(request: Request, text: str, name: str, status: int, message: str) -> Response:
    return render(
        request, "editor.html", status, text=text, file_name=name, lines=None, message=message
    )
