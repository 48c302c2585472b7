package io.kafkube.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kafkube.registry.serde.EncodedOnce;
import io.kafkube.schemas.envelope.KeyValues;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
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
  void theOrderIsTheOrderOfTheKeysUtf8Bytes() {
    Random random = new Random(7);
    // units near the boundaries the order turns on: ASCII, U+D7FF, surrogates, U+E000, U+FFFF
    char[] units = {'a', 'b', '/', '\u00e9', '\uD7FF', '\uE000', '\uFFFF', '\uD83D', '\uDE00', '\uD800', '\uDC00'};
    for (int n = 0; n < 20_000; n++) {
      String a = randomKey(random, units);
      String b = random.nextInt(4) == 0 ? a + randomKey(random, units) : randomKey(random, units);
      if (!isWellFormed(a) || !isWellFormed(b)) {
        continue; // a lone surrogate has no UTF-8 encoding (getBytes writes '?')
      }
      int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
      assertThat(Integer.signum(CurrentObjects.UTF8_ORDER.compare(a, b))).as("%s vs %s", a, b)
          .isEqualTo(Integer.signum(bytes));
    }
  }

  private static String randomKey(Random random, char[] units) {
    StringBuilder b = new StringBuilder("pods/");
    int len = random.nextInt(4);
    for (int i = 0; i < len; i++) {
      if (random.nextBoolean()) {
        b.appendCodePoint(0x10000 + random.nextInt(0x100000)); // a surrogate pair
      } else {
        b.append(units[random.nextInt(units.length)]);
      }
    }
    return b.toString();
  }

  private static boolean isWellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void anObjectsEncodingIsKeptWhileItIsCurrentAndOnlyThen() {
    CurrentObjects o = new CurrentObjects();
    GenericRecord w = KeyValues.of(new byte[] {2}, 0);
    EncodedOnce.Encoding e = new EncodedOnce.Encoding(V.getSchema(), new byte[] {9});
    o.encoded("x", V, e);
    assertThat(o.encodingOf(V)).as("not current yet").isNull();
    o.put("x", V);
    o.encoded("x", V, e);
    assertThat(o.encodingOf(V)).isSameAs(e);
    o.put("x", V); // the same object again (a write that changed nothing): still its bytes
    assertThat(o.encodingOf(V)).isSameAs(e);
    o.put("x", w); // replaced: the old object's bytes go with it
    assertThat(o.encodingOf(V)).isNull();
    assertThat(o.encodingOf(w)).isNull();
    o.encoded("x", w, e);
    o.remove("x");
    assertThat(o.encodingOf(w)).isNull();
    o.put("y", V);
    o.encoded("y", V, e);
    o.clear();
    assertThat(o.encodingOf(V)).isNull();
    assertThat(o.encodingOf(null)).isNull();
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
