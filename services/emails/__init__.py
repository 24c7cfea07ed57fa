"""Transactional emails about orders: placed, payment received, shipped, delivered,
cancelled, refunded.

`events` enqueues the job for an email in the transaction of the change it tells about;
the job runs `sending.send_order_email`, which writes it with `rendering` (Jinja2 templates
and gettext catalogs in the shopper's language), hands it to `services.messaging` and keeps
a `SentEmail` record, so each email goes out once and staff can see what was sent.
"""
