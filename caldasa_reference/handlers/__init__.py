"""Every request handler of the reference server: each module registers its operations with ``@operation``
(and its testing-API states with ``@provider_state``) on import; `app.load_handler_modules` imports them all.

Core areas: tenant, locations, staff, resources, reservables, customers, forms, reviews, webhooks.
Booking domain: availability, bookings, events, tickets, provider_states (rules in domain/).
"""
