package io.kafkube.api.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Predicate;
import org.apache.avro.generic.GenericRecord;

/**
 * One page of a LIST over objects in key order, wherever they are kept (the live view, or a state
 * rebuilt from history): the objects passing a filter after a key, at most a limit of them, the key
 * to continue after (null on the last page) and how many passing objects follow.
 */
public record KeyPage(List<GenericRecord> items, String lastKey, long remaining) {

  /**
   * The page of {@code objects} (already narrowed to the kind and namespace asked for) that pass
   * {@code filter}, starting after {@code afterKey} (null: from the first), at most {@code limit} (0: all).
   */
  public static KeyPage of(NavigableMap<String, GenericRecord> objects, Predicate<GenericRecord> filter,
      String afterKey, int limit) {
    NavigableMap<String, GenericRecord> from = afterKey == null ? objects : objects.tailMap(afterKey, false);
    List<GenericRecord> out = new ArrayList<>();
    String last = null;
    long remaining = 0;
    for (Map.Entry<String, GenericRecord> e : from.entrySet()) {
      if (!filter.test(e.getValue())) {
        continue;
      }
      if (limit > 0 && out.size() >= limit) {
        remaining++;
        continue;
      }
      out.add(e.getValue());
      last = e.getKey();
    }
    return new KeyPage(out, remaining > 0 ? last : null, remaining);
  }

  /** The objects of one kind in a key-ordered map of every kind's: under its key prefix, and the namespace's. */
  public static NavigableMap<String, GenericRecord> scope(NavigableMap<String, GenericRecord> objects, String prefix) {
    return objects.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
  }
}
