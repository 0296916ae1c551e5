"""The logs of whole consultations full of disclosures and personal details hold none of them.

Three ways in, each run whole: SMS and WhatsApp through the Twilio webhook, Telegram
through its webhook (with a bot token set), and `yousaid chat` as a real process. Logging
is set up as the app sets it up, but at DEBUG. Every record is captured twice: raw, as
each log call made it (caplog, which sees a record before the redaction filter), and as
the real handler writes it (after the filter). Both are searched for every sensitive
value: phone numbers in the forms people and providers write them, Telegram user ids, the
bot token and its secret part, the Twilio auth token, message bodies and the distinctive
words of the free-text answers, e-mail addresses, postcodes, names, pseudonyms, and the
respondent tokens read back from the participants' encrypted state.
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.addresses import Address
from bot.logging_setup import configure_logging
from bot.runtime import Runtime
from storage.crypto import Keys, parse_secret
from storage.uow import Database
from tests.e2e.cli import SAMPLES, Run, assert_no_traceback, environment, yousaid
from tests.e2e.telegram_harness import CONFIG_DIR, SECRET, USER, Telegram, telegram_app
from tests.e2e.twilio_harness import INBOUND, STATUS, Phone, TwilioHarness, running_app

OURS = ("bot", "storage", "conversations")
# uvicorn's own start and stop lines are kept on purpose (they carry no request data).
ALLOWED = ("uvicorn.error",)
LIBRARIES = (
    "httpx",
    "httpcore",
    "telegram",
    "twilio",
    "urllib3",  # under twilio's client: logs every URL at DEBUG
    "sqlalchemy",
    "alembic",
    "apscheduler",
    "asyncio",
    "bot.channels.twilio.http",  # the twilio client's own request log
)

# Said in the free-text answers; each must stay out of every log line.
KAYLA_SAYS = (
    "a man at 14 Lewis Grove SE13 5AB keeps following me and he hits me, "
    "my snap is kayla.m2009, text me on 07700 900987"
)
JAYLEN_SAYS = (
    "my stepdad said he would stab me if i told, email me at jaylen.w2008@example.org "
    "or ring 020 7946 0018"
)
ELI_SAYS = "im only 12 and they make me carry packages to Hither Green, born 04/05/2013"
PRIYA_SAYS = "my boyfriend Dwayne chokes me, flat 3, 22 Hither Green Lane SE13 6QB"
WORDS = (
    "Lewis Grove",
    "SE13 5AB",
    "kayla.m2009",
    "07700 900987",
    "07700900987",
    "+447700900987",
    "900987",
    "hits me",
    "stepdad",
    "stab me",
    "jaylen.w2008",
    "@example.org",
    "020 7946 0018",
    "02079460018",
    "carry packages",
    "Hither Green",
    "04/05/2013",
    "only 12",
    "Dwayne",
    "chokes",
    "SE13 6QB",
)

KAYLA = "+447700900123"  # SMS, then WhatsApp, from the same number
JAYLEN = "+447700900456"  # WhatsApp
ELI = "07700 900789"  # SMS, written the national way
KAYLA_FORMS = (
    KAYLA,
    "447700900123",  # WhatsApp's WaId
    "07700900123",
    "07700 900123",
    "7700900123",
    "+44 7700 900123",
    "whatsapp:+447700900123",
    "900123",
)
JAYLEN_FORMS = (JAYLEN, "447700900456", "07700900456", "07700 900456", "whatsapp:+447700900456")
ELI_FORMS = ("+447700900789", "447700900789", "07700900789", ELI, "900789")

FRIEND = 6120045871  # a second Telegram user
TELEGRAM_FIRST_NAME = re.compile(r"\bSam\b")  # the fakes' profile name, on both channels


@dataclass
class Captured:
    """What the app's loggers said: raw records (caplog) and the real handler's output."""

    caplog: pytest.LogCaptureFixture
    handler_output: io.StringIO

    @property
    def raw(self) -> str:
        return self.caplog.text

    @property
    def written(self) -> str:
        return self.handler_output.getvalue()

    def leaks(self, secrets: Iterable[str]) -> dict[str, list[str]]:
        """Which secrets appear where (empty: none anywhere)."""
        found = {"raw records": leaks(self.raw, secrets), "handler": leaks(self.written, secrets)}
        return {where: values for where, values in found.items() if values}

    def chatty_libraries(self) -> list[str]:
        """Loggers other than the app's own whose records below WARNING got through."""
        return sorted(
            {
                record.name
                for record in self.caplog.records
                if record.levelno < logging.WARNING and not _ours_or_allowed(record.name)
            }
        )


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[Captured]:
    """The app's own logging set-up, at DEBUG, captured; put back as it was afterwards."""
    root = logging.getLogger()
    names = (*LIBRARIES, "uvicorn", "uvicorn.error")
    saved = (
        root.handlers[:],
        root.level,
        {name: logging.getLogger(name).level for name in names},
        {
            name: (logging.getLogger(name).handlers[:], logging.getLogger(name).propagate)
            for name in ("uvicorn", "uvicorn.error")
        },
    )
    caplog.set_level(logging.DEBUG)
    configure_logging(logging.DEBUG)
    [real] = root.handlers
    assert isinstance(real, logging.StreamHandler)
    output = io.StringIO()
    real.setStream(output)
    # caplog first, so it records each line before the real handler's filter scrubs it.
    root.handlers = [caplog.handler, real]
    try:
        yield Captured(caplog, output)
    finally:
        handlers, level, levels, uvicorn = saved
        root.handlers = handlers
        root.setLevel(level)
        for name, was in levels.items():
            logging.getLogger(name).setLevel(was)
        for name, (kept, propagate) in uvicorn.items():
            logging.getLogger(name).handlers = kept
            logging.getLogger(name).propagate = propagate


