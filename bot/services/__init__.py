"""The services: every rule an officer's command follows, as plain functions.

The faces (the command line in bot/cli/, the console to come) read their input, call a
function here with the unit of work or the runtime and plain values, and show what it
returns; none of them decides anything itself, so no rule is written twice. One module per
area, as Cosmic Python's `service_layer/services.py`; the domain rules they apply live in
`conversations/`, which is pure.
"""
