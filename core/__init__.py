"""The platform both apps stand on: what timeline (the record) and watch
(alerts) share without either owning it. Nothing here knows about items,
subscriptions or deliveries."""