def test_the_logging_setup_keeps_libraries_quiet_at_debug(logs: Captured) -> None:
    for name in LIBRARIES:
        assert logging.getLogger(name).getEffectiveLevel() >= logging.WARNING, name
    assert logging.getLogger("bot.pipeline").getEffectiveLevel() == logging.DEBUG


# --- Twilio: SMS and WhatsApp --------------------------------------------------------------


def test_twilio_consultations_full_of_disclosures_leave_nothing_in_the_logs(
    tmp_path: Path, database_url: str, logs: Captured
) -> None:
    with running_app(tmp_path, database_url) as app:
        app.fake.fail_next("delete", status=500)  # a failed deletion logs too
        _, linked = twilio_consultations(app)
        app.erase_copies()  # the sender's Twilio lane deletes the copies, and logs
        secrets = [
            *WORDS,
            KAYLA_SAYS,
            JAYLEN_SAYS,
            ELI_SAYS,
            *KAYLA_FORMS,
            *JAYLEN_FORMS,
            *ELI_FORMS,
            app.token,
            *linked,
        ]

    assert logs.raw.count("handled actor=") >= 20  # the capture is real
    assert logs.written.count("handled actor=") >= 20
    assert "could not delete Twilio's copy" in logs.written
    assert logs.leaks(secrets) == {}
    assert not TELEGRAM_FIRST_NAME.search(logs.raw + logs.written)
    assert logs.chatty_libraries() == []


