"""The annual-fee docket: deadlines, payments, reminders, lapses and the daily run."""
