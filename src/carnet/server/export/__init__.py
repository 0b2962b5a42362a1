"""Export ("Download as"): notebooks converted by nbconvert, imported on first use.

`convert` knows the formats and runs one conversion; `pdf` prints nbconvert's
webpdf HTML with the system's Chromium. The routes are in server/api/nbconvert.py.
"""
