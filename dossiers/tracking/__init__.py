"""The public tracking page under /tra-cuu/ (R-LIFE-5, R-PRIV-1, R-RES-3): anyone holding a
receipt slip follows their dossier, by code and PIN or through the slip's QR link.

- ``lookup``: what the page may find (code and PIN, or a QR token) and show (``PublicDossier``);
- ``tokens``: the signed QR links (the dossier id only, never the PIN);
- ``views``: the pages, their cookies and rate limits;
- ``urls``: the URL names ``tracking:lookup``, ``tracking:result``, ``tracking:forget`` and
  ``tracking:token``.
"""
