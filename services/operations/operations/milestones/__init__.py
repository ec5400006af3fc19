"""Milestones of goals 七-九, recorded with their date and evidence."""
