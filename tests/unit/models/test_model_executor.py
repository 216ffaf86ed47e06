import asyncio

import pytest

from data_designer.errors import (
    ModelAPIConnectionError,
    ModelAuthenticationError,
    ModelInternalServerError,
    ModelRateLimitError,
    ModelTimeoutError,
)
from data_designer.models.executor import RequestExecutor, RetryPolicy
from data_designer.models.usage import ModelUsageStats
from data_designer.throttle import AdaptiveLimiter, FakeClock, Outcome


class FakeLease:
    def __init__(self, log):
        self.log = log

    def release(self, outcome, *, retry_after_s=None):
        self.log.append((outcome, retry_after_s))


class FakeLimiter:
    def __init__(self, *, immediate=True):
        self.releases = []
        self.acquired = 0
        self.immediate = immediate

    def try_acquire(self):
        if not self.immediate:
            return None
        self.acquired += 1
        return FakeLease(self.releases)

    async def acquire(self):
        self.acquired += 1
        return FakeLease(self.releases)


class Clock:
    def __init__(self):
        self.t = 0.0

    def now(self):
        self.t += 0.5
        return self.t


def _executor(limiter, policy=None, clock=None):
    sleeps = []

    async def fake_sleep(seconds):
        sleeps.append(seconds)

    usage = ModelUsageStats(model_alias="a")
    ex = RequestExecutor(lambda domain: limiter, usage, policy=policy, sleep=fake_sleep, clock=clock)
    return ex, usage, sleeps


def _script(*steps):
    """A send() that raises or returns each step in turn."""
    it = iter(steps)

    async def send():
        step = next(it)
        if isinstance(step, BaseException):
            raise step
        return step

    return send


def test_success_releases_success_and_counts():
    limiter = FakeLimiter()
    ex, usage, _ = _executor(limiter)
    assert asyncio.run(ex.execute(_script("ok"))) == "ok"
    assert limiter.releases == [(Outcome.SUCCESS, None)]
    assert usage.requests_ok == 1 and usage.throttled_s == 0.0


def test_429_is_released_rate_limited_with_retry_after_and_not_retried():
    limiter = FakeLimiter()
    ex, usage, sleeps = _executor(limiter)
    with pytest.raises(ModelRateLimitError):
        asyncio.run(ex.execute(_script(ModelRateLimitError("x", retry_after=1.5), "never")))
    assert limiter.releases == [(Outcome.RATE_LIMITED, 1.5)]
    assert usage.rate_limited == 1 and sleeps == []


def test_legacy_policy_retries_429_honouring_retry_after_each_with_a_new_lease():
    limiter = FakeLimiter()
    ex, usage, sleeps = _executor(limiter, RetryPolicy(retry_backoff_s=(0.1,), retry_rate_limits=2))
    send = _script(ModelRateLimitError("x", retry_after=3.0), ModelRateLimitError("x"), "ok")
    assert asyncio.run(ex.execute(send)) == "ok"
    assert sleeps == [3.0, 0.1] and limiter.acquired == 3
    assert [o for o, _ in limiter.releases] == [Outcome.RATE_LIMITED, Outcome.RATE_LIMITED, Outcome.SUCCESS]


def test_502_503_504_and_connection_errors_retry_with_backoff_then_give_up():
    limiter = FakeLimiter()
    ex, usage, sleeps = _executor(limiter, RetryPolicy(retry_backoff_s=(2, 4, 8)))
    errors = [
        ModelInternalServerError("x", status_code=502),
        ModelInternalServerError("x", status_code=503),
        ModelAPIConnectionError("x"),
        ModelInternalServerError("x", status_code=504),
    ]
    with pytest.raises(ModelInternalServerError):
        asyncio.run(ex.execute(_script(*errors)))
    assert sleeps == [2, 4, 8] and limiter.acquired == 4
    assert usage.requests_failed == 4 and all(o is Outcome.FAILED for o, _ in limiter.releases)


@pytest.mark.parametrize(
    "error",
    [ModelInternalServerError("x", status_code=500), ModelTimeoutError("t"), ModelAuthenticationError("a")],
)
def test_500_timeouts_and_fatal_errors_are_not_retried(error):
    limiter = FakeLimiter()
    ex, _, sleeps = _executor(limiter)
    with pytest.raises(type(error)):
        asyncio.run(ex.execute(_script(error, "ok")))
    assert sleeps == [] and limiter.releases == [(Outcome.FAILED, None)]


def test_cancellation_releases_cancelled():
    limiter = FakeLimiter()
    ex, _, _ = _executor(limiter)

    async def main():
        started = asyncio.Event()

        async def send():
            started.set()
            await asyncio.Event().wait()

        task = asyncio.ensure_future(ex.execute(send))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert limiter.releases == [(Outcome.CANCELLED, None)]


def test_waiting_for_admission_is_accounted_as_throttled_time():
    limiter = FakeLimiter(immediate=False)
    ex, usage, _ = _executor(limiter, clock=Clock())
    asyncio.run(ex.execute(_script("ok")))
    assert usage.throttled_s == pytest.approx(0.5)


def test_every_429_reaches_the_real_limiter_and_cuts_its_limit():
    clock = FakeClock()
    limiter = AdaptiveLimiter(name="p/m/chat", max_limit=8, clock=clock)
    ex, _, _ = _executor(limiter)
    with pytest.raises(ModelRateLimitError):
        asyncio.run(ex.execute(_script(ModelRateLimitError("x", retry_after=1.0))))
    snap = limiter.snapshot()
    assert snap["rate_limited"] == 1 and snap["limit"] == 6 and snap["in_flight"] == 0
