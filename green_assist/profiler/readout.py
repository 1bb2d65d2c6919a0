"""The live readout under a ``%%greenprofile`` cell, for front ends without the lab extension.

VS Code, Colab and Notebook front ends render ipywidgets but not JupyterLab extensions.
There the magic displays an ``ipywidgets.HTML`` under the running cell (elapsed time,
power, energy so far), updated by the profiler's background thread through the widget's comm.
When the cell ends, the same output is replaced (``update_display``) by the static
result, so saved notebooks and front ends without widgets keep a plain HTML/text result,
and the widget is closed. Without ipywidgets (or outside a kernel) there is no readout:
the result is displayed once, at the end.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from .display import live_html, live_text
from .messages import LiveMessage

log = logging.getLogger(__name__)

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


class LiveReadout:
    """A widget output slot that shows live figures, then becomes the final result."""

    def __init__(self, first: LiveMessage) -> None:
        import ipywidgets
        from IPython.display import display

        self.widget = ipywidgets.HTML(value=live_html(dict(first)))
        self.display_id = f"green-assist-{uuid.uuid4().hex}"
        bundle = {
            WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": self.widget.model_id},
            "text/plain": live_text(dict(first)),
        }
        display(bundle, raw=True, display_id=self.display_id)

    @classmethod
    def create(cls, first: LiveMessage) -> LiveReadout | None:
        """A readout, or None when widgets cannot be shown here (reason logged)."""
        try:
            return cls(first)
        except Exception as err:  # no ipywidgets, no kernel comm manager
            log.debug("green_assist: no live widget readout: %s", err)
            return None

    def update(self, message: LiveMessage) -> None:
        self.widget.value = live_html(dict(message))

    def finish(self, bundle: dict[str, Any]) -> None:
        """Replace the live output by the final result and close the widget."""
        from IPython.display import update_display

        update_display(bundle, raw=True, display_id=self.display_id)
        try:
            self.widget.close()
        except Exception as err:
            log.debug("green_assist: closing the readout widget failed: %s", err)
