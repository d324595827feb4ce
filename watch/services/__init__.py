"""Every write in watch. Reads are in watch.selectors.

- subscriptions: subscription_create / _confirm / _update / _unsubscribe,
  subscriptions_stop_email (one-click), webhook_rotate_secret,
  subscription_send_confirmation, subscription_pause / _resume / _undo_unsubscribe,
  subscriber_set_schedule
- confirmations: confirmation_request, confirmation_send, confirmations_send
  (the double opt-in mail's outbox)
- changes: process_changes (the change log into notifications and reminders)
- fanout: fanouts_open, fanout_batch, fanout_sweep (news to its audience, in batches)
- reminders: reminder_due_at (the rule), reminders_rewrite, reminders_ensure,
  fire_due_reminders
- deliveries: deliveries_claim, deliveries_send (deliver: a batch of one),
  deliveries_reclaim, delivery_resend, retry_delay
- digests: send_digests, next_digest_at
- assignment: assignment_follow / _end (the desk's assignee follows the item)
- feeds: subscription_feed_rotate / _revoke, feed_link (the private calendar)
"""

from .assignment import assignment_end, assignment_follow
from ._common import describe_lead, format_lead, parse_lead, parse_leads
from .changes import process_change, process_changes
from .deliveries import (
    Claim, deliver, deliveries_claim, deliveries_in_flight, deliveries_reclaim, deliveries_send, delivery_resend,
    manage_link, retry_delay, retry_delay_bounds, unsubscribe_link,
)
from .confirmations import confirmation_request, confirmation_send, confirmations_send
from .digests import next_digest_at, send_digests
from .fanout import Announcement, FanOut, fanout_batch, fanout_run, fanout_sweep, fanouts_open, notify
from .feeds import feed_link, subscription_feed_revoke, subscription_feed_rotate
from .news import News, news_of_change
from .reminders import (
    FireResult, fire_due_reminders, has_reminders, leads_in_use, reminder_anchor, reminder_due_at, reminders_ensure,
    reminders_rewrite, reminders_rewrite_many,
)
from .subscriptions import (
    Subscribed, SubscriptionChanged, confirmation_link, subscriber_set_schedule, subscription_can_undo,
    subscription_confirm, subscription_create, subscription_pause, subscription_resume,
    subscription_send_confirmation, subscription_undo_unsubscribe, subscription_unsubscribe, subscription_update,
    subscriptions_stop_email, undo_window, webhook_rotate_secret,
)

__all__ = [name for name in dir() if not name.startswith("_")]
