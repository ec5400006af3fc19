"""Operations business rules. Nothing here imports sqlmodel, sqlalchemy, fastapi, aiokafka or
ipops I/O modules: the rules are plain Python, tested without a database."""
