"""Cases: intake, the workflow of moves, handlers, documents, the timeline, pauses and extensions."""
