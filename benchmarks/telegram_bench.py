"""The Telegram webhook over HTTP, measured as the SMS one is (benchmarks/http_bench.py):
whole consultations of updates, with the secret token header, from concurrent
participants, against `yousaid serve` and, in the same run, the bare ASGI endpoint.

Run: PYTHONPATH=. .venv/bin/python benchmarks/telegram_bench.py [--database URL]
         [--workers N] [--participants 60] [--concurrency 6] [--postgres-pid PID]

The fake Bot API (tests/fakes/telegram_api.py) runs in a thread of this process, so its
CPU (answering the bot's sendMessage and editMessageText calls) is counted on the load
generator's side, not the server's; the server's figure still holds its own side of those
calls (python-telegram-bot's request, httpx). The bot's overall rate limit is raised
(YOUSAID_TELEGRAM_RATE=1000) so the benchmark measures CPU, not the 30/s Telegram allows.
Prints the SMS run too, and the Telegram server CPU per message as a multiple of SMS's.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from benchmarks import http_bench
from benchmarks.http_bench import Drive, Figures, concurrently, measure
from benchmarks.pipeline_bench import SCRIPT
from benchmarks.servers import app_command, app_env, bare_command, bare_env, load_consultations
from tests.fakes.telegram_api import FakeBotApi

SECRET = "bench-webhook-secret"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FIRST_USER = 6_100_000_000  # Telegram user ids of the benchmark's participants
TARGET = 1.5  # issue 13: Telegram's server CPU per message at most 1.5 x SMS's


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--postgres-pid", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=6)
    args = parser.parse_args()
    sms, _ = http_bench.run(
        args.database, args.workers, args.participants, args.concurrency, args.postgres_pid
    )
    telegram, bare = run(
        args.database, args.workers, args.participants, args.concurrency, args.postgres_pid
    )
    print(http_bench.HEADER, sms.row(), telegram.row(), bare.row(), sep="\n")
    print(ratio_line(telegram, sms, bare))


def run(
    database: str, workers: int, participants: int, concurrency: int, postgres_pid: int = 0
) -> list[Figures]:
    """The app's Telegram webhook and the bare endpoint's, one after the other."""
    where = "PostgreSQL" if database else "SQLite"
    plural = "s" if workers > 1 else ""
    with FakeBotApi(keep_alive=True) as api, tempfile.TemporaryDirectory() as tmp:
        env = telegram_env(app_env(Path(tmp), database), api)
        load_consultations(env)
        drive = drive_telegram(api)
        app = measure(
            f"yousaid serve, Telegram, {where}, {workers} worker{plural}",
            app_command(workers),
            env,
            drive,
            participants,
            concurrency,
            postgres_pid,
        )
        bare = measure(
            f"bare ASGI endpoint, Telegram route, {workers} worker{plural}",
            bare_command(workers),
            bare_env(),
            drive,
            participants,
            concurrency,
            0,
        )
    return [app, bare]


def telegram_env(env: dict[str, str], api: FakeBotApi) -> dict[str, str]:
    """The server's environment with Telegram in webhook mode, pointed at the fake."""
    return {
        **env,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_URL": api.url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "YOUSAID_TELEGRAM_RATE": "1000",
    }


def drive_telegram(api: FakeBotApi, script: Sequence[str] = SCRIPT) -> Drive:
    """Whole consultations (or `script`) typed in private chats, each update posted as
    Telegram posts it; a response other than 200 is noted (Telegram would resend it) and
    the participant carries on."""

    def drive(
        base: str, participants: int, concurrency: int, failures: list[int], offset: int
    ) -> list[float]:
        def consultation(n: int) -> list[float]:
            user = FIRST_USER + offset + n
            timings = []
            with httpx.Client(base_url=base, timeout=60) as client:
                for text in script:
                    update = api.text(user, text)
                    t0 = time.perf_counter()
                    response = client.post(
                        "/webhooks/telegram", json=update, headers={SECRET_HEADER: SECRET}
                    )
                    timings.append(time.perf_counter() - t0)
                    if response.status_code != 200:
                        failures.append(response.status_code)
            return timings

        return concurrently(consultation, participants, concurrency)

    return drive


def ratio_line(telegram: Figures, sms: Figures, bare: Figures) -> str:
    """Telegram's server CPU per message beside SMS's (the target) and the bare app's."""
    ratio = telegram.per_request_ms / sms.per_request_ms
    verdict = "within" if ratio <= TARGET else "over"
    return (
        f"- {telegram.label}: server CPU per message {ratio:.2f} x SMS's on the same "
        f"database ({verdict} the {TARGET} x target), "
        f"{telegram.per_request_ms / bare.per_request_ms:.1f} x the bare endpoint's"
    )


if __name__ == "__main__":
    main()
