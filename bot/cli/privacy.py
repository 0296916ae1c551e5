"""`yousaid privacy purge|release|lookup|erase`: apply the retention rules; release pending
answers; answer a subject access or erasure request that came by letter or phone."""

from __future__ import annotations

import typer

from bot.addresses import Address
from bot.cli.common import command_group
from bot.cli.errors import CommandError
from bot.runtime import open_runtime
from bot.services import privacy, retention
from bot.services.release import release_now
from conversations.state import shown_answer

app = command_group("Retention and unlinking of answers.")


@app.command()
def purge() -> None:
    """Apply every retention rule now, print what each did, then erase it from disk.

    \b
    Example:
      yousaid privacy purge
    """
    counts = retention.purge(open_runtime())
    width = max(len(str(count)) for _, count in counts.lines())
    for what, count in counts.lines():
        typer.echo(f"{count:>{width}}  {what}")
    if counts.compacted:
        typer.echo("Erased data has been cleared from the database files.")
    else:
        typer.echo(
            "The database files could not be tidied yet (another process was reading): "
            "run `yousaid privacy purge` again later."
        )


@app.command()
def release() -> None:
    """Release every finished response's answers into the results now, however few.

    \b
    Example:
      yousaid privacy release
    """
    responses, answers = release_now(open_runtime())
    if not responses:
        typer.echo("Nothing to release: no finished responses are waiting.")
        return
    typer.echo(f"Released {answers} answers from {responses} responses, mixed in one batch.")
    if responses < 2:
        typer.echo(
            "Note: a batch of one response can be told apart by when it was released; "
            "that is fine when you are closing a round's books."
        )


ADDRESS_HELP = "A phone number (any format), tg:TELEGRAM_ID or term:NAME."


@app.command()
def lookup(address: str = typer.Argument(..., metavar="ADDRESS", help=ADDRESS_HELP)) -> None:
    """Show everything held about one address (a subject access request).

    \b
    Example:
      yousaid privacy lookup 07700900123
    """
    runtime = open_runtime()
    held = privacy.lookup(runtime, _address(address))
    if not held.known:
        typer.echo(
            "Nothing is held about this address (or its answers have already been unlinked "
            "and can't be found)."
        )
        return
    typer.echo(f"Stopped messages: {'yes' if held.opted_out else 'no'}")
    typer.echo(f"Language: {held.language or 'not chosen'}")
    typer.echo(f"Address kept (encrypted): {'yes' if held.address_kept else 'no'}")
    for subscription in held.subscriptions or ("none",):
        typer.echo(f"Asked for: {subscription}")
    typer.echo(f"Conversation under way: {held.conversation or 'none'}")
    for round_id, answers in held.answers.items():
        typer.echo(f"Answers in round {round_id} (can still be withdrawn):")
        for question_id, value in answers:
            typer.echo(f"  {question_id}: {shown_answer(value)}")
    for text in held.flagged:
        typer.echo(f"Flagged for safeguarding review: {text}")


@app.command()
def erase(
    address: str = typer.Argument(..., metavar="ADDRESS", help=ADDRESS_HELP),
    yes: bool = typer.Option(False, "--yes", help="Do it without asking."),
) -> None:
    """Erase one address as if they had texted DELETE, without messaging them.

    \b
    Example:
      yousaid privacy erase 07700900123 --yes
    """
    runtime = open_runtime()
    parsed = _address(address)
    if not yes:
        typer.confirm("Erase everything held about this address?", abort=True)
    if privacy.erase(runtime, parsed):
        typer.echo("Erased: contact details, requests for news, and answers still linked.")
    else:
        typer.echo("Nothing is held about this address.")


def _address(text: str) -> Address:
    try:
        return privacy.parse_address(text)
    except ValueError:
        raise CommandError(
            "not an address: give a phone number, tg:TELEGRAM_ID or term:NAME"
        ) from None
