"""Official evaluations (issue 11): the Circular 01/2018 indices with staff bands and agency
grades (R-IND-6), the Decision 766 service index (R-IND-7) and the monthly staff scorecards
(R-FB-4). A Django app of its own inside ``reports`` (label ``evaluations``), so its models,
migrations, admin and tasks are found without touching the reports app's modules.

Modules: ``models`` (rule sets, profiles, entries), ``rules`` (the pure scoring rules),
``circular01`` and ``index766`` (the engines), ``scorecards``, ``sources`` (the grouped SQL
reads the engines need beyond the rollups), ``services`` (entries, audited), ``selectors``
(scoped reads for pages, API and exports), ``views``/``urls``/``forms``, ``api``/``api_urls``.
See docs/evaluations.md.
"""
