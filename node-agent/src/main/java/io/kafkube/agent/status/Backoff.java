package io.kafkube.agent.status;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * kubelet's per-container restart back-off (client-go's {@code flowcontrol.Backoff}): the first
 * restart is immediate, then 10 s, doubling to at most 5 min; an entry not updated for twice the
 * maximum (a container that ran 10 min) starts over. Time is passed in, never read, so the rules are
 * tested without waiting. Not thread-safe: one pod worker owns it.
 */
public final class Backoff {
  public static final Duration INITIAL = Duration.ofSeconds(10);
  public static final Duration MAX = Duration.ofMinutes(5);

  private final Duration initial;
  private final Duration max;
  private final Map<String, Entry> entries = new HashMap<>();

  private record Entry(Duration backoff, Instant lastUpdate) {}

  public Backoff() {
    this(INITIAL, MAX);
  }

  public Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  /** The current back-off of a key (zero when none). */
  public Duration get(String key) {
    Entry e = entries.get(key);
    return e == null ? Duration.ZERO : e.backoff();
  }

  /** Whether a restart after an event (a container's exit) at {@code eventTime} must still wait at {@code now}. */
  public boolean isInBackOffSince(String key, Instant eventTime, Instant now) {
    Entry e = entries.get(key);
    if (e == null || hasExpired(eventTime, e.lastUpdate())) {
      return false;
    }
    return Duration.between(eventTime, now).compareTo(e.backoff()) < 0;
  }

  /** When the wait after an event at {@code eventTime} ends (eventTime itself when there is none). */
  public Instant until(String key, Instant eventTime) {
    Entry e = entries.get(key);
    if (e == null || hasExpired(eventTime, e.lastUpdate())) {
      return eventTime;
    }
    return eventTime.plus(e.backoff());
  }

  /** Records a restart after an event at {@code eventTime}: the next wait starts at 10 s or doubles. */
  public void next(String key, Instant eventTime) {
    Entry e = entries.get(key);
    if (e == null || hasExpired(eventTime, e.lastUpdate())) {
      entries.put(key, new Entry(initial, eventTime));
      return;
    }
    Duration doubled = e.backoff().multipliedBy(2);
    entries.put(key, new Entry(doubled.compareTo(max) > 0 ? max : doubled, eventTime));
  }

  public void reset(String key) {
    entries.remove(key);
  }

  private boolean hasExpired(Instant eventTime, Instant lastUpdate) {
    return Duration.between(lastUpdate, eventTime).compareTo(max.multipliedBy(2)) > 0;
  }
}
