package io.kafkube.registry.serde;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A scope, on one thread, in which records marked final are Avro-encoded once by {@link
 * KafkubeDatumWriter}, however many times they are written. A marked record must not change until the
 * scope closes: its later writes copy the bytes of its first. Records are matched by identity, and
 * bytes are reused only for an equal schema (kafkube's envelopes each carry their own, equal, copies of
 * the kinds' schemas; whether two schema instances are equal is worked out once per pair).
 *
 * <pre>{@code
 * try (EncodedOnce scope = EncodedOnce.open()) {
 *   EncodedOnce.mark(object);   // no change to object from here
 *   ... serialize object, and envelopes that hold it, several times ...
 * }
 * }</pre>
 */
public final class EncodedOnce implements AutoCloseable {
  private static final ThreadLocal<EncodedOnce> CURRENT = new ThreadLocal<>();
  private static final byte[] NOT_YET = new byte[0];
  private static final Map<SchemaPair, Boolean> EQUAL = new ConcurrentHashMap<>();

  private final Map<Object, byte[]> bytes = new IdentityHashMap<>(8);
  private final Map<Object, Schema> schemas = new IdentityHashMap<>(8);
  private final EncodedOnce outer;

  private EncodedOnce(EncodedOnce outer) {
    this.outer = outer;
  }

  /** Opens a scope on this thread (scopes nest; the inner one is used until it closes). */
  public static EncodedOnce open() {
    EncodedOnce scope = new EncodedOnce(CURRENT.get());
    CURRENT.set(scope);
    return scope;
  }

  /** Marks {@code record} final in this thread's open scope; nothing when no scope is open or it is null. */
  public static void mark(Object record) {
    EncodedOnce scope = CURRENT.get();
    if (scope != null && record != null) {
      scope.bytes.putIfAbsent(record, NOT_YET);
    }
  }

  /**
   * Marks {@code record} final in this thread's open scope with the bytes an earlier scope wrote for it
   * ({@link #encodingOf}), so that its writes here copy them: a record that outlives its scope unchanged
   * (the store's current object) is encoded once in all. Null {@code encoding}: as {@link #mark}.
   */
  public static void mark(Object record, Encoding encoding) {
    EncodedOnce scope = CURRENT.get();
    if (scope == null || record == null) {
      return;
    }
    if (encoding == null) {
      scope.bytes.putIfAbsent(record, NOT_YET);
    } else if (scope.bytes.getOrDefault(record, NOT_YET) == NOT_YET) {
      scope.bytes.put(record, encoding.bytes());
      scope.schemas.put(record, encoding.schema());
    }
  }

  /** The bytes of a marked record's first write in this thread's open scope, with its schema; null if none yet. */
  public static Encoding encodingOf(Object record) {
    EncodedOnce scope = CURRENT.get();
    if (scope == null || record == null) {
      return null;
    }
    byte[] b = scope.bytes.get(record);
    return b == null || b == NOT_YET ? null : new Encoding(scope.schemas.get(record), b);
  }

  /** A record's Avro binary encoding (no header) and the schema it was written with. */
  public record Encoding(Schema schema, byte[] bytes) {
    public Encoding {
      Objects.requireNonNull(schema, "schema");
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  static EncodedOnce current() {
    return CURRENT.get();
  }

  boolean isMarked(Object record) {
    return bytes.containsKey(record);
  }

  /** The bytes of a marked record's first write with this schema; null when not written yet. */
  byte[] bytes(Object record, Schema schema) {
    byte[] b = bytes.get(record);
    return b == null || b == NOT_YET || !same(schemas.get(record), schema) ? null : b;
  }

  private static boolean same(Schema a, Schema b) {
    return a == b || EQUAL.computeIfAbsent(new SchemaPair(a, b), p -> a.equals(b));
  }

  /** Two schema instances, compared by identity (Schema's own equals is a deep comparison). */
  private record SchemaPair(Schema a, Schema b) {
    @Override
    public boolean equals(Object o) {
      return o instanceof SchemaPair p && p.a == a && p.b == b;
    }

    @Override
    public int hashCode() {
      return 31 * System.identityHashCode(a) + System.identityHashCode(b);
    }
  }

  void remember(Object record, Schema schema, byte[] encoded) {
    if (bytes.get(record) == NOT_YET) {
      bytes.put(record, encoded);
      schemas.put(record, schema);
    }
  }

  @Override
  public void close() {
    if (outer == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(outer);
    }
  }
}
