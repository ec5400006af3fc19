"""Navigation projects (GB/T 39551 parts 3 and 4): their moves, phase gates, deliverables and milestones."""
