package io.kafkube.store.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
  private static final Comparator<String> UTF8_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };

  private final TreeMap<String, GenericRecord> objects = new TreeMap<>(UTF8_ORDER);

  GenericRecord get(String key) {
    return objects.get(key);
  }

  @Override
  public void put(String key, GenericRecord value) {
    objects.put(key, value);
  }

  @Override
  public void remove(String key) {
    objects.remove(key);
  }

  void clear() {
    objects.clear();
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
