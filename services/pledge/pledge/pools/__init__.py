"""Pools: risk-compensation pools, their double-entry ledger, and the banks' versioned agreements."""
