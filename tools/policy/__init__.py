"""The shop's own policy (shipping, returns, payment, order status, contact): stored beside the catalog, its passages
retrieved for service questions and quoted as written, never generated."""

from tools.policy.store import DEMO_POLICY, POLICY_FILENAME, Policy, PolicyPassage, load_policy, open_policy, write_policy

__all__ = ["DEMO_POLICY", "POLICY_FILENAME", "Policy", "PolicyAnswer", "PolicyPassage", "load_policy",
           "open_policy", "write_policy"]

from tools.policy.retrieve import PolicyAnswer  # noqa: E402
