"""Beyond the electricity a run used: what making its hardware emitted, the water behind its
energy, and what the same energy would have emitted elsewhere. All three are estimates
from published figures (each result names its sources and years), reported apart from the
measured energy and the operational CO2e:

- ``embodied``: manufacturing emissions of the CPU host share, memory and GPUs a run
  occupied, amortised over the hardware's service life (``embodied_co2e_g``);
- ``water``: the data centre's on-site cooling water (provider WUE) plus the water
  consumed to generate the electricity, where published (``water_l``);
- ``alternatives``: the same energy in the provider's lowest-carbon region nearby and in a
  region you choose (``GREEN_ASSIST_COMPARE_REGION``).

``assess(...)`` computes all three for one record.
"""

from __future__ import annotations

from .assess import LifecycleFacts, assess

__all__ = ["LifecycleFacts", "assess"]
