"""`yousaid officer add|list|disable|reset|require-2fa`: the officers' console accounts.

`add` and `reset` print a one-time link (valid 24 hours) where the officer sets their own
password; the link is shown here once and never logged.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import typer

from bot.cli.common import command_group
from bot.cli.errors import CommandError
from bot.runtime import open_runtime
from bot.services import officers, second_factor
from bot.times import describe

app = command_group("Officers' accounts for the web console.")

_EMAIL = typer.Argument(..., metavar="EMAIL", help="The officer's work e-mail.", show_default=False)


@app.command("add")
def add(
    email: str = _EMAIL,
    role: str = typer.Option(
        "officer",
        "--role",
        help="officer (consultations, rounds, results, updates), safeguarding (also the "
        "review queue) or admin (also accounts and the audit log).",
    ),
) -> None:
    """Create an account and print its set-up link.

    \b
    Example:
      yousaid officer add sam.jones@council.gov.uk --role admin
    """
    runtime = open_runtime()
    try:
        link = officers.add(runtime, email, role)
    except officers.OfficerError as exc:
        raise CommandError(str(exc)) from None
    _print_link(link, runtime.settings.zone)


@app.command("list")
def list_accounts() -> None:
    """Every account: e-mail, role, and whether it can sign in.

    \b
    Example:
      yousaid officer list
    """
    runtime = open_runtime()
    accounts = officers.all_officers(runtime)
    if not accounts:
        typer.echo("No accounts yet. Add the first: yousaid officer add EMAIL --role admin")
        return
    for account in accounts:
        typer.echo(f"{account.email}  {account.role}  {_state(account)}")


@app.command("disable")
def disable(email: str = _EMAIL) -> None:
    """Stop an account signing in; its open sessions end now.

    \b
    Example:
      yousaid officer disable sam.jones@council.gov.uk
    """
    try:
        officers.disable(open_runtime(), email)
    except officers.OfficerError as exc:
        raise CommandError(str(exc)) from None
    typer.echo(f"{email.strip().lower()} can no longer sign in.")


@app.command("reset")
def reset(email: str = _EMAIL) -> None:
    """A new set-up link: the old password stops working and the second factor is cleared
    (a lost phone); a disabled account comes back.

    \b
    Example:
      yousaid officer reset sam.jones@council.gov.uk
    """
    runtime = open_runtime()
    try:
        link = officers.reset(runtime, email)
    except officers.OfficerError as exc:
        raise CommandError(str(exc)) from None
    _print_link(link, runtime.settings.zone)


@app.command("require-2fa")
def require_2fa(
    state: str = typer.Argument(
        ...,
        metavar="ON|OFF",
        help="on: every account needs a second factor; off: each chooses.",
        show_default=False,
    ),
) -> None:
    """Require a second factor (a code from an authenticator app) of every account, or not.

    With it on, an account without one is signed out and sets one up right after its
    password at the next sign-in. The same as the console's Accounts page.

    \b
    Example:
      yousaid officer require-2fa on
    """
    state = state.strip().lower()
    if state not in ("on", "off"):
        raise CommandError(f"Say on or off, not {state!r}. Example: yousaid officer require-2fa on")
    signed_out = second_factor.set_required(open_runtime(), state == "on")
    if state == "on":
        typer.echo(
            f"Every account now needs a second factor. {signed_out} signed out to set one up."
        )
    else:
        typer.echo("A second factor is now optional.")


def _print_link(link: officers.SetupLink, zone: ZoneInfo) -> None:
    until = describe(link.expires, zone)
    typer.echo(f"Send this link to {link.email}. It works once, until {until}:")
    typer.echo(link.url)


def _state(account: officers.OfficerRow) -> str:
    if account.disabled:
        return "disabled"
    if account.password_hash is None:
        return "waiting for set-up"
    return "active, second factor on" if account.second_factor else "active"
