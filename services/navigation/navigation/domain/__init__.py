"""Navigation business rules. Nothing here imports sqlmodel, sqlalchemy, fastapi, aiokafka, duckdb
or ipops I/O modules: the rules are plain Python, tested without a database."""
