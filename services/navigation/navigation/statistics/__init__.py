"""The plan's navigation figures: projects and portfolios against their targets."""
