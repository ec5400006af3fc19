"""The calendar: public holidays and make-up working days, which every deadline counts on."""
