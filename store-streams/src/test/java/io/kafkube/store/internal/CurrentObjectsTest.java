package io.kafkube.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.schemas.envelope.KeyValues;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The store's in-memory objects: etcd's key order (UTF-8 bytes) and ranges, restore-style replacement. */
class CurrentObjectsTest {
  private static final GenericRecord V = KeyValues.of(new byte[] {1}, 0);

  @Test
  void keysAreOrderedByTheirUtf8BytesNotByUtf16Units() {
    CurrentObjects o = new CurrentObjects();
    String bmpLast = "k\uFFFF";          // EF BF BF
    String supplementary = "k\uD83D\uDE00"; // F0 9F 98 80: after U+FFFF in UTF-8, before it in UTF-16
    o.put(supplementary, V);
    o.put(bmpLast, V);
    o.put("k", V);
    o.put("ka", V);
    assertThat(o.range("k", null)).containsExactly("k", "ka", bmpLast, supplementary);
  }

  @Test
  void aRangeIncludesItsStartAndExcludesItsEnd() {
    CurrentObjects o = new CurrentObjects();
    for (String k : new String[] {"a", "b", "c", "d"}) {
      o.put(k, V);
    }
    assertThat(o.range("b", "d")).containsExactly("b", "c");
    assertThat(o.range("b", "b")).isEmpty();
    assertThat(o.range("d", "b")).isEmpty();
    assertThat(o.range("bb", null)).containsExactly("c", "d");
  }

  @Test
  void aLaterRecordOfAKeyReplacesTheEarlierAndATombstoneRemovesIt() {
    CurrentObjects o = new CurrentObjects();
    GenericRecord w = KeyValues.of(new byte[] {2}, 0);
    o.put("x", V);
    o.put("x", w);
    assertThat(o.get("x")).isSameAs(w);
    o.remove("x");
    assertThat(o.get("x")).isNull();
    assertThat(o.size()).isZero();
  }
}
