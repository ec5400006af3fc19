"""Agencies: the operation profile and yearly revenue reports of the agencies trusteeship registers."""
