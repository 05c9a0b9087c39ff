"""The notification centre, per-type email preferences and the digest job."""