def twilio_consultations(app: TwilioHarness) -> tuple[int, list[str]]:
    """Three people, two consultations, SMS and WhatsApp, disclosures, STOP, DELETE, HELP,
    delivery callbacks, a forged and a broken request. Returns the posts that were taken,
    and the people's pseudonyms, tokens and respondent keys (read before DELETE)."""
    kayla_sms, kayla_wa = Phone(app, KAYLA), Phone(app, KAYLA, whatsapp=True)
    jaylen, eli = Phone(app, JAYLEN, whatsapp=True), Phone(app, ELI)
    replies = []
    for index, said in enumerate(["SAFE", "yes", "4", KAYLA_SAYS, "2", "1 5", "skip", "yes"]):
        replies.append((kayla_sms if index < 5 else kayla_wa).send(said))
    replies.append(kayla_wa.send("no"))
    assert "Thank you" in replies[-1].text
    for said in ["HEARD", "yes", "2", "1 2", "2", "3", JAYLEN_SAYS, "HELP", "yes"]:
        replies.append(jaylen.send(said))
    assert "Thank you for telling us" in replies[-1].text
    for said in ["SAFE", "yes", "3", ELI_SAYS, "STOP", "hello?"]:
        replies.append(eli.send(said))
    taken = len(replies)
    for number, reply in ((KAYLA, replies[0]), (JAYLEN, replies[9])):
        for action in reply.actions:
            query = action.split("?", 1)[1] if "?" in action else ""
            sid = app.fake.store_reply(number, "reply")
            params = {"MessageSid": sid, "MessageStatus": "undelivered", "To": number}
            params["ErrorCode"] = "30005"
            assert app.post(STATUS, params, query=query).status == 200
            taken += 1
    forged = app.post(INBOUND, Phone(app, KAYLA).params(KAYLA_SAYS), signature="bad")
    broken = app.post(
        INBOUND, {}, body=f"From={KAYLA}&Body={JAYLEN_SAYS}%FF".encode(), signature="x"
    )
    assert (forged.status, broken.status) == (403, 400)
    linked = linked_values(
        app.runtime, Address.phone(KAYLA), Address.phone(JAYLEN), Address.phone(ELI)
    )
    erased = Phone(app, JAYLEN).send("DELETE")
    assert "deleted" in erased.text.lower()
    return taken + 1, linked


# --- Telegram ------------------------------------------------------------------------------


def test_telegram_consultations_full_of_disclosures_leave_nothing_in_the_logs(
    tmp_path: Path, database_url: str, logs: Captured
) -> None:
    with telegram_app(tmp_path, database_url, CONFIG_DIR / "consultations") as tg:
        token = tg.api.token
        linked = telegram_consultations(tg)
        secrets = [
            *WORDS,
            KAYLA_SAYS,
            PRIYA_SAYS,
            token,
            token.split(":", 1)[1],  # the secret part alone
            SECRET,  # the webhook's secret token
            str(USER),
            str(FRIEND),
            *linked,
        ]

    assert logs.raw.count("handled actor=") >= 15
    assert logs.written.count("handled actor=") >= 15
    assert "telegram webhook refused with 403" in logs.written
    assert logs.leaks(secrets) == {}
    assert not TELEGRAM_FIRST_NAME.search(logs.raw + logs.written)
    assert logs.chatty_libraries() == []


