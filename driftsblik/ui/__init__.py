"""The UI kit every app builds its pages and files with (no models).

- `status`: status words, icons and colours, one table per family (targets, budget), through gettext;
- `formats`: Danish numbers, percentages, percentage points and dates;
- `excel` and `csvfile`: the one Excel writer and the one CSV writer (formula neutralisation in both);
- `downloads`: the one download response and file-name rule;
- `htmx`: whether a request is an htmx partial, and the page or partial it gets.

Templates use the `ui` tag library (`{% load ui %}`): the same formats as filters and `{% status %}`.
"""
