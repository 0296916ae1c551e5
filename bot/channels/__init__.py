"""The channels: thin adapters from each provider's webhooks and API to the pipeline and the
outbox (Twilio SMS and WhatsApp, Telegram, the terminal)."""
