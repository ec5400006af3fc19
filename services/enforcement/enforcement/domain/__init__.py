"""The enforcement rules in plain Python: workflow, deadlines, calendar, statistics.

Nothing here imports sqlmodel, sqlalchemy, fastapi, aiokafka or ipops' I/O modules; the
service layer loads rows, calls these functions with values and persists what they return.
"""
