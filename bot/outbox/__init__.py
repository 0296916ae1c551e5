"""The outbox sender: what a send came to (`outcomes`), the provider a lane sends through
(`transport`), the spacing between messages (`pacing`) and the loop that claims, sends and
records each push (`loop`). The providers' transports live under `bot/channels/`."""
