"""Agencies: the service agencies under government-purchase contracts, the tenants of the API."""
