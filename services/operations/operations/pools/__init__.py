"""Pools: industry patent pools, their members, patents and licensing terms."""
