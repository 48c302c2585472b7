package io.kafkube.store.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The leases of the endpoint: id → TTL and deadline. A reaper revokes the expired ones, which deletes
 * the keys attached to them (through the store, like any delete). Each granted lease is also
 * written as a hidden raw key ({@code \0kafkube/lease/<id>}, its TTL as value), from which a
 * restarted endpoint takes the leases back with their full TTL, as etcd does on recovery.
 */
final class Leases implements AutoCloseable {
  /** etcd's MaxLeaseTTL. */
  static final long MAX_TTL = 9_000_000_000L;

  record Lease(long id, long grantedTtl, long deadlineNanos) {
    long remainingSeconds(long now) {
      return Math.max(0, (long) Math.ceil((deadlineNanos - now) / 1e9));
    }
  }

  private final Map<Long, Lease> leases = new ConcurrentHashMap<>();
  private final LongSupplier clock;
  private final LongConsumer onExpire;
  private final ScheduledExecutorService reaper;

  /**
   * @param clock    nanoseconds ({@link System#nanoTime})
   * @param onExpire called with the id of each lease that expired (after it is removed)
   */
  Leases(LongSupplier clock, LongConsumer onExpire, ScheduledExecutorService reaper) {
    this.clock = clock;
    this.onExpire = onExpire;
    this.reaper = reaper;
    if (reaper != null) {
      reaper.scheduleWithFixedDelay(this::expire, 200, 200, TimeUnit.MILLISECONDS);
    }
  }

  /** Grants a lease; {@code id} 0 picks one. */
  Lease grant(long id, long ttl) {
    if (ttl > MAX_TTL) {
      throw EtcdErrors.leaseTtlTooLarge();
    }
    long effectiveTtl = Math.max(1, ttl);
    while (true) {
      long lid = id != 0 ? id : ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
      Lease l = new Lease(lid, effectiveTtl, clock.getAsLong() + TimeUnit.SECONDS.toNanos(effectiveTtl));
      if (leases.putIfAbsent(lid, l) == null) {
        return l;
      }
      if (id != 0) {
        throw EtcdErrors.leaseExists();
      }
    }
  }

  /** Takes back a lease granted before a restart, with its full TTL again (as etcd does on recovery). */
  void restore(long id, long ttl) {
    leases.putIfAbsent(id, new Lease(id, ttl, clock.getAsLong() + TimeUnit.SECONDS.toNanos(ttl)));
  }

  boolean exists(long id) {
    return leases.containsKey(id);
  }

  Lease get(long id) {
    return leases.get(id);
  }

  /** Removes a lease; false if unknown. */
  boolean revoke(long id) {
    return leases.remove(id) != null;
  }

  /** Renews a lease; null if unknown. */
  Lease keepAlive(long id) {
    return leases.computeIfPresent(id, (k, l) ->
        new Lease(l.id(), l.grantedTtl(), clock.getAsLong() + TimeUnit.SECONDS.toNanos(l.grantedTtl())));
  }

  long now() {
    return clock.getAsLong();
  }

  /** Removes the expired leases and reports each. */
  void expire() {
    long now = clock.getAsLong();
    List<Long> expired = new ArrayList<>();
    for (Lease l : leases.values()) {
      if (l.deadlineNanos() <= now && leases.remove(l.id(), l)) {
        expired.add(l.id());
      }
    }
    for (long id : expired) {
      onExpire.accept(id);
    }
  }

  @Override
  public void close() {
    if (reaper != null) {
      reaper.shutdownNow();
    }
  }
}
