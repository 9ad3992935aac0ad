"""Documents of the outcomes stage, one module per document.

- ``outcome_report``: the report as sent up (Word and PDF), laid out for its kind.
- ``supervision_sheet``: the supervision sheet (督办落实情况表, Excel and CSV) in the official columns.
- ``three_lists``: the three lists (三张清单) of one consultation, one Excel sheet each.
- ``results_poster``: the results poster (协商结果公开) for the notice board.

Fonts, styles, safe spreadsheet cells and download responses come from ``core.documents``.
"""
