"""Which Channel sends for which endpoint kind.

The delivery service asks `get_channel(endpoint.kind)` and never imports a
channel module itself, so the transports stay replaceable: tests that exercise
the pipeline (not the transports) register a recording channel with
`override_channel`, and the real channels get end-to-end tests of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

from .base import Channel

# Kind -> "module:Class". Imported on first use, so a channel's dependencies
# load only in the processes that send.
CHANNELS = {
    "email": "watch.channels.email:EmailChannel",
    "webhook": "watch.channels.webhook:WebhookChannel",
}

_overrides: dict[str, Channel] = {}
_instances: dict[str, Channel] = {}


class UnknownChannel(LookupError):
    pass


def get_channel(name: str) -> Channel:
    """The channel that sends to endpoints of kind `name`."""
    if name in _overrides:
        return _overrides[name]
    if name not in _instances:
        try:
            path = CHANNELS[name]
        except KeyError:
            raise UnknownChannel(f"No channel sends to {name!r} endpoints (known: {', '.join(CHANNELS)}).") from None
        module_name, _, class_name = path.partition(":")
        _instances[name] = getattr(import_module(module_name), class_name)()
    return _instances[name]


def close_channels() -> None:
    """Close what the channels of this process keep open (the SMTP session,
    the webhook connections): a worker process shutting down."""
    for channel in _instances.values():
        close = getattr(channel, "close", None)
        if close is not None:
            close()
    from .webhook import close_pools

    close_pools()


@contextmanager
def override_channel(name: str, channel: Channel) -> Iterator[Channel]:
    """Send `name` deliveries through `channel` inside the block (tests)."""
    previous = _overrides.get(name)
    _overrides[name] = channel
    try:
        yield channel
    finally:
        if previous is None:
            _overrides.pop(name, None)
        else:
            _overrides[name] = previous
