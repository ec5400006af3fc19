"""The district's enterprises, whose names mark "the district's own applicants" in a landscape."""
