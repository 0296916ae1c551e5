"""The imperative shell: entry points (webhooks, console, CLI, scheduler, sender) and the
services they call. No SQL here: storage/ does that."""
