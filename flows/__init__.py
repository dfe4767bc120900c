"""FLOWS maps an errand's type to the flow that advances it (flows/errands.py makes them
from the catalogue of errand types); iop-renewals and deadline-sweep are the scheduled ones."""

from flows.errands import FLOWS
from flows.iop import iop_renewals

__all__ = ["FLOWS", "iop_renewals"]
