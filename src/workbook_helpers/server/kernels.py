"""The kernel manager of `workbook serve`: Jupyter's, plus the prompt release of closed pages.

Jupyter's culling knows one idle time. A page left open but unused should keep its kernel
for a while (the facilitator's `idle_minutes`): the person may come back to it. A page
whose tab is gone has lost its connection, and its kernel serves nobody: it is released
`disconnected_grace` seconds after the last connection closed (the grace covers a reload
and a network blip). A kernel that never had a page connected (a page still loading on a
slow phone, or a visitor who left before it loaded) is left to the idle rule. Voila wraps
this class with its pool of pre-heated kernels, which are never culled.

Normally the closed tab's own unload beacon shuts its kernel down at once (`voila_app` makes
that request pass Jupyter's XSRF check); this is the fallback for a browser that crashed or
a phone that lost its network.
"""

from __future__ import annotations

import time
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Dict, Float


class RoomKernelManager(AsyncMappingKernelManager):
    """Culls idle pages after `cull_idle_timeout`, closed ones after `disconnected_grace`."""

    disconnected_grace = Float(
        30.0, config=True,
        help="Seconds after a kernel's last page connection closed (its tab was closed or "
             "lost) before the kernel is shut down, unless a page connects again.")
    _last_disconnect: Any = Dict()

    def notify_connect(self, kernel_id: str) -> None:
        """A page connected: the kernel serves someone."""
        super().notify_connect(kernel_id)  # type: ignore[no-untyped-call]
        self._last_disconnect.pop(kernel_id, None)

    def notify_disconnect(self, kernel_id: str) -> None:
        """A page's connection closed: remember when, for `disconnected_grace`."""
        super().notify_disconnect(kernel_id)  # type: ignore[no-untyped-call]
        if self._kernel_connections.get(kernel_id, 0) <= 0:
            self._last_disconnect[kernel_id] = time.monotonic()

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Shut a kernel down when its page is gone, else apply Jupyter's idle rule."""
        gone = self._last_disconnect.get(kernel_id)
        if (gone is not None and self._kernel_connections.get(kernel_id, 0) <= 0
                and time.monotonic() - gone > self.disconnected_grace):
            self.log.info("releasing the kernel of a closed page (%s)", kernel_id)
            self._last_disconnect.pop(kernel_id, None)
            await self.shutdown_kernel(kernel_id)
            return
        await super().cull_kernel_if_idle(kernel_id)  # type: ignore[no-untyped-call]

    async def shutdown_kernel(  # type: ignore[override]
            self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        """Shut down as Jupyter does, forgetting the kernel's disconnection time."""
        self._last_disconnect.pop(kernel_id, None)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)  # type: ignore[no-untyped-call]
