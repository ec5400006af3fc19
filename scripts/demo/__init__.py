"""`make demo`: a realistic synthetic Dongli district, 2018-2022, loaded into a running platform.

Everything goes through the gateway's public API with gateway-issued tokens, as the banks', the
agencies' and the district office's own systems would: the operator's client (the one `make up`
bootstraps) registers a client per bank and per agency, and each then acts as itself.

- Deterministic: one seed makes the whole district (names, credit codes, patent numbers, amounts,
  dates); every write carries an Idempotency-Key derived from the seed and the object, so a second
  run replays the first run's answers and adds nothing.
- Dated as history: each fact is sent with its business date (disbursement, enrolment, receipt,
  acceptance) where the API takes one; `schema.py` reads the live OpenAPI document to find it.
- Shaped to be judged: the 2022 evaluation shows some targets met and some missed (`world.py`
  says which and why).
"""
