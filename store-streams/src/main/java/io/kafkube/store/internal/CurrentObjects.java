package io.kafkube.store.internal;

import io.kafkube.registry.serde.EncodedOnce;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.generic.GenericRecord;

/**
 * A store task's current object per key, in memory. Its changelog is the state topics: a task fills it
 * from them when it starts ({@link StateRestore}) and every change to it is written to them in the same
 * transaction as the command's offset. Keys are ordered as etcd orders them, by their UTF-8 bytes (code
 * point order), so that raw-key ranges mean what they mean in etcd. The objects are never changed in
 * place: a command's new object replaces the old one.
 */
final class CurrentObjects implements StateRestore.Target {
  /**
   * UTF-8 byte order, which is code point order. UTF-16 units sort the same way except that surrogates
   * (U+D800–DFFF, the halves of code points over U+FFFF) sort before U+E000–FFFF instead of after them:
   * the first unit that differs decides, with that one case moved into place.
   */
  static final Comparator<String> UTF8_ORDER = (a, b) -> {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        return Integer.compare(codePointRank(ca), codePointRank(cb));
      }
    }
    return Integer.compare(a.length(), b.length());
  };

  private static int codePointRank(char c) {
    if (c < Character.MIN_SURROGATE) {
      return c;
    }
    return Character.isSurrogate(c) ? c + 0x2000 : c - 0x800;
  }

  private final TreeMap<String, GenericRecord> objects = new TreeMap<>(UTF8_ORDER);
  /** The bytes a current object was written as (by identity), for its next write as a "before". */
  private final Map<GenericRecord, EncodedOnce.Encoding> encodings = new IdentityHashMap<>();

  GenericRecord get(String key) {
    return objects.get(key);
  }

  @Override
  public void put(String key, GenericRecord value) {
    GenericRecord old = objects.put(key, value);
    if (old != null && old != value) {
      encodings.remove(old);
    }
  }

  @Override
  public void remove(String key) {
    GenericRecord old = objects.remove(key);
    if (old != null) {
      encodings.remove(old);
    }
  }

  /** Keeps the bytes {@code value}, a current object, was written as; nothing when it is not current or none. */
  void encoded(String key, GenericRecord value, EncodedOnce.Encoding encoding) {
    if (encoding != null && value != null && objects.get(key) == value) {
      encodings.put(value, encoding);
    }
  }

  /** The bytes a current object was written as, when this task wrote it; null otherwise. */
  EncodedOnce.Encoding encodingOf(GenericRecord value) {
    return value == null ? null : encodings.get(value);
  }

  void clear() {
    objects.clear();
    encodings.clear();
  }

  int size() {
    return objects.size();
  }

  /** The keys in [from, to) in etcd's order; {@code to} null: no upper bound. */
  List<String> range(String from, String to) {
    NavigableMap<String, GenericRecord> m = to == null ? objects.tailMap(from, true)
        : UTF8_ORDER.compare(from, to) >= 0 ? new TreeMap<>() : objects.subMap(from, true, to, false);
    return new ArrayList<>(m.keySet());
  }
}
