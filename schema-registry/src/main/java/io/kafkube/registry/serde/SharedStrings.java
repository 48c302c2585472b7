package io.kafkube.registry.serde;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One {@link String} for each short value that decoded records repeat. A Kubernetes object read from
 * Kafka brings dozens of short strings that are the same in nearly every object of its kind
 * ({@code IfNotPresent}, {@code ClusterFirst}, {@code default-scheduler}, the namespace, the
 * image, toleration keys, condition types), and every component that keeps objects (the store, the
 * views, the scheduler) would otherwise keep its own copy of each, per object: most of the objects
 * the garbage collector copies and marks. Strings of up to {@value #MAX_BYTES} UTF-8 bytes are
 * looked up in a fixed table by their bytes; a miss decodes the string and takes the slot.
 *
 * <p>The table is shared by all threads without locks. An entry is immutable (final fields) and
 * replaced whole, so a reader sees a complete entry or another one; a lost race costs only a miss.
 * Its size is fixed, so values seen once (names, uids) cost a slot, never memory.
 */
final class SharedStrings {
  static final int MAX_BYTES = 64;
  private static final int SLOTS = 1 << 13;

  private record Entry(byte[] utf8, String value) {}

  private static final Entry[] TABLE = new Entry[SLOTS];

  private SharedStrings() {}

  /** The string of the first {@code length} bytes of {@code utf8}, shared when it is short. */
  static String of(byte[] utf8, int length) {
    if (length > MAX_BYTES) {
      return new String(utf8, 0, length, StandardCharsets.UTF_8);
    }
    int h = 1;
    for (int i = 0; i < length; i++) {
      h = 31 * h + utf8[i];
    }
    int slot = (h ^ (h >>> 15)) & (SLOTS - 1);
    Entry e = TABLE[slot];
    if (e != null && Arrays.equals(e.utf8, 0, e.utf8.length, utf8, 0, length)) {
      return e.value;
    }
    String s = new String(utf8, 0, length, StandardCharsets.UTF_8);
    TABLE[slot] = new Entry(Arrays.copyOf(utf8, length), s);
    return s;
  }
}
