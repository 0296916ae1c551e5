"""The Telegram channel: python-telegram-bot on the shared pipeline.

adapter: Update -> Received, Outgoing -> send_message arguments (buttons, splitting)
delivery: one message out, with a typed result (sent, retry later, blocked...)
chats: what is remembered per chat (message ids for EXIT, live buttons, blocks)
handler: one update, start to finish: pipeline, buttons, EXIT, replies
setup: the PTB Application, webhook or polling, and the outcome of each update
routes: POST /webhooks/telegram
sender: pushes (reminders, updates), paced per chat
"""
