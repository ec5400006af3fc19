"""The public read model: projected from the services' events, queried by the public API."""
