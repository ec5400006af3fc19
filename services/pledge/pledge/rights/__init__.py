"""Rights: enterprises, the patents and trademarks they pledge, appraisals, and collateral alerts."""
