"""The outbox sender: what a send came to (`outcomes`), the provider a lane sends through
(`transport`), the spacing between messages (`pacing`), one push claimed, sent and recorded
(`delivery`), and the loop that runs the lanes (`loop`). The providers' transports live
under `bot/channels/`."""
