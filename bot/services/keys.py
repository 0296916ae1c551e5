"""Rotating the encryption key (`yousaid keys rotate`)."""

from __future__ import annotations

import logging

from bot.runtime import Runtime
from storage.repositories.audit import detail_of
from storage.rotation import rotate_encryption_key

log = logging.getLogger(__name__)

__all__ = ["rotate_key"]


def rotate_key(runtime: Runtime) -> tuple[int, int]:
    """Make a new encryption key id current and re-encrypt every stored value with it, then
    compact the database so the old ciphertexts leave its files. Returns (key id, values)."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        key_id, count = rotate_encryption_key(uow)
        uow.audit.record("keys.rotate", detail_of(key_id=key_id, values=count), runtime.clock.now())
    runtime.db.compact()
    log.info("encryption key rotated key_id=%d values=%d", key_id, count)
    return key_id, count
