"""Machine translations of listings, through a self-hosted service, always labelled.

A listing's title, summary and description are translated from its original into a reader's
language and stored apart from the versions people wrote (``models.MachineTranslation``), with
the engine, the date and a hash of the original they came from. They never replace a human
version: a language that has one is never machine-translated, and a human version added later
makes the machine one go (``events``). An edit of the original makes them stale; the worker
(``flask worker``, ``translate`` step) makes them again, and makes new ones for the languages
the operator enables (``TRANSLATION_LANGUAGES``). A reader may ask for one with "Translate".
Search and matching read the current ones (``services.current_translations``) as extra text that
weighs less than what people wrote (``search.index``, ``matching.store``); making one is announced
as a change of its listing, so both follow it.

``client`` speaks the service's protocol (LibreTranslate's ``/translate`` and ``/languages``)
with timeouts, retries and a circuit breaker, without Flask or the ORM. Without
``TRANSLATION_URL`` nothing here calls anything and the pages are as before.
"""
