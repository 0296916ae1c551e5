"""The fake Telegram Bot API, split by job; tests import it from `tests.fakes.telegram_api`.

`records` keeps what the server holds and what happened, `shapes` writes Telegram's JSON,
`methods` answers the Bot API methods with the real server's checks, `server` is the HTTP
side, and `users` plays the people who use the bot.
"""