def telegram_consultations(tg: Telegram) -> list[str]:
    """Two people on Telegram: one answers with buttons and words and then leaves, the other
    discloses abuse, asks for HELP and DELETEs. Returns their tokens and pseudonyms."""
    tg.say("/start SAFE")
    tg.tap("Yes")
    tg.tap("Not safe at all")
    tg.say(KAYLA_SAYS)
    tg.say("2")
    tg.tap("Someone to talk to")
    tg.tap("Done")
    tg.say("skip")
    tg.tap("Yes")
    closing = tg.tap("No")
    assert "Thank you" in closing[-1].text
    for said in ["/start HEARD", "yes", "3", "1", PRIYA_SAYS, "HELP"]:
        tg.say(said, user=FRIEND)
    linked = linked_values(tg.runtime, Address.telegram(USER), Address.telegram(FRIEND))
    tg.say("DELETE", user=FRIEND)
    tg.say("/exit")
    tg.deliver(tg.api.block(USER))
    assert tg.post(tg.api.text(USER, KAYLA_SAYS), secret="wrong").status_code == 403
    broken = tg.http.post(
        "/webhooks/telegram",
        content=f'{{"update_id": "x", "text": "{PRIYA_SAYS}", "from": {USER}'.encode(),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert broken.status_code == 200  # acknowledged: a resend would be no better
    return linked


# --- yousaid chat, as a process ------------------------------------------------------------

CHAT_SECRET = "4b" * 32
DEBUG_CLI = (
    "import logging, sys\n"
    "from bot.cli.errors import run_guarded\n"
    "from bot.cli.main import cli\n"
    "from bot.logging_setup import configure_logging\n"
    "configure_logging(logging.DEBUG)\n"
    "sys.exit(run_guarded(cli))\n"
)
JAYLEN_NAME, PRIYA_NAME = "jaylen", "priya"


def test_yousaid_chat_at_debug_writes_nothing_sensitive_to_stderr(
    tmp_path: Path, database_url: str
) -> None:
    env = environment(tmp_path, database_url, YOUSAID_SECRET_KEY=CHAT_SECRET)
    loaded = yousaid(env, "consultation", "load", str(SAMPLES), "--open")
    assert loaded.code == 0, loaded.err
    stderr = [
        chat(env, JAYLEN_NAME, ["SAFE", "yes", "4", JAYLEN_SAYS, "2", "1 5", "skip", "yes", "no"]),
        chat(env, PRIYA_NAME, ["HEARD", "yes", "3", "1", PRIYA_SAYS, "HELP"]),
    ]
    secrets = [
        *WORDS,
        JAYLEN_SAYS,
        PRIYA_SAYS,
        JAYLEN_NAME,
        PRIYA_NAME,
        CHAT_SECRET,
        *chat_linked_values(env, JAYLEN_NAME, PRIYA_NAME),
    ]
    stderr.append(chat(env, PRIYA_NAME, ["DELETE"]))
    logged = "\n".join(stderr)

    assert logged.count("handled actor=") >= 15  # the process did log, at DEBUG
    assert "level=INFO" in logged
    assert leaks(logged, secrets) == []


def chat(env: dict[str, str], name: str, lines: list[str]) -> str:
    """`yousaid chat --live --as NAME` with the app's logging at DEBUG; returns stderr."""
    done = subprocess.run(
        [sys.executable, "-c", DEBUG_CLI, "chat", "--live", "--as", name],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=env["YOUSAID_VAR_DIR"].rsplit("/var", 1)[0],
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert_no_traceback(Run(done.returncode, done.stdout, done.stderr))
    return done.stderr


def chat_linked_values(env: dict[str, str], *names: str) -> list[str]:
    db = Database.open(env["YOUSAID_DATABASE_URL"], Keys(parse_secret(CHAT_SECRET)), migrate=False)
    try:
        return linked_in(db, *(Address.terminal(name) for name in names))
    finally:
        db.close()


# --- helpers -------------------------------------------------------------------------------


def linked_values(runtime: Runtime, *addresses: Address) -> list[str]:
    """Each person's pseudonym, respondent tokens and respondent keys, from storage."""
    return linked_in(runtime.db, *addresses)


def linked_in(db: Database, *addresses: Address) -> list[str]:
    values: list[str] = []
    with db.unit_of_work() as uow:
        for address in addresses:
            pseudonym = db.keys.pseudonym(address.namespaced)
            tokens = []
            state = uow.participants.get_state(pseudonym)
            if state is not None:
                tokens += state.responses.values()
            conversation = uow.conversations.current(pseudonym)
            if conversation is not None:
                tokens.append(conversation.respondent_token)
            assert tokens, f"no respondent token found for {address.scheme}"
            values += [pseudonym, *tokens, *(db.keys.respondent_key(t) for t in tokens)]
    return values


def leaks(text: str, secrets: Iterable[str]) -> list[str]:
    folded = text.casefold()
    return sorted({secret for secret in secrets if secret.casefold() in folded})


def _ours_or_allowed(name: str) -> bool:
    return any(name == mine or name.startswith(mine + ".") for mine in (*OURS, *ALLOWED))
