"""The `yousaid` command line: one module per command group, each calling bot/services/."""
