"""MORE, texted to the webhook right after an update, sends the update's actions.

It used to answer "There's no news yet." whenever the update's first message had fitted
every action (MORE only worked after a shortened one).
"""

from __future__ import annotations

from pathlib import Path

from bot.clock import FixedClock
from bot.services.update_queue import queue
from bot.services.updates import prepare
from tests.e2e.twilio_harness import Phone, running_app
from tests.integration.outbox.harness import twilio_sender

SHORT_UPDATE = """\
consultation: feeling-safe
languages: [en, pl, pt, es, so]
first_line:
  {en: "News from the council.", pl: "Wiadomość od rady.", pt: "Notícias da câmara.",
   es: "Noticias del ayuntamiento.", so: "War ka yimid golaha."}
actions:
  - title: {en: Park lighting, pl: Oświetlenie, pt: Luz no parque, es: Luz en el parque,
            so: Iftiinka beerta}
    status: done
    changed:
      {en: "New lights in the park.", pl: "Nowe lampy w parku.", pt: "Luzes novas no parque.",
       es: "Luces nuevas en el parque.", so: "Nalal cusub oo beerta ah."}
"""


def test_more_right_after_an_update_sends_its_actions(tmp_path: Path, sqlite_url: str) -> None:
    with running_app(tmp_path, sqlite_url) as app:
        phone = Phone(app, "+447700900555")
        for text in ("SAFE", "yes", "2", "3", "1", "skip", "yes", "no"):  # ... YES to news
            phone.send(text)
        prepared = prepare(app.runtime, "feeling-safe", SHORT_UPDATE, "update.yaml")
        assert not prepared.rendered["en"].shortened  # the whole update fits one message
        queue(app.runtime, prepared, app.clock.now())
        clock = app.runtime.clock
        assert isinstance(clock, FixedClock)
        twilio_sender(app.runtime, clock).drain()
        [pushed] = [m for m in app.fake.sent() if m["to"] == phone.number]
        assert pushed["body"].startswith("News from the council.")

        more = phone.send("MORE")

        assert "There's no news yet" not in more.text
        assert "Park lighting: done. New lights in the park." in more.text
