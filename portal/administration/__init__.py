"""Administration pages for unit administrators under /quan-tri/ (R-UNIT-3): their units'
desks (address, phone, hours, closing hour), departments, staff accounts and roles, and the
working calendar for the city's administrators. Scoped to the units the signed-in person
administers (with the units under them when their role covers them); every write goes through
``portal.services``, which checks the scope again and writes the audit row. Procedures offered
at a desk (``dossiers:desk_procedures``), kiosk tablets and survey forms (``surveys``) have their
own pages in their apps, linked from here by URL name.
"""
