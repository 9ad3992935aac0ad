"""What every printable or downloadable document of the platform shares, whichever stage writes it.

- ``pdf``: the embedded Chinese font, paragraph styles with CJK line breaking, the A4 page, QR images.
- ``word``: writing text into .docx files (XML-safe), the font names Chinese Windows and WPS have.
- ``sheets``: spreadsheet cells no spreadsheet runs as a formula, the titled and bordered table.
- ``responses``: download responses (content types, UTF-8 file names in Content-Disposition).
- ``formats``: percentages and dates as documents print them.

A document imports these and never another stage's document module for them.
"""
