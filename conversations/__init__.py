"""The pure domain: consultations, the conversation engine, safeguarding, results and
updates. No I/O: the engine takes state and a message and returns new state, messages and
facts."""
