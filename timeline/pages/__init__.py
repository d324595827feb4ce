"""The pages people read: home, storylines, items, track records, search.

Views (views.py) take their rows from selectors.py, which builds on the
derived states of timeline/derived.py; what a reader sees of an item (its
state in words, its dates, its moves) is put together in entries.py, so no
template works out a status.
"""
