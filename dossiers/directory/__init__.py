"""The public desk directory under /bo-phan-mot-cua/ ("one-stop desks"): where a citizen can
hand in a dossier, with the desk's address, hours and phone, and the procedures it offers with
their processing time and the documents to bring. No account; nothing personal.

- ``lookup``: the reads, cached (the front door's busiest lists must not query per request);
- ``views`` and ``urls``: the pages, URL names ``directory:search`` and ``directory:desk``.
"""
