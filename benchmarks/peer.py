"""The common design `make bench` compares with: each reminder a Celery task
sent with `apply_async(eta=...)`, waiting in the broker (and, once a worker
has taken it, in the worker's memory) until its time; a postpone revokes it.
The task does nothing: what is measured is the waiting."""

from celery import shared_task


@shared_task(name="benchmarks.peer.remind")
def remind(item_id: int, lead_seconds: int) -> None:
    return None
