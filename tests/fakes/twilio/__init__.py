"""The fake Twilio Messages API, split by job; tests import it from `tests.fakes.twilio_api`.

`records` keeps the messages, media and recorded calls, `messages` has the API's rules for
creating and deleting a message, `server` is the HTTP side (routes, basic auth, scripted
answers), and `controls` is what a test does to Twilio.
"""
