"""Twilio SMS and WhatsApp: the webhook routes, their signature check, TwiML replies and the
sender's transport."""
