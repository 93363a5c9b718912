"""These tests run on a frozen clock (NOW), so ``created_at`` and coupon windows are exact."""

from __future__ import annotations

from tests.promotions.helpers import frozen_clock

__all__ = ["frozen_clock"]
