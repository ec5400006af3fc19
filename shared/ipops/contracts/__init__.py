"""Published event contracts, one module per producing service.

A contract is what other teams depend on: payload models with their versioned type strings and
the topic they travel on. Producers import their own module to publish, consumers import it to
decode; neither imports the other service. Payloads only grow (new optional fields); a breaking
change is a new `.v2` type published alongside the old.
"""
